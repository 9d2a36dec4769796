"""Load test of the counter service on loopback: hits/s, p50/p99 latency, CPU per hit and memory.

For each store (SQLite, then Redis if redis-server is installed) it starts ``python -m counter``
(one uvicorn worker) on a free 127.0.0.1 port with a manifest of 10,000 articles, warms it up,
then runs wrk (Debian package ``wrk``; a Python asyncio/httpx generator if wrk is missing)
with 16 connections for DURATION seconds (at most 30). Every request is a distinct visitor
(random X-Forwarded-For from the IPv6 documentation prefix, trusted from 127.0.0.1) on a
random article, so each hit goes through the whole counting path.

Memory per 10,000 articles = RSS of a service whose 10,000 articles are all seeded and cached
minus RSS of the same service with a one-article manifest.

    .venv/bin/python bench/counter_load.py [--duration 20] [--stores sqlite,redis]

Targets (issue 5): >= 1,500 hits/s and p99 <= 50 ms at 16 connections for one worker.
Only loopback addresses are used; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counter.snapshot import write_manifest  # noqa: E402

UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
TOKEN = "bench-admin-token-0123456789"
CONNECTIONS = 16
ARTICLES = 10_000
CLK_TCK = os.sysconf("SC_CLK_TCK")

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local ip = string.format("2001:db8:%%x:%%x::%%x", math.random(0, 65535),
                           math.random(0, 65535), math.random(1, 65535))
  local body = '{"p":"' .. paths[math.random(#paths)] .. '"}'
  return wrk.format("POST", "/api/v1/hit", {
    ["Content-Type"] = "text/plain",
    ["User-Agent"] = "%(ua)s",
    ["X-Forwarded-For"] = ip,
  }, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Service:
    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full = {**os.environ, **env, "PYTHONPATH": str(ROOT), "COUNTER_LOG_LEVEL": "warning"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counter", "--port", str(self.port)],
            cwd=workdir,
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=0.5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("counter service did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def run_wrk(url: str, duration: int, script: Path) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "tool": "wrk",
        "requests": total,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "none",
    }


async def _py_load(url: str, duration: int, paths: list[str]) -> dict:
    latencies: list[float] = []
    codes: dict[int, int] = {}
    stop = time.monotonic() + duration

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=url, verify=False, timeout=10) as http:
            while time.monotonic() < stop:
                ip = f"2001:db8:{random.getrandbits(16):x}:{random.getrandbits(16):x}::1"
                t = time.perf_counter()
                r = await http.post(
                    "/api/v1/hit",
                    content=json.dumps({"p": random.choice(paths)}),
                    headers={"User-Agent": UA, "X-Forwarded-For": ip},
                )
                latencies.append((time.perf_counter() - t) * 1000)
                codes[r.status_code] = codes.get(r.status_code, 0) + 1

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    elapsed = time.monotonic() - start
    latencies.sort()
    n = len(latencies)
    return {
        "tool": "python-httpx (wrk not installed; the client shares the 2 cores)",
        "requests": n,
        "rps": n / elapsed,
        "p50": latencies[n // 2],
        "p99": latencies[min(n - 1, int(n * 0.99))],
        "non_2xx": n - codes.get(200, 0),
        "socket_errors": "none",
    }


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--dir", str(workdir), "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def stored_views(url: str) -> int:
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite:///") :])
        n = conn.execute("SELECT COALESCE(SUM(views), 0) FROM page_total").fetchone()[0]
        conn.close()
        return n
    import redis

    r = redis.Redis.from_url(url)
    n = sum(int(v) for v in r.hvals("ctr:views"))
    r.close()
    return n


def bench_store(kind: str, duration: int, workdir: Path) -> dict:
    paths = [
        f"/tin-tuc/{2026 - i % 5}/bai-viet-so-{i}-ve-giao-thong-tinh.html" for i in range(ARTICLES)
    ]
    manifest, small = workdir / "manifest.json", workdir / "manifest-1.json"
    write_manifest(paths, manifest)
    write_manifest(paths[:1], small)
    paths_file = workdir / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    redis_proc = None
    if kind == "redis":
        redis_proc, store = start_redis(workdir)
    else:
        store = f"sqlite:///{workdir / 'counter.sqlite3'}"
    env = {
        "COUNTER_STORE": store,
        "COUNTER_ADMIN_TOKEN": TOKEN,
        "COUNTER_SPILL_PATH": str(workdir / "spill.json"),
    }
    try:
        base = Service({**env, "COUNTER_MANIFEST": str(small)}, workdir)
        httpx.get(base.url + "/api/v1/site")
        rss_base = rss_mb(base.proc.pid)
        base.stop()

        svc = Service({**env, "COUNTER_MANIFEST": str(manifest)}, workdir)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        seed = {"total": 278_872, "views": {p: 100 + i for i, p in enumerate(paths)}}
        httpx.post(svc.url + "/api/v1/seed", json=seed, headers=auth, timeout=30).raise_for_status()
        httpx.get(svc.url + "/api/v1/snapshot", headers=auth, timeout=30).raise_for_status()
        rss_10k = rss_mb(svc.proc.pid)

        script = workdir / "hit.lua"
        script.write_text(WRK_SCRIPT % {"paths": paths_file, "ua": UA})
        use_wrk = shutil.which("wrk") is not None
        if use_wrk:
            run_wrk(svc.url, 3, script)  # warm-up
        httpx.get(svc.url + "/api/v1/snapshot", headers=auth, timeout=30)  # flushes
        views_before = stored_views(store)
        cpu0 = cpu_seconds(svc.proc.pid)
        if use_wrk:
            result = run_wrk(svc.url, duration, script)
        else:
            result = asyncio.run(_py_load(svc.url, duration, paths))
        cpu = cpu_seconds(svc.proc.pid) - cpu0
        rss_after = rss_mb(svc.proc.pid)
        svc.stop()
        counted = stored_views(store) - views_before
        result.update(
            store=kind,
            cpu_us_per_hit=cpu / max(result["requests"], 1) * 1e6,
            rss_base_mb=rss_base,
            rss_10k_mb=rss_10k,
            rss_after_load_mb=rss_after,
            mem_per_10k_articles_mb=rss_10k - rss_base,
            stored_views_during_load=counted,
        )
        return result
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per store (max 30)")
    parser.add_argument("--stores", default="sqlite,redis")
    args = parser.parse_args()
    duration = max(1, min(args.duration, 30))
    rows = []
    for kind in [s.strip() for s in args.stores.split(",") if s.strip()]:
        if kind == "redis" and shutil.which("redis-server") is None:
            print("redis: skipped (redis-server not installed: apt-get install redis-server)")
            continue
        with tempfile.TemporaryDirectory(prefix=f"counter-bench-{kind}-") as tmp:
            rows.append(bench_store(kind, duration, Path(tmp)))
    print(
        f"\ncounter load test: POST /api/v1/hit, 1 worker, {CONNECTIONS} connections, {duration} s"
    )
    print(f"tool: {rows[0]['tool'] if rows else '-'}; nproc={os.cpu_count()}")
    head = f"{'store':8} {'hits/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'non2xx':>7} {'CPU us/hit':>10}"
    head += f" {'requests':>8} {'stored':>8} {'MB/10k art.':>11} {'RSS after':>9}"
    print(head)
    ok = True
    for r in rows:
        print(
            f"{r['store']:8} {r['rps']:8.0f} {r['p50']:7.2f} {r['p99']:7.2f} {r['non_2xx']:7d} "
            f"{r['cpu_us_per_hit']:10.0f} {r['requests']:8d} {r['stored_views_during_load']:8d} "
            f"{r['mem_per_10k_articles_mb']:11.1f} {r['rss_after_load_mb']:8.1f}M"
        )
        ok &= r["rps"] >= 1500 and r["p99"] <= 50 and r["non_2xx"] == 0
    print("targets (>= 1,500 hits/s, p99 <= 50 ms, no errors):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
