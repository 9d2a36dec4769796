"""Fixtures in the old portals' real formats, generated here: a NukeViet admin dump (with
the quirks of includes/core/dump.php), its uploads/ folder, a WordPress WXR export and a
folder of saved pages. Nothing is copied from a real portal."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime.now(TZ)
SITE = "http://sgtvt.lamson.gov.vn"


def unix(year: int, month: int, day: int, hour: int = 8, minute: int = 30) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=TZ).timestamp())


def addslashes(text: str) -> str:
    """PHP's addslashes, as NukeViet's dumper escapes every string."""
    return text.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"').replace("\0", "\\0")


def sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + addslashes(str(value)) + "'"


ROWS_COLUMNS = [
    ("id", "int(11) unsigned NOT NULL AUTO_INCREMENT"),
    ("catid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
    ("listcatid", "varchar(255) NOT NULL DEFAULT ''"),
    ("topicid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
    ("admin_id", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
    ("author", "varchar(250) DEFAULT ''"),
    ("sourceid", "mediumint(8) NOT NULL DEFAULT '0'"),
    ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("edittime", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("status", "tinyint(4) NOT NULL DEFAULT '1'"),
    ("weight", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("publtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("exptime", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("archive", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("title", "varchar(250) NOT NULL DEFAULT ''"),
    ("alias", "varchar(250) NOT NULL DEFAULT ''"),
    ("hometext", "text NOT NULL"),
    ("homeimgfile", "varchar(255) DEFAULT ''"),
    ("homeimgalt", "varchar(255) DEFAULT ''"),
    ("homeimgthumb", "tinyint(4) NOT NULL DEFAULT '0'"),
    ("inhome", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("allowed_comm", "varchar(255) DEFAULT ''"),
    ("allowed_rating", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("external_link", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("hitstotal", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
    ("hitscm", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
    ("total_rating", "int(11) NOT NULL DEFAULT '0'"),
    ("click_rating", "int(11) NOT NULL DEFAULT '0'"),
]
DETAIL_COLUMNS = [
    ("id", "int(11) unsigned NOT NULL"),
    ("titlesite", "varchar(255) NOT NULL DEFAULT ''"),
    ("description", "text NOT NULL"),
    ("bodyhtml", "longtext NOT NULL"),
    ("sourcetext", "varchar(255) DEFAULT ''"),
    ("imgposition", "tinyint(1) NOT NULL DEFAULT '1'"),
    ("copyright", "tinyint(1) NOT NULL DEFAULT '0'"),
    ("allowed_send", "tinyint(1) NOT NULL DEFAULT '0'"),
    ("allowed_print", "tinyint(1) NOT NULL DEFAULT '0'"),
    ("allowed_save", "tinyint(1) NOT NULL DEFAULT '0'"),
    ("gid", "mediumint(8) NOT NULL DEFAULT '0'"),
]
CAT_COLUMNS = [
    ("catid", "smallint(5) unsigned NOT NULL AUTO_INCREMENT"),
    ("parentid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
    ("title", "varchar(250) NOT NULL"),
    ("titlesite", "varchar(250) DEFAULT ''"),
    ("alias", "varchar(250) NOT NULL DEFAULT ''"),
    ("description", "text"),
    ("image", "varchar(255) DEFAULT ''"),
    ("weight", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
    ("lev", "smallint(5) NOT NULL DEFAULT '0'"),
    ("groups_view", "varchar(255) DEFAULT ''"),
    ("status", "tinyint(1) NOT NULL DEFAULT '1'"),
]
SOURCES_COLUMNS = [
    ("sourceid", "mediumint(8) unsigned NOT NULL AUTO_INCREMENT"),
    ("title", "varchar(250) NOT NULL DEFAULT ''"),
    ("link", "varchar(255) DEFAULT ''"),
    ("logo", "varchar(255) DEFAULT ''"),
    ("weight", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
    ("add_time", "int(11) unsigned NOT NULL"),
    ("edit_time", "int(11) unsigned NOT NULL"),
]
TAGS_COLUMNS = [
    ("tid", "mediumint(8) unsigned NOT NULL AUTO_INCREMENT"),
    ("numnews", "mediumint(8) NOT NULL DEFAULT '0'"),
    ("alias", "varchar(250) NOT NULL DEFAULT ''"),
    ("image", "varchar(255) DEFAULT ''"),
    ("description", "text"),
    ("keywords", "varchar(255) DEFAULT ''"),
]
TAGS_ID_COLUMNS = [
    ("id", "int(11) NOT NULL"),
    ("tid", "mediumint(9) NOT NULL"),
    ("keyword", "varchar(65) NOT NULL"),
]
COUNTER_COLUMNS = [
    ("c_type", "varchar(100) NOT NULL"),
    ("c_val", "varchar(100) NOT NULL"),
    ("last_update", "int(11) NOT NULL DEFAULT '0'"),
    ("c_count", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("vi_count", "int(11) unsigned NOT NULL DEFAULT '0'"),
]

CATEGORIES = [
    # catid, title, alias
    (1, "Tin hoạt động", "tin-hoat-dong"),
    (2, "Thông báo", "thong-bao"),
    (3, "Chỉ đạo điều hành", "chi-dao-dieu-hanh"),
    (4, "An toàn giao thông", "an-toan-giao-thong"),
    (5, "Quảng cáo", "quang-cao"),
]
TOTAL_VISITS = 278872


@dataclass
class NvArticle:
    id: int
    title: str
    alias: str
    catid: int = 1
    listcatid: str = ""
    status: int = 1
    publtime: int = 0
    exptime: int = 0
    archive: int = 1
    hometext: str = "Tóm tắt bài viết."
    bodyhtml: str = "<p>Nội dung bài viết.</p>"
    homeimgfile: str = ""
    homeimgalt: str = ""
    homeimgthumb: int = 0
    author: str = ""
    sourceid: int = 0
    hitstotal: int = 0
    edittime: int = 0
    tags: list[str] = field(default_factory=list)
    detail: bool = True


def jpeg_bytes(color=(200, 40, 40), size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def giant_png() -> bytes:
    """A small file that decodes to 96 megapixels: over the pipeline's 80 MP limit."""
    buffer = io.BytesIO()
    Image.new("1", (12000, 8000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def nukeviet_articles() -> list[NvArticle]:
    """A few dozen articles with every quirk of a real dump."""
    articles: list[NvArticle] = []
    for n in range(1, 25):
        articles.append(
            NvArticle(
                id=n,
                title=f"Hội nghị giao ban công tác tháng {n % 12 + 1} năm 2019 số {n}",
                alias=f"hoi-nghi-giao-ban-thang-{n % 12 + 1}-so-{n}",
                catid=(1, 2, 3, 4)[n % 4],
                listcatid=str((1, 2, 3, 4)[n % 4]),
                publtime=unix(2019, n % 12 + 1, 10 + n % 15),
                hometext=f"Sở tổ chức hội nghị giao ban lần thứ {n}.",
                bodyhtml=(
                    f"<p>Sáng ngày {10 + n % 15}, Sở Giao thông vận tải tổ chức hội nghị.</p>"
                    "<h2>Kết quả</h2><ul><li>Một</li><li>Hai</li></ul>"
                    "<table><tr><th>Chỉ tiêu</th><th>Kết quả</th></tr>"
                    "<tr><td>Tai nạn</td><td>giảm 5%</td></tr></table>"
                ),
                author="Văn phòng Sở" if n % 3 == 0 else "P.V",
                sourceid=1 if n % 5 == 0 else 0,
                hitstotal=100 * n + 7,
                edittime=unix(2019, n % 12 + 1, 26),
                tags=["hội nghị", "giao ban"] if n % 2 else ["an toàn giao thông"],
            )
        )
    special = [
        # addslashes escaping, HTML entities, quotes and a backslash
        NvArticle(
            101,
            "Thông báo &quot;Tuyển dụng&quot; viên chức năm 2020 &amp; lịch thi",
            "thong-bao-tuyen-dung-vien-chuc-nam-2020",
            catid=2,
            listcatid="2,1",
            publtime=unix(2020, 3, 2),
            hometext="Sở thông báo tuyển dụng \"viên chức\" năm 2020;\nthí sinh xem 'lịch thi'.",
            bodyhtml="<p>Đường dẫn C:\\tai-lieu\\ho-so.docx; điểm 'chuẩn' là \"8,5\".</p>",
            hitstotal=5321,
            tags=["tuyển dụng"],
        ),
        # a cover photo (thumbnail kept in assets/), body photos, script and onclick
        NvArticle(
            102,
            "Khởi công nút giao Tân Phúc",
            "khoi-cong-nut-giao-tan-phuc",
            catid=1,
            listcatid="1,4",
            publtime=unix(2021, 5, 19, 9, 15),
            homeimgfile="2021_05/khoi-cong.jpg",
            homeimgalt="Lễ khởi công nút giao Tân Phúc",
            homeimgthumb=1,
            bodyhtml=(
                '<p>Lễ khởi công.</p><p><img src="/uploads/news/2021_05/hien-truong.jpg" '
                'alt="Hiện trường thi công" width="600" onclick="zoom(this)"></p>'
                f'<p><img src="{SITE}/uploads/news/2021_05/may-xuc.jpg"></p>'
                '<script>alert("x")</script><p>Hết. Xem <a href="/uploads/news/2021_05/'
                'quyet-dinh.pdf">quyết định</a>.</p>'
            ),
            author="Phòng Quản lý kết cấu hạ tầng",
            hitstotal=9876,
        ),
        # a cover photo only in uploads/ (homeimgthumb 2), a corrupt and a giant body photo
        NvArticle(
            103,
            "Ảnh hỏng và ảnh quá lớn",
            "anh-hong-va-anh-qua-lon",
            catid=4,
            publtime=unix(2021, 6, 1),
            homeimgfile="2021_06/bia.jpg",
            homeimgthumb=2,
            bodyhtml=(
                '<p><img src="/uploads/news/2021_06/hong.jpg" alt="Ảnh hỏng"></p>'
                '<p><img src="/uploads/news/2021_06/khong-lo.png" alt="Ảnh khổng lồ"></p>'
                '<p><img src="/uploads/news/2021_06/khong-co.jpg" alt="Không có tệp"></p>'
            ),
        ),
        # a remote cover (homeimgthumb 3)
        NvArticle(
            104,
            "Ảnh đại diện ở máy chủ khác",
            "anh-dai-dien-o-may-chu-khac",
            catid=2,
            publtime=unix(2021, 7, 1),
            homeimgfile="https://baolamson.vn/anh/cau-moi.jpg",
            homeimgthumb=3,
        ),
        # the same alias in the same month as article 1: slug collision
        NvArticle(
            105,
            "Hội nghị giao ban (bài đăng lại)",
            "hoi-nghi-giao-ban-thang-2-so-1",
            catid=1,
            publtime=unix(2019, 2, 20),
        ),
        # Unicode in decomposed form (NFD), as some editors' tools saved it
        NvArticle(
            106,
            unicodedata.normalize("NFD", "Đường tỉnh 512 được nâng cấp"),
            "duong-tinh-512-duoc-nang-cap",
            catid=4,
            publtime=unix(2022, 1, 5),
            bodyhtml=unicodedata.normalize("NFD", "<p>Đường được trải nhựa.</p>"),
        ),
        # not public: scheduled, expired (archived), expired by status, draft, suspended, review
        NvArticle(107, "Bài hẹn giờ", "bai-hen-gio", publtime=int(NOW.timestamp()) + 30 * 86400),
        NvArticle(
            108, "Bài hết hạn", "bai-het-han", publtime=unix(2018, 1, 1), exptime=unix(2018, 6, 1)
        ),
        NvArticle(109, "Bài lưu trữ", "bai-luu-tru", status=3, publtime=unix(2018, 2, 1)),
        NvArticle(110, "Bản nháp", "ban-nhap", status=4, publtime=unix(2023, 2, 1)),
        NvArticle(111, "Bài bị đình chỉ", "bai-bi-dinh-chi", status=0, publtime=unix(2023, 2, 1)),
        NvArticle(112, "Bài chờ duyệt", "bai-cho-duyet", status=5, publtime=unix(2023, 2, 2)),
        # category mapped to "bỏ qua", a category missing from _cat, a row without _detail
        NvArticle(
            113, "Quảng cáo dịch vụ", "quang-cao-dich-vu", catid=5, publtime=unix(2023, 3, 1)
        ),
        NvArticle(
            114, "Chuyên mục đã xóa", "chuyen-muc-da-xoa", catid=99, publtime=unix(2023, 3, 2)
        ),
        NvArticle(115, "Thiếu nội dung", "thieu-noi-dung", publtime=unix(2023, 3, 3), detail=False),
    ]
    return articles + special


def _create(table: str, columns: list[tuple[str, str]], key: str) -> str:
    lines = [f"  `{name}` {kind}" for name, kind in columns]
    lines.append(f"  PRIMARY KEY (`{key}`)")
    return (
        f"DROP TABLE IF EXISTS `{table}`;\n"
        f"CREATE TABLE `{table}` (\n" + ",\n".join(lines) + "\n"
        ") ENGINE=MyISAM  DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n\n"
    )


def _insert(table: str, rows: list[list[object]]) -> str:
    if not rows:
        return ""
    values = ",\n".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
    return f"INSERT INTO `{table}` VALUES\n{values};\n\n"


def dump_text(articles: list[NvArticle], prefix: str = "nv4", copies: bool = True) -> str:
    news = f"{prefix}_vi_news"
    parts = [
        "-- ---------------------------------------\n",
        "-- NUKEVIET 4.4.02 SQL dump\n-- Máy chủ: localhost\n-- Ngày tạo: 07/12/2026 08:00\n",
        "-- ---------------------------------------\n\n",
        'SET SQL_MODE="NO_AUTO_VALUE_ON_ZERO";\nSET time_zone = "+07:00";\n',
        "/*!40101 SET NAMES utf8mb4 */;\n\n",
    ]
    parts.append(_create(f"{prefix}_counter", COUNTER_COLUMNS, "c_type"))
    parts.append(
        _insert(
            f"{prefix}_counter",
            [["total", "hits", 0, TOTAL_VISITS, TOTAL_VISITS], ["year", "2026", 0, 51234, 51234]],
        )
    )
    parts.append(_create(f"{news}_cat", CAT_COLUMNS, "catid"))
    parts.append(
        _insert(
            f"{news}_cat",
            [[c, 0, t, "", a, "", "", c, 0, "6", 1] for c, t, a in CATEGORIES],
        )
    )
    parts.append(_create(f"{news}_sources", SOURCES_COLUMNS, "sourceid"))
    parts.append(
        _insert(f"{news}_sources", [[1, "Báo Lam Sơn", "https://baolamson.vn", "", 1, 0, 0]])
    )
    row_names = [name for name, _ in ROWS_COLUMNS]
    rows = []
    for a in articles:
        values = {name: 0 for name in row_names}
        values.update(
            id=a.id, catid=a.catid, listcatid=a.listcatid or str(a.catid), author=a.author,
            sourceid=a.sourceid, addtime=a.publtime - 3600, edittime=a.edittime or a.publtime,
            status=a.status, weight=a.id, publtime=a.publtime, exptime=a.exptime,
            archive=a.archive, title=a.title, alias=a.alias, hometext=a.hometext,
            homeimgfile=a.homeimgfile, homeimgalt=a.homeimgalt, homeimgthumb=a.homeimgthumb,
            allowed_comm="6", hitstotal=a.hitstotal,
        )  # fmt: skip
        rows.append([values[name] for name in row_names])
    parts.append(_create(f"{news}_rows", ROWS_COLUMNS, "id"))
    parts.append(_insert(f"{news}_rows", rows))
    if copies:  # the per-category copies NukeViet keeps; the importer must skip them
        for catid, _title, _alias in CATEGORIES[:2]:
            table = f"{news}_{catid}"
            parts.append(_create(table, ROWS_COLUMNS, "id"))
            parts.append(_insert(table, [r for r in rows if r[1] == catid]))
    details = []
    for a in articles:
        if a.detail:
            body = a.bodyhtml.replace("\n", "")  # the dumper strips newlines from bodyhtml
            details.append([a.id, "", "", body, "", 1, 0, 1, 1, 1, 0])
    parts.append(_create(f"{news}_detail", DETAIL_COLUMNS, "id"))
    parts.append(_insert(f"{news}_detail", details))
    tag_ids: dict[str, int] = {}
    links = []
    for a in articles:
        for tag in a.tags:
            tid = tag_ids.setdefault(tag, len(tag_ids) + 1)
            links.append([a.id, tid, tag])
    parts.append(_create(f"{news}_tags", TAGS_COLUMNS, "tid"))
    parts.append(
        _insert(
            f"{news}_tags",
            [[tid, 1, tag.replace(" ", "-"), "", "", tag] for tag, tid in tag_ids.items()],
        )
    )
    parts.append(_create(f"{news}_tags_id", TAGS_ID_COLUMNS, "id"))
    parts.append(_insert(f"{news}_tags_id", links))
    return "".join(parts)


def write_nukeviet(folder: Path, articles: list[NvArticle] | None = None) -> tuple[Path, Path]:
    """``nukeviet.sql.gz`` and the site's ``uploads/`` (with ``assets/`` beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = articles if articles is not None else nukeviet_articles()
    dump = folder / "nukeviet.sql.gz"
    dump.write_bytes(gzip.compress(dump_text(articles).encode("utf-8")))
    uploads = folder / "site" / "uploads"
    files = {
        "news/2021_05/khoi-cong.jpg": jpeg_bytes((30, 90, 160)),
        "news/2021_05/hien-truong.jpg": jpeg_bytes((90, 160, 30)),
        "news/2021_05/may-xuc.jpg": jpeg_bytes((160, 30, 90)),
        "news/2021_06/bia.jpg": jpeg_bytes((10, 10, 10)),
        "news/2021_06/hong.jpg": b"\xff\xd8\xff\xe0 this is not really a jpeg",
        "news/2021_06/khong-lo.png": giant_png(),
    }
    for name, data in files.items():
        path = uploads / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    thumb = folder / "site" / "assets" / "news" / "2021_05" / "khoi-cong.jpg"
    thumb.parent.mkdir(parents=True, exist_ok=True)
    thumb.write_bytes(jpeg_bytes((30, 90, 160), (120, 90)))
    return dump, uploads


IMPORT_MAP = """\
categories:
  Tin hoạt động: Tin tức sự kiện
  Quảng cáo: bỏ qua
units:
  by_author:
    P.V: Văn phòng Sở
  default: Văn phòng Sở
"""


# -- WordPress ---------------------------------------------------------------------------------

WP_SITE = "https://giaothong.example.vn"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_item(
    post_id: int,
    title: str,
    slug: str,
    date: str,
    content: str,
    *,
    status: str = "publish",
    post_type: str = "post",
    categories: tuple[str, ...] = ("Tin tức",),
    tags: tuple[str, ...] = (),
    creator: str = "bientap",
    excerpt: str = "",
    meta: dict[str, str] | None = None,
    attachment_url: str = "",
) -> str:
    cats = "".join(
        f'<category domain="category" nicename="c{n}">{_cdata(c)}</category>'
        for n, c in enumerate(categories)
    )
    cats += "".join(
        f'<category domain="post_tag" nicename="t{n}">{_cdata(t)}</category>'
        for n, t in enumerate(tags)
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{_cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{_cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    year, month = date[:4], date[5:7]
    link = (
        f"{WP_SITE}/{year}/{month}/{slug}/"
        if post_type == "post"
        else f"{WP_SITE}/?attachment_id={post_id}"
    )
    attachment = (
        f"<wp:attachment_url>{attachment_url}</wp:attachment_url>" if attachment_url else ""
    )
    return f"""
	<item>
		<title>{_cdata(title)}</title>
		<link>{link}</link>
		<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate>
		<dc:creator>{_cdata(creator)}</dc:creator>
		<guid isPermaLink="false">{WP_SITE}/?p={post_id}</guid>
		<description></description>
		<content:encoded>{_cdata(content)}</content:encoded>
		<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{_cdata(date)}</wp:post_date>
		<wp:post_date_gmt>{_cdata(date)}</wp:post_date_gmt>
		<wp:post_modified>{_cdata(date)}</wp:post_modified>
		<wp:comment_status>{_cdata("closed")}</wp:comment_status>
		<wp:post_name>{_cdata(slug)}</wp:post_name>
		<wp:status>{_cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>{_cdata(post_type)}</wp:post_type>
		{attachment}{cats}{metas}
	</item>"""


def wxr_author(number: int, login: str, name: str) -> str:
    return (
        f"<wp:author><wp:author_id>{number}</wp:author_id>"
        f"<wp:author_login>{_cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name></wp:author>"
    )


def write_wordpress(folder: Path) -> tuple[Path, Path]:
    """``export.xml`` (WXR 1.2) and a ``wp-content/uploads`` folder."""
    folder.mkdir(parents=True, exist_ok=True)
    uploads = folder / "wp-content" / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True, exist_ok=True)
    (uploads / "2024" / "03" / "cau-vuot.jpg").write_bytes(jpeg_bytes((20, 120, 200)))
    (uploads / "2024" / "03" / "tuan-tra.jpg").write_bytes(jpeg_bytes((200, 120, 20)))
    items = [
        wxr_item(
            501,
            "Ảnh cầu vượt",
            "cau-vuot",
            "2024-03-01 10:00:00",
            "",
            post_type="attachment",
            attachment_url=f"{WP_SITE}/wp-content/uploads/2024/03/cau-vuot.jpg",
            meta={"_wp_attachment_image_alt": "Cầu vượt Đông Thành nhìn từ trên cao"},
        ),
        wxr_item(
            10,
            "Thông xe cầu vượt Đông Thành",
            "thong-xe-cau-vuot-dong-thanh",
            "2024-03-05 09:30:00",
            "Sáng nay, cầu vượt được thông xe.\n\nCầu dài 420 m.\nRộng 16 m.\n\n"
            f'<img src="{WP_SITE}/wp-content/uploads/2024/03/tuan-tra.jpg" '
            'alt="Tuần tra trên cầu">',
            categories=("Tin tức",),
            tags=("cầu đường", "thông xe"),
            excerpt="Cầu vượt Đông Thành thông xe.",
            meta={"_thumbnail_id": "501", "post_views_count": "4321"},
        ),
        wxr_item(
            11,
            "Lịch tiếp công dân tháng 4",
            "lich-tiep-cong-dan-thang-4",
            "2024-03-28 15:00:00",
            "<p>Lãnh đạo Sở tiếp công dân vào thứ Năm.</p>"
            '<p onmouseover="x()">Địa điểm: phòng 1.</p>',
            categories=("Thông báo",),
            creator="vanphong",
            meta={"views": "77"},
        ),
        wxr_item(
            12,
            "Bản nháp chưa đăng",
            "ban-nhap-chua-dang",
            "2024-04-01 08:00:00",
            "Nháp.",
            status="draft",
        ),
        wxr_item(
            13,
            "Tin có địa chỉ mã hóa",
            "tin-%c4%91a-ma-hoa",
            "2024-04-02 08:00:00",
            "Đường dẫn có dấu.",
            categories=("Tin tức",),
        ),
        wxr_item(
            14, "Trang giới thiệu", "gioi-thieu", "2024-01-01 08:00:00", "Trang.", post_type="page"
        ),
    ]
    xml = f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Cổng thông tin giao thông</title>
	<link>{WP_SITE}</link>
	<language>vi</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{WP_SITE}</wp:base_site_url>
	<wp:base_blog_url>{WP_SITE}</wp:base_blog_url>
	{wxr_author(1, "bientap", "Văn phòng Sở")}
	{wxr_author(2, "vanphong", "Nguyễn Văn An")}
	<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>tin-tuc</wp:category_nicename>
		<wp:cat_name>{_cdata("Tin tức")}</wp:cat_name></wp:category>
{"".join(items)}
</channel>
</rss>
"""
    wxr = folder / "export.xml"
    wxr.write_text(xml, encoding="utf-8")
    return wxr, uploads


# -- Saved pages -------------------------------------------------------------------------------

PAGES_CONFIG = """\
files: "**/*.html"
base_url: https://sogtvt.example.gov.vn
selectors:
  title: h1.tieu-de
  date: .ngay-dang
  body: div.noi-dung
  byline: .tac-gia
  category: .duong-dan li:last-child
  views: .luot-xem
remove: [".chia-se"]
"""


def saved_page(
    title: str,
    date: str,
    body: str,
    *,
    canonical: str = "",
    author: str = "",
    category: str = "Tin tức",
    views: str = "",
    charset: str = "utf-8",
) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>{title}</title>{link}</head>
<body><ul class="duong-dan"><li>Trang chủ</li><li>{category}</li></ul>
<h1 class="tieu-de">{title}</h1><p class="ngay-dang">Thứ hai, {date}</p>
<div class="noi-dung">{body}<div class="chia-se">Chia sẻ Facebook</div></div>
<p class="tac-gia">{author}</p><span class="luot-xem">Lượt xem: {views}</span>
</body></html>"""


def cp1258(text: str) -> bytes:
    """Windows-1258: letters with a circumflex, breve or horn precomposed, tones combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        if marks and marks[0] in "\u0302\u0306\u031b":
            base = unicodedata.normalize("NFC", base + marks.pop(0))
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def write_pages(folder: Path) -> tuple[Path, Path]:
    pages = folder / "pages"
    (pages / "tin-tuc" / "hop-bao_files").mkdir(parents=True, exist_ok=True)
    (pages / "tin-tuc" / "hop-bao_files" / "anh1.jpg").write_bytes(jpeg_bytes((50, 50, 150)))
    (pages / "tin-tuc" / "hop-bao.html").write_text(
        saved_page(
            "Họp báo quý I năm 2023", "12/04/2023 14:30",
            "<p>Sở tổ chức họp báo.</p>"
            '<p><img src="hop-bao_files/anh1.jpg" alt="Quang cảnh họp báo"></p>',
            canonical="https://sogtvt.example.gov.vn/Pages/hop-bao.aspx?ItemID=12",
            author="Văn phòng Sở", views="1.234",
        ),
        encoding="utf-8",
    )  # fmt: skip
    (pages / "tin-tuc" / "khong-ngay.html").write_text(
        saved_page("Trang không có ngày", "sắp tới", "<p>Không rõ ngày.</p>"), encoding="utf-8"
    )
    # an older page saved in Windows-1258 (decomposed tone marks), as some portals served
    legacy = saved_page(
        "Thông báo nghỉ lễ 30/4", "25/04/2023", "<p>Cơ quan nghỉ lễ.</p>",
        category="Thông báo", author="Văn phòng Sở", charset="windows-1258",
    )  # fmt: skip
    (pages / "thong-bao.html").write_bytes(cp1258(legacy))
    config = folder / "pages.yml"
    config.write_text(PAGES_CONFIG, encoding="utf-8")
    return pages, config
