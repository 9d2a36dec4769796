"""The HTTP API (Starlette). Thin: parsing, CORS and status codes; the rules live in service.py.

  POST /api/v1/hit        body {"p": "/path.html"} as text/plain (no CORS preflight) or JSON
  GET  /api/v1/stats      ?paths=/a.html,/b.html  per-page views + site numbers (max 100 paths)
  GET  /api/v1/site       site numbers
  GET  /api/v1/snapshot   export for the build (admin token, or loopback if no token is set)
  POST /api/v1/seed       admin: totals carried over from the old portal
  GET  /healthz           liveness + store state ("degraded" while the store is down)

Every refusal is a 4xx with ``{"error": code, "message": text}``; no cookies are ever set
and no IP address or user agent is logged (uvicorn's access log is off).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .paths import PathError, normalize_path
from .service import CounterService
from .settings import Settings

log = logging.getLogger("counter.app")
MAX_HIT_BODY = 2048
MAX_SEED_BODY = 8 * 1024 * 1024
MAX_STATS_PATHS = 100
ACCEPTED_TYPES = ("", "text/plain", "application/json")
NO_STORE = {"Cache-Control": "no-store"}
CORS_ENDPOINTS = ("hit", "stats", "site")


class BadRequest(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def _error(status: int, error: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status, headers=headers)


async def _read_json(request: Request, limit: int) -> object:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ACCEPTED_TYPES:
        raise BadRequest(
            415, "unsupported_media_type", "send JSON as text/plain or application/json"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, "body_too_large", f"body larger than {limit} bytes")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise BadRequest(413, "body_too_large", f"body larger than {limit} bytes")
    except ClientDisconnect as exc:
        raise BadRequest(400, "client_disconnected", "request body incomplete") from exc
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest(400, "bad_json", "body is not valid UTF-8 JSON") from exc


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(settings: Settings, service: CounterService | None = None) -> Starlette:
    """The ASGI app; ``service`` may be given by tests, otherwise built from ``settings``."""
    counter = service or CounterService(settings)
    allowed = frozenset(settings.allowed_origins)

    def cors(request: Request) -> dict[str, str] | None:
        """CORS headers for an allowed origin, {} without Origin, None for a foreign origin."""
        origin = request.headers.get("origin")
        if origin is None:
            return {}
        if origin.rstrip("/") in allowed:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return None

    def foreign() -> JSONResponse:
        return _error(403, "origin_not_allowed", "this origin may not use the counter")

    def admin(request: Request) -> JSONResponse | None:
        if not settings.admin_token:
            return _error(403, "admin_disabled", "set COUNTER_ADMIN_TOKEN to enable this endpoint")
        given = request.headers.get("authorization", "")
        expected = "Bearer " + settings.admin_token
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return _error(401, "unauthorized", "a valid admin bearer token is required")
        return None

    async def preflight(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign()
        headers.update(
            {
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "86400",
            }
        )
        return Response(status_code=204, headers=headers)

    async def hit(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign()
        headers.update(NO_STORE)
        try:
            data = await _read_json(request, MAX_HIT_BODY)
        except BadRequest as exc:
            return _error(exc.status, exc.error, exc.message, headers)
        if not isinstance(data, dict) or not isinstance(data.get("p"), str):
            return _error(400, "bad_request", 'expected {"p": "/path/of/page.html"}', headers)
        result = counter.record_hit(
            data["p"],
            request.client.host if request.client else "",
            request.headers.get("user-agent", ""),
            request.headers,
            flagged_bot=data.get("b") in (1, True, "1"),  # the widget saw navigator.webdriver
        )
        if result.status != 200:
            if result.status == 429:
                headers["Retry-After"] = "1"
            return _error(result.status, result.reason or "refused", result.message or "", headers)
        body = {
            "counted": result.counted,
            "reason": result.reason,
            "path": result.path,
            "views": result.views,
            "site": result.site,
        }
        return JSONResponse(body, headers=headers)

    async def stats(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign()
        raw = [p for p in request.query_params.get("paths", "").split(",") if p]
        if len(raw) > MAX_STATS_PATHS:
            return _error(400, "too_many_paths", f"at most {MAX_STATS_PATHS} paths", headers)
        views: dict[str, int | None] = {}
        unknown: list[str] = []
        for item in raw:
            try:
                path = normalize_path(item)
            except PathError as exc:
                return _error(400, "bad_path", f"{item[:80]!r}: {exc}", headers)
            if path in counter.manifest:
                views[path] = counter.page_views(path)
            else:
                unknown.append(path)
        headers["Cache-Control"] = "public, max-age=30"
        return JSONResponse(
            {"site": counter.site_numbers(), "views": views, "unknown": unknown}, headers=headers
        )

    async def site(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign()
        headers["Cache-Control"] = "public, max-age=30"
        return JSONResponse({"site": counter.site_numbers()}, headers=headers)

    async def snapshot(request: Request) -> Response:
        if settings.admin_token or not _is_loopback(request.client and request.client.host):
            refused = admin(request)
            if refused is not None:
                return refused
        try:
            data = await counter.snapshot()
        except Exception as exc:  # store down: the build keeps its previous snapshot
            log.warning("snapshot failed: %s", exc)
            return _error(503, "store_unavailable", "the store is unavailable, retry later")
        return JSONResponse(data, headers=NO_STORE)

    async def seed(request: Request) -> Response:
        refused = admin(request)
        if refused is not None:
            return refused
        try:
            data = await _read_json(request, MAX_SEED_BODY)
        except BadRequest as exc:
            return _error(exc.status, exc.error, exc.message)
        if not isinstance(data, dict) or not ({"total", "views"} & data.keys()):
            return _error(400, "bad_request", 'expected {"total": N, "views": {"/path": N}}')
        total = data.get("total")
        if total is not None and (type(total) is not int or total < 0):
            return _error(400, "bad_total", "total must be a whole number >= 0")
        raw_views = data.get("views") or {}
        if not isinstance(raw_views, dict):
            return _error(400, "bad_views", "views must be an object of path -> number")
        views: dict[str, int] = {}
        unknown: list[str] = []
        for raw, n in raw_views.items():
            if type(n) is not int or n < 0:
                return _error(400, "bad_views", f"views of {raw[:80]!r}: a whole number >= 0")
            try:
                path = normalize_path(raw)
            except PathError as exc:
                return _error(400, "bad_path", f"{raw[:80]!r}: {exc}")
            if path not in counter.manifest:
                unknown.append(path)
            views[path] = n
        if unknown:
            return JSONResponse(
                {
                    "error": "unknown_paths",
                    "message": "these paths are not in the manifest; nothing was imported",
                    "paths": unknown[:50],
                    "count": len(unknown),
                },
                422,
            )
        try:
            await counter.seed(total, views)
        except Exception as exc:
            log.warning("seed failed: %s", exc)
            return _error(503, "store_unavailable", "the store is unavailable, nothing imported")
        return JSONResponse(
            {"imported": len(views), "total": total, "site": counter.site_numbers()}
        )

    async def healthz(request: Request) -> Response:
        return JSONResponse(counter.health(), headers=NO_STORE)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await counter.start()
        try:
            yield
        finally:
            await counter.stop()

    routes = [
        Route("/api/v1/hit", hit, methods=["POST"]),
        Route("/api/v1/stats", stats, methods=["GET"]),
        Route("/api/v1/site", site, methods=["GET"]),
        Route("/api/v1/snapshot", snapshot, methods=["GET"]),
        Route("/api/v1/seed", seed, methods=["POST"]),
        *(Route(f"/api/v1/{name}", preflight, methods=["OPTIONS"]) for name in CORS_ENDPOINTS),
        Route("/healthz", healthz, methods=["GET"]),
    ]

    async def refused(request: Request, exc: Exception) -> Response:
        """Starlette's own refusals (unknown route, wrong method) in the API's JSON shape."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        if status == 405:
            allowed = headers.get("Allow", "")
            return _error(405, "method_not_allowed", f"use {allowed or 'another method'}", headers)
        if status == 404:
            return _error(404, "not_found", "no such endpoint; see counter/README.md", headers)
        return _error(status, "refused", str(getattr(exc, "detail", "")) or "refused", headers)

    async def failed(request: Request, exc: Exception) -> Response:
        """A bug answered in JSON (Starlette re-raises it after, so uvicorn logs the traceback)."""
        return _error(500, "internal_error", "unexpected error; the service logged it")

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: refused, Exception: failed},
    )
    app.state.counter = counter
    return app
