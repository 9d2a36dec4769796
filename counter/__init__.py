"""Visitor counter service for the portal ("Đang truy cập / Hôm nay / Tổng lượt truy cập").

Layout:
  paths, privacy, visits, ratelimit, manifest, bots, batch  pure logic, no web framework
  settings        environment settings, validated at start
  stores/         SQLite (default) and Redis back-ends behind one small interface
  service         the counting core: in-memory aggregation, periodic flush, degraded mode
  app             the Starlette ASGI app (HTTP API)
  snapshot        build-side reader of snapshots and writer of the manifest (stdlib only)
  __main__        ``python -m counter``: runs uvicorn on loopback with SQLite by default

See counter/README.md for operators.
"""

__version__ = "1.0.0"
