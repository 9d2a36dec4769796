"""``python -m counter.fetch``: bring the live counter snapshot to the build, loudly.

CI runs it before the production build (standard library only: it runs before the
virtualenv exists). It asks the service for ``GET /api/v1/snapshot`` with the admin token,
checks the answer is a snapshot and writes it atomically where the build reads it
(``COUNTER_SNAPSHOT``). When the fetch fails, the previous snapshot stays and the pages keep
its figures; the run warns, and once the figures are older than ``COUNTER_SNAPSHOT_MAX_AGE``
hours (the previous snapshot's time, or the first failure's when there is none) it fails,
so a wrong token or a stopped service cannot go unnoticed for days.

Settings (environment; flags override):
  COUNTER_SNAPSHOT_URL       the service's snapshot URL, e.g. https://portal/api/v1/snapshot
  COUNTER_SNAPSHOT           where to write it [cache/counter-snapshot.json]
  COUNTER_ADMIN_TOKEN        the service's admin token (sent as a bearer token)
  COUNTER_SNAPSHOT_MAX_AGE   hours without fresh figures before the run fails [6]; 0: never

Exit status: 0 fetched, or failed within the allowance (with a warning); 1 failed for
longer than allowed, or a setting is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from .snapshot import SnapshotError, read_snapshot

DEFAULT_OUT = "cache/counter-snapshot.json"
DEFAULT_MAX_AGE_HOURS = 6.0
MAX_BYTES = 64 * 1024 * 1024
FAILING_SUFFIX = ".failing-since"


class FetchError(RuntimeError):
    """The snapshot could not be fetched; the message says why and what to do."""


def _explain(status: int, body: bytes) -> str:
    try:
        error = json.loads(body.decode("utf-8")).get("error", "")
    except (UnicodeDecodeError, ValueError, AttributeError):
        error = ""
    if status == 401:
        return (
            "the service refused the admin token (401): set the CI secret "
            "COUNTER_ADMIN_TOKEN to the service's COUNTER_ADMIN_TOKEN (/etc/portal/counter.env)"
        )
    if status == 403 and error == "admin_disabled":
        return (
            "the service has no admin token (403): set COUNTER_ADMIN_TOKEN in "
            "/etc/portal/counter.env, restart portal-counter, and give CI the same token"
        )
    if status == 503:
        return "the service's store is unavailable (503): see /healthz on the server"
    return f"HTTP {status} {error}".strip()


def fetch(url: str, token: str, timeout: float = 20.0) -> bytes:
    """The snapshot's bytes from the service, or FetchError."""
    headers = {"Accept": "application/json", "User-Agent": "portal-counter-fetch"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(_explain(exc.code, exc.read(4096))) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot reach {url}: {reason}") from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"the answer is larger than {MAX_BYTES} bytes")
    return body


def install(body: bytes, out: Path) -> object:
    """Check ``body`` is a readable snapshot, then put it in place atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".counter-snapshot-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        try:
            snapshot = read_snapshot(tmp)
        except SnapshotError as exc:
            raise FetchError(f"the answer is not a snapshot: {exc}") from None
        if snapshot is None or snapshot.total is None:
            raise FetchError("the answer is not a snapshot: no site figures")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return snapshot


def stale_since(out: Path, now: float) -> tuple[float, str]:
    """Since when the build has had no fresh figures, and what that time is based on."""
    try:
        previous = read_snapshot(out)
    except SnapshotError:
        previous = None
    if previous is not None and previous.asof is not None:
        return previous.asof.timestamp(), f"the last snapshot ({previous.asof:%d/%m/%Y %H:%M})"
    marker = Path(str(out) + FAILING_SUFFIX)
    try:
        return float(marker.read_text(encoding="ascii").strip()), "the first failed fetch"
    except (OSError, ValueError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{now}\n", encoding="ascii")
        return now, "this first failed fetch"


def _annotate(level: str, text: str) -> str:
    """A GitHub Actions annotation when run there (shown on the run's summary page)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return f"::{level}::" + text.replace("\n", "%0A")
    return f"{level.upper()}: {text}"


def run(url: str, out: Path, token: str, max_age_hours: float, now: float | None = None) -> int:
    now = time.time() if now is None else now
    if not token:
        print(
            _annotate(
                "warning",
                "counter snapshot: COUNTER_ADMIN_TOKEN is not set, so the service refuses the "
                "export; the pages show the last snapshot's figures (if any). Set the CI secret "
                "COUNTER_ADMIN_TOKEN to the service's token.",
            )
        )
        return 0
    try:
        snapshot = install(fetch(url, token), out)
    except FetchError as exc:
        since, basis = stale_since(out, now)
        hours = (now - since) / 3600
        text = (
            f"counter snapshot not fetched from {url}: {exc}. "
            f"No fresh counter figures for {hours:.1f} h (since {basis}); "
        )
        if max_age_hours > 0 and hours > max_age_hours:
            print(
                _annotate(
                    "error",
                    text + f"the limit is {max_age_hours:g} h (COUNTER_SNAPSHOT_MAX_AGE), so "
                    "this run stops here: fix the cause above, or raise the limit. / Không lấy "
                    "được số liệu bộ đếm truy cập quá thời hạn cho phép.",
                ),
                file=sys.stderr,
            )
            return 1
        limit = f"{max_age_hours:g} h" if max_age_hours > 0 else "no limit"
        print(_annotate("warning", text + f"the build goes on with them ({limit})."))
        return 0
    Path(str(out) + FAILING_SUFFIX).unlink(missing_ok=True)
    print(
        f"counter snapshot: total {snapshot.total}, today {snapshot.today}, "
        f"{len(snapshot.views)} pages, as of {snapshot.asof:%d/%m/%Y %H:%M} → {out}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(
        prog="python -m counter.fetch", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--url", default=env.get("COUNTER_SNAPSHOT_URL", ""))
    parser.add_argument("--out", default=env.get("COUNTER_SNAPSHOT") or DEFAULT_OUT)
    parser.add_argument(
        "--max-age",
        default=env.get("COUNTER_SNAPSHOT_MAX_AGE") or str(DEFAULT_MAX_AGE_HOURS),
        help="hours without fresh figures before failing; 0: never fail",
    )
    args = parser.parse_args(argv)
    try:
        max_age = float(args.max_age)
        if max_age < 0:
            raise ValueError
    except ValueError:
        print(f"counter.fetch: COUNTER_SNAPSHOT_MAX_AGE={args.max_age!r}: hours, 0 or more",
              file=sys.stderr)  # fmt: skip
        return 1
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        print(
            f"counter.fetch: COUNTER_SNAPSHOT_URL={args.url!r}: give the service's snapshot URL, "
            "e.g. https://sgtvt.lamson.gov.vn/api/v1/snapshot",
            file=sys.stderr,
        )
        return 1
    return run(args.url, Path(args.out), env.get("COUNTER_ADMIN_TOKEN", ""), max_age)


if __name__ == "__main__":
    sys.exit(main())
