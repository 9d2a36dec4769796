"""Portal settings for local preview (``pelican content -s pelicanconf.py``).

Production overrides are in publishconf.py. Settings owned by a plugin are
documented in docs/settings.md (written from each plugin's schema).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the plugins, importable however Pelican is started

from plugins.portal_core.ordering import newest_first  # noqa: E402

# -- Identity (shown in the header and the footer identity block) -----------------
SITENAME = "Sở Giao thông vận tải tỉnh Lam Sơn"
SITE_DESCRIPTION = (
    "Cổng thông tin điện tử của Sở Giao thông vận tải tỉnh Lam Sơn: tin tức, thông báo, "
    "văn bản và thủ tục hành chính trong lĩnh vực giao thông vận tải."
)
PORTAL_GOVERNING_BODY = "Ủy ban nhân dân tỉnh Lam Sơn"
PORTAL_AGENCY = "Sở Giao thông vận tải"
PORTAL_IDENTITY = {
    "agency": "Sở Giao thông vận tải tỉnh Lam Sơn",
    "responsible": "Ông Trần Minh Quang, Phó Giám đốc Sở",
    "address": "Số 18 đường Lê Lợi, phường Đông Thành, tỉnh Lam Sơn",
    "phone": "0237 3 852 100",
    "email": "sgtvt@lamson.gov.vn",
}
SITEURL = "http://127.0.0.1:8000"
# The menu item "Dịch vụ công trực tuyến" (Decree 43/2011 Art. 18): the public service portal.
PORTAL_PUBLIC_SERVICES_URL = "https://dichvucong.gov.vn"
# The page saying what the portal collects while people browse (the visitor counters),
# linked from every footer (TT 25/2010).
PORTAL_PRIVACY_URL = "chinh-sach-rieng-tu/"
RELATIVE_URLS = False

# -- Language, time ------------------------------------------------------------
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_DATE_FORMAT = "%d/%m/%Y %H:%M"

# -- Content -------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
FILENAME_METADATA = r""  # dates and slugs come from the front-matter only
DEFAULT_CATEGORY = ""
READERS = {"rst": None, "htm": None, "html": None}  # posts are Markdown only
ARTICLE_TRANSLATION_ID = None  # the interface is translated, not the posts
ARTICLE_ORDER_BY = newest_first  # equal dates in one fixed order (plugins/portal_core/ordering.py)
PAGE_TRANSLATION_ID = None
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}
FRONT_MATTER_REQUIRED = {
    "article": ["title", "date", "unit", "category"],
    "page": ["title"],
}
# Where an imported post came from (portal_import/): old id, address, digest of the import.
FRONT_MATTER_EXTRA_FIELDS = ["imported_from"]

# -- URLs: dated articles, Vietnamese path words -----------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = "chuyen-muc/{slug}/index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = "chuyen-muc/index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = "the/{slug}/index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = "the/index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_URL = "luu-tru/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = "ban-nhap/trang/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives"]

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {
    "index": None,
    "category": None,
    "tag": None,
    "unit": None,
    "period_archives": None,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

# -- Feeds: written by plugins/feeds with feedgen; Pelican's writer is off ----------
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEEDS_MAX_ITEMS = 20

# -- Theme and plugins ------------------------------------------------------------
THEME = str(ROOT / "theme")
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
PLUGIN_PATHS = [str(ROOT)]
PLUGINS = [
    "plugins.build_guard",  # must stay first: it counts errors from the start
    "plugins.speedups",  # linear versions of Pelican 4.12's list-building (issue 7)
    "plugins.front_matter",
    "plugins.html_sanitizer",
    "plugins.images",
    "plugins.units",
    "plugins.categories",
    "plugins.scheduling",
    "plugins.compliance",
    "plugins.feeds",
    "plugins.documents",  # the register of documents, content/van-ban/ (issue 17)
    "plugins.related_posts",
    "plugins.search",
    "plugins.site_pages",  # the 404 page and robots.txt
    "plugins.visitor_counter",
    "plugins.redirects",  # after search and counter: redirect pages are neither indexed nor counted
    "plugins.build_stamp",  # what the build published (preview or production), for deploys
    "plugins.theme_i18n",
    "plugins.theme_assets",  # before incremental: its hashed names are in the settings
    "plugins.cms",  # Decap CMS at /admin/ (docs/cms.md)
    "plugins.incremental",  # before the sitemap: it renders the queued pages at finalized
    "pelican.plugins.sitemap",
]

# -- Photos (plugins/images): responsive sizes, WebP, metadata stripped -----------
IMAGES_WIDTHS = [480, 800, 1200]
IMAGES_PUBLISH_ORIGINALS = False
IMAGES_REQUIRE_ALT = False  # a warning in the preview, an error in production
IMAGES_CACHE_PATH = "cache/images"  # next to content/, outside the output

# -- Site maps, search, robots.txt (plugins/search, plugins/site_pages, pelican-sitemap) --
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$", "^tim-kiem/", "^ban-nhap/"]}
ROBOTS_DISALLOW = ["/ban-nhap/", "/pagefind/", "/admin/"]

# -- Visitor counters (plugins/visitor_counter; the service is counter/) ------------
# The service's own store by default; CI points COUNTER_SNAPSHOT at the JSON it fetched.
COUNTER_SNAPSHOT = os.environ.get("COUNTER_SNAPSHOT", str(ROOT / "var" / "counter.sqlite3"))
COUNTER_ENDPOINT = "http://127.0.0.1:8001/api/v1"

# -- Decree 43/2011/NĐ-CP compliance checks (plugins/compliance; docs/compliance.md) --
COMPLIANCE_PACK = "43/2011"  # or "42/2022", "224/2026"
COMPLIANCE_AGENCY_LEVEL = "so"  # "so", "ubnd_tinh" or "bo"
COMPLIANCE_FAIL_ON_ERROR = False  # the preview reports; production (publishconf) stops
COMPLIANCE_COLLECTS = ["đếm lượt truy cập"]  # what the portal collects while browsing

# -- Decap CMS at /admin/ (plugins/cms; operators: docs/cms.md) ------------------------
# The production backend: the department's own GitLab (or Gitea/Forgejo, GitHub): see docs/cms.md.
CMS_BACKEND = {"name": "gitlab", "repo": "so-gtvt/cong-thong-tin", "branch": "main"}
# decap-server started by ``invoke cms`` (loopback only: it has no login). publishconf: off.
CMS_LOCAL_BACKEND = os.environ.get("PORTAL_CMS_LOCAL_BACKEND", "http://127.0.0.1:8081/api/v1")

# -- Scheduled posts: shown (marked) in the preview, held back in production ----------
SCHEDULING_PUBLISH_MODE = False

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True
