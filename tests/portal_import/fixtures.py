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
                '<script>alert("x")</script><p>Hết.</p>'
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
