"""The word index cut again into small chunks (``bundle._rechunk``): what a search fetches
per query word, and that it finds what Pagefind's own chunks find (Pagefind 1.5.2 counts
only the positions of words without marks, so Vietnamese chunks grew to hundreds of KB).

A site of 240 pages of Vietnamese words, indexed by Pagefind twice: as the build does
(``bundle.normalize`` cuts the index again) and as Pagefind cut it.
"""

from __future__ import annotations

import functools
import json
import random
import socket
import subprocess
from pathlib import Path

import pytest

from plugins.search import bundle, indexer
from tests.browser_fixtures import SiteHandler, open_tab, serve

SYLLABLES = str.split(
    "giao thông vận tải đường bộ cầu cống bến xe khách kiểm tra tải trọng sát hạch lái "
    "an toàn bảo trì sửa chữa quốc lộ tỉnh huyện dự án đầu tư công trình thi công mưa lũ "
    "sạt lở khắc phục hậu quả cấp giấy phép đăng kiểm phương tiện người dân doanh nghiệp "
    "thủ tục hành chính cải cách trực tuyến hồ sơ tiếp nhận kết quả thanh tra xử phạt vi "
    "phạm trật tự đô thị biển báo tín hiệu đèn nút giao hạ tầng kỹ thuật chất lượng"
)
QUERIES = [
    "cầu", "cau", "đường", "duong", "giao thông", "giao thong", "sạt lở", "sat lo", "kiểm",
    "kiem tra tai trong", "bến xe", "ben", "hồ sơ trực tuyến", "ho so", "dự án", "du an",
    "phạt", "phat", "thủ tục hành chính", "thu tuc", "xe", "qu", "tín hiệu", "hạ tầng",
    '"cầu"', '"cau"', "chất lượng", "doanh", "lũ", "lu",
]  # fmt: skip
YEAR = "2024"


def _site(base: Path) -> Path:
    rng = random.Random(13)
    site = base / "site"
    for i in range(240):
        words = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(150, 300)))
        page = site / YEAR / f"bai-{i:03d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head>'
            f'<body><article data-pagefind-body><h1 data-pagefind-meta="title">Bài {i}</h1>'
            f"<p>{words}</p></article></body></html>",
            encoding="utf-8",
        )
    return site


def _index_chunks(folder: Path) -> list[list[str]]:
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    meta_hash = entry["languages"]["vi"]["hash"]
    return bundle.read_file(folder / f"pagefind.{meta_hash}.pf_meta")[2]


def _words(folder: Path) -> list:
    words = []
    for _from, _to, name in _index_chunks(folder):
        words += bundle.read_file(folder / "index" / f"{name}.pf_index")[0]
    return words


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """(the build's bundle, Pagefind's own cut of the same pages: filters normalised only)."""
    base = tmp_path_factory.mktemp("chunks")
    site = _site(base)
    groups = {f"/{YEAR}/bai-{i:03d}/": YEAR for i in range(240)}
    indexer.build_index(site, groups=groups)
    ours = site / "pagefind" / YEAR
    own = base / "own"
    subprocess.run(
        [
            *(str(indexer.pagefind_binary()), "--site", str(site), "--output-path", str(own)),
            *("--force-language", "vi", "--glob", f"{YEAR}/**/*.html", "--quiet"),
        ],
        check=True,
        capture_output=True,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bundle, "_rechunk", lambda *_args: ([], []))
        assert bundle.normalize(own)
    return ours, own


def test_the_index_is_cut_into_small_chunks_holding_every_word(indexed):
    ours, own = indexed
    own_sizes = [p.stat().st_size for p in (own / "index").iterdir()]
    sizes = [p.stat().st_size for p in (ours / "index").iterdir()]
    assert len(own_sizes) <= 2 < len(sizes)  # Pagefind's: one or two chunks for all
    assert max(sizes) < max(own_sizes) / 2
    assert _words(ours) == _words(own)  # the same entries, in the same order
    assert len(_index_chunks(ours)) == len(sizes)
    # normalising again changes nothing; Pagefind's own cut is recognised and cut again
    before = {p.name: p.read_bytes() for p in ours.rglob("*") if p.is_file()}
    assert bundle.normalize(ours)
    assert {p.name: p.read_bytes() for p in ours.rglob("*") if p.is_file()} == before


def test_a_chunk_list_cut_otherwise_leaves_the_bundle_as_pagefind_wrote_it(indexed, tmp_path):
    _ours, own = indexed
    odd = tmp_path / "odd"
    for path in own.rglob("*"):
        if path.is_file():
            target = odd / path.relative_to(own)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    entry = json.loads((odd / "pagefind-entry.json").read_text())
    meta_path = odd / f"pagefind.{entry['languages']['vi']['hash']}.pf_meta"
    meta = bundle.read_file(meta_path)
    meta[2][0][1] = meta[2][0][1] + "x"  # a range Pagefind's cut would not give
    meta_path.write_bytes(bundle.pack(meta))
    odd_files = {p: p.read_bytes() for p in odd.rglob("*") if p.is_file()}
    assert bundle.normalize(odd) is False
    assert {p: p.read_bytes() for p in odd.rglob("*") if p.is_file()} == odd_files


def _serve(folder: Path):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    handler = functools.partial(SiteHandler, directory=str(folder))
    return serve(folder, sock, handler), f"http://127.0.0.1:{sock.getsockname()[1]}"


def _results(tab, url: str) -> dict[str, list[str]]:
    tab.goto(url + "/pagefind-entry.json")
    return tab.evaluate(
        """async ([base, queries]) => {
          const pagefind = await import(base + "/pagefind.js");
          await pagefind.options({ baseUrl: "/" });
          const out = {};
          for (const exact of [false, true]) {
            await pagefind.options({ exactDiacritics: exact });
            for (const query of queries) {
              const found = (await pagefind.search(query)).results;
              out[exact + " " + query] = (await Promise.all(found.map((r) => r.data())))
                .map((data) => data.url);
            }
          }
          return out;
        }""",
        [url, QUERIES],
    )


def test_searches_find_what_pagefinds_own_chunks_find_in_the_same_order(indexed, browser):
    ours, own = indexed
    servers = [_serve(ours), _serve(own)]
    try:
        found = []
        for _server, url in servers:
            for tab in open_tab(browser, 800, 600):
                missing = []
                tab.on("response", lambda r, m=missing: r.status >= 400 and m.append(r.url))
                found.append(_results(tab, url))
                assert missing in ([], [url + "/favicon.ico"]), missing
    finally:
        for server, _url in servers:
            server.shutdown()
            server.server_close()
    ours_found, own_found = found
    assert ours_found == own_found
    assert all(ours_found[f"false {query}"] for query in QUERIES)  # each finds pages
