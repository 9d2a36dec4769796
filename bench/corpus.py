"""A deterministic synthetic corpus of Vietnamese news posts, for benchmarks.

    python -m bench.corpus DEST --posts 10000 [--images 20] [--seed 1]

writes DEST/content (posts, the real unit and category registries, optional photos)
and prints what it wrote. Same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_VOCABULARY = (
    "sở giao thông vận tải tổ chức hội nghị triển khai kế hoạch bảo đảm trật tự an toàn "
    "đường bộ cầu cống kiểm tra tải trọng xe đăng kiểm phương tiện sát hạch lái xe cải cách "
    "hành chính dịch vụ công trực tuyến hồ sơ thủ tục người dân doanh nghiệp nâng cấp tuyến "
    "quốc lộ tỉnh lộ bảo trì thường xuyên mùa mưa bão khắc phục sạt lở thông suốt giải ngân "
    "vốn đầu tư công dự án đấu thầu lựa chọn nhà thầu giám sát chất lượng công trình nghiệm thu "
    "bàn giao đưa vào sử dụng tuyên truyền phổ biến pháp luật học sinh cán bộ công chức viên "
    "chức lãnh đạo chỉ đạo điều hành đôn đốc báo cáo kết quả tháng quý năm nhiệm vụ trọng tâm"
)
WORDS = _VOCABULARY.split()

UNITS = [
    "Văn phòng Sở",
    "Thanh tra Sở",
    "Phòng KH-TC",
    "Phòng Quản lý vận tải",
    "Phòng QLKCHT",
    "Phòng QLCL",
    "Trung tâm Đăng kiểm",
    "Trung tâm Sát hạch",
    "Ban Bảo trì",
    "Ban QLDA",
    "so-gtvt",
    "Trạm KTTTX",
]
CATEGORIES = [
    "Tin tức sự kiện",
    "Thông báo",
    "Chỉ đạo điều hành",
    "Cải cách hành chính",
    "An toàn giao thông",
    "Phổ biến giáo dục pháp luật",
    "Dự án, đấu thầu",
    "Văn bản",
]
TAGS = [
    "giao ban",
    "an toàn giao thông",
    "đăng kiểm",
    "tải trọng xe",
    "cải cách hành chính",
    "bảo trì",
    "đấu thầu",
    "mùa mưa bão",
    "Tết",
    "dịch vụ công",
    "sát hạch",
    "quy hoạch",
]


def _sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def post_text(index: int, rng: random.Random, start: dt.datetime, image: str | None) -> str:
    when = start + dt.timedelta(hours=index * 7 + rng.randint(0, 5), minutes=rng.randint(0, 59))
    title = f"{_sentence(rng, 5, 11)[:-1]} (số {index})"
    header = [
        f"Title: {title}",
        f"Date: {when:%d/%m/%Y %H:%M}",
        f"Unit: {rng.choice(UNITS)}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}",
        f"Summary: {_sentence(rng)}",
        f"Author: Biên tập viên {rng.randint(1, 40)}",
    ]
    if image:
        header += [f"Image: {image}", f"Image_Alt: Ảnh minh họa bài số {index}"]
    body = []
    for section in range(rng.randint(1, 3)):
        if section:
            body.append(f"## Mục {section + 1}")
        body += [_paragraph(rng) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.3:
            body.append("\n".join(f"- {_sentence(rng, 4, 9)}" for _ in range(3)))
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def write_corpus(dest: Path, posts: int, images: int = 0, seed: int = 1) -> Path:
    """Write ``dest/content`` and return it; an existing content folder is replaced."""
    rng = random.Random(seed)
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "posts").mkdir(parents=True)
    for name in ("units.yml", "categories.yml"):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    image_paths = _write_images(content, images, rng) if images else []
    start = dt.datetime(2016, 1, 4, 8, 0)
    for index in range(posts):
        image = image_paths[index % len(image_paths)] if image_paths and index % 10 == 0 else None
        text = post_text(index, rng, start, image)
        year = (start + dt.timedelta(hours=index * 7)).year
        path = content / "posts" / str(year) / f"bai-{index:05d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def _write_images(content: Path, count: int, rng: random.Random) -> list[str]:
    from PIL import Image, ImageDraw

    folder = content / "images" / "bench"
    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        image = Image.new("RGB", (1600, 1067), (rng.randint(0, 255), 90, 140))
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y = rng.randint(0, 1500), rng.randint(0, 1000)
            draw.rectangle((x, y, x + 100, y + 60), fill=(rng.randint(0, 255), 200, 80))
        path = folder / f"anh-{index:03d}.jpg"
        image.save(path, quality=85)
        paths.append(f"images/bench/{path.name}")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--images", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    content = write_corpus(args.dest, args.posts, args.images, args.seed)
    print(f"wrote {args.posts} posts into {content}")


if __name__ == "__main__":
    main()
