"""``python -m counter``: run the counter service with uvicorn (loopback + SQLite by default).

Flags override the COUNTER_* environment variables; settings are validated before anything
starts, and a bad value stops the program with a message that names the variable.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from .settings import DEFAULTS, SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m counter",
        description="Visitor counter service for the portal.",
        epilog="Environment: " + ", ".join(DEFAULTS),
    )
    parser.add_argument("--host", help="listen address [COUNTER_HOST, 127.0.0.1]")
    parser.add_argument("--port", type=int, help="listen port [COUNTER_PORT, 8001]")
    parser.add_argument("--store", help="sqlite:///path or redis://host:port/db [COUNTER_STORE]")
    parser.add_argument("--manifest", help="countable paths JSON [COUNTER_MANIFEST]")
    parser.add_argument("--check", action="store_true", help="validate settings and exit")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(
            host=args.host,
            port=args.port,
            store=args.store,
            manifest=None if args.manifest is None else __import__("pathlib").Path(args.manifest),
        )
    except SettingsError as exc:
        print(f"counter: {exc}", file=sys.stderr)
        return 2
    if args.check:
        print(f"counter: settings OK (store {settings.store}, {settings.host}:{settings.port})")
        return 0

    import uvicorn

    from .app import create_app

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # uvicorn re-raises SIGTERM/SIGINT once it has shut down gracefully, which would end the
    # process with status -15 and make a clean stop look like a crash to a supervisor. The
    # shutdown (flush, spill) is complete by then: take the re-raised signal as "done".
    stopped: list[int] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stopped.append(signum))
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # the access log would record client IP addresses
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
