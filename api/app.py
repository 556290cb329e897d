"""The application factory: ``create_app(settings)`` builds the API, the pages and (on the embedded
default, when served) the in-process background worker."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware

from api import document_pages, draft_pages, figure_pages, loop_pages, pages, suit_pages, upload_pages
from api.errors import install_error_handlers
from api.routers import agencies, auth, cases, drafts, loop, reports, search, stats, suits, uploads
from api.security import session_secret
from api.services.accounts import ensure_initial_accounts
from core.db import Database
from core.settings import Settings

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
SESSION_MAX_AGE = 12 * 3600
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


def create_app(settings: Settings, *, background_worker: bool = False, db: Database | None = None) -> FastAPI:
    """Build the app. ``background_worker``: start the embedded worker with the app (``anjian serve`` on the
    embedded default, i.e. when no broker is configured)."""
    database = db or Database(settings)
    demo_message = ensure_initial_accounts(database, settings)
    if demo_message:
        print(demo_message, flush=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner: Any = None
        if background_worker and settings.broker_url is None:
            from workers.embedded import start_embedded

            runner = start_embedded(database, settings)
            log.info("embedded background worker started")
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            if runner is not None:
                runner.stop()

    app = FastAPI(
        title="案鉴 anjian API",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="行政诉讼裁判文书分析：检索、案件、更正、统计、汇编、上传。脚本请使用 API 令牌"
        "（`anjian token create`，请求头 `Authorization: Bearer …`）。",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.ready = False

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="anjian_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.session_https_only,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app, pages.render_error)
    for module in (auth, cases, search, uploads, stats, reports, agencies, suits, drafts, loop):
        app.include_router(module.router)
    app.include_router(suit_pages.router)
    app.include_router(draft_pages.router)
    app.include_router(loop_pages.router)
    app.include_router(figure_pages.router)
    app.include_router(upload_pages.router)
    app.include_router(document_pages.router)
    app.include_router(pages.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        try:
            with database.engine.connect() as conn:
                conn.execute(text("select 1"))
        except Exception:  # noqa: BLE001
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(SWAGGER_HTML)

    return app


# Swagger UI from the vendored swagger-ui-dist files (no CDN), initialised by a local script (CSP: no inline JS).
SWAGGER_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>案鉴 API 文档</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="stylesheet" href="/static/docs.css">
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png"></head>
<body><nav class="docs-back" aria-label="返回"><a href="/search">← 返回案鉴</a>
<span>接口文档：供管理员和对接系统使用，调用需登录会话或 API 令牌（anjian token）</span></nav>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>"""
