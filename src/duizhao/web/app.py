"""The review and search web app: server-rendered pages over one corpus file, a little plain JavaScript.

Every page is rendered from the store on each request, and every edit is a POST that the store saves in
its own transaction, so what the reviewer sees survives a reload and a restart. Without JavaScript the
row buttons are ordinary forms (POST, then a redirect back to the row); with it, the same POST answers
with the re-rendered rows and the page stays where it is.
"""
from __future__ import annotations

import errno
import html
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..errors import ConfigError, DuizhaoError
from ..store import EditError, NotFoundError, Store, StoredDocument, content_hash, mark

HERE = Path(__file__).parent
EXPORT_FORMATS = ("tmx", "tsv", "jsonl")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FETCH_HEADER = "x-duizhao-fetch"  # set by review.js: answer with the rows instead of a redirect


class BadRequest(DuizhaoError):
    """A request the app cannot act on: a malformed id, a missing field (answered with 400)."""


def _marked(text: str, spans: list[tuple[int, int]], css_class: str) -> Markup:
    return Markup(mark(text, spans, f'<mark class="{css_class}">', "</mark>", html.escape))


def _confidence(score: float) -> str:
    return "high" if score >= 0.8 else "mid" if score >= 0.5 else "low"


def _safe_url(url: str) -> str:
    # only web links become clickable: a stored "javascript:" URL must stay text
    return url if url.startswith(("http://", "https://")) else ""


def _int(value: Any, what: str) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise BadRequest(f"{what} must be a whole number, got {str(value)[:40]!r}") from None


def create_app(db_path: str | os.PathLike) -> Starlette:
    """The app for the corpus at `db_path` (created, with its schema, if missing)."""
    db_path = Path(db_path)
    Store(db_path).close()  # create or migrate now: a bad file fails at start, not on the first request
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
    )
    environment.filters["marked"] = _marked
    environment.filters["confidence"] = _confidence
    environment.filters["safe_url"] = _safe_url
    environment.globals["version"] = __version__
    templates = Jinja2Templates(env=environment)

    async def with_store(work: Callable[[Store], Any]) -> Any:
        """Run `work` on a fresh connection in a worker thread (SQLite calls block)."""

        def run() -> Any:
            with Store(db_path) as store:
                return work(store)

        return await run_in_threadpool(run)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def document_id(request: Request) -> int:
        return _int(request.path_params["doc_id"], "the document id")

    # --- pages ---

    async def index(request: Request) -> HTMLResponse:
        documents = await with_store(lambda store: store.documents())
        return page(request, "index.html", documents=documents, db=db_path.name)

    async def review(request: Request) -> HTMLResponse:
        doc_id = document_id(request)
        stored = await with_store(lambda store: store.document(doc_id))
        return page(request, "review.html", doc=stored, al=stored.alignment, formats=EXPORT_FORMATS)

    async def search(request: Request) -> HTMLResponse:
        term = request.query_params.get("q", "").strip()
        lang = request.query_params.get("lang") or None
        limit = _int(request.query_params.get("limit", "50"), "limit")
        result = await with_store(lambda store: store.search(term, lang, limit)) if term else None
        return page(request, "search.html", term=term, lang=lang or "", result=result)

    # --- actions ---

    async def upload(request: Request) -> Response:
        from ..pipeline import process_bytes

        async with request.form(max_part_size=MAX_UPLOAD_BYTES) as form:
            file = form.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                raise BadRequest("choose a bilingual file to upload (text or HTML)")
            data = await file.read()
            name = Path(file.filename).name
        digest = content_hash(data)
        known = await with_store(lambda store: store.find(digest))
        if known is None:
            alignment = await run_in_threadpool(process_bytes, data, name)
            known, _ = await with_store(lambda store: store.add(alignment, digest))
        return RedirectResponse(f"/doc/{known}", status_code=303)

    async def edit(request: Request) -> Response:
        doc_id = document_id(request)
        async with request.form() as form:
            fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
        action = fields.get("action", "")
        position = fields.get("position")

        def apply(store: Store) -> StoredDocument:
            if action == "merge":
                store.merge(doc_id, _int(position, "position"))
            elif action == "split":
                zh_at, en_at = (None if fields.get(k) is None else _int(fields[k], k) for k in ("zh_at", "en_at"))
                store.split(doc_id, _int(position, "position"), zh_at, en_at)
            elif action.startswith("move:"):
                _, lang, direction = (action.split(":") + ["", ""])[:3]
                store.move(doc_id, _int(position, "position"), lang, direction)
            elif action in ("review", "unreview"):
                store.mark_reviewed(doc_id, _int(position, "position"), reviewed=action == "review")
            elif action in ("review-document", "unreview-document"):
                store.mark_reviewed(doc_id, None, reviewed=action == "review-document")
            elif action == "undo":
                store.undo(doc_id)
            else:
                raise BadRequest(
                    f"unknown action {action[:40]!r}: use merge, split, move:LANG:up|down, review, unreview, "
                    "review-document, unreview-document or undo"
                )
            return store.document(doc_id)

        stored = await with_store(apply)
        if request.headers.get(FETCH_HEADER):
            return page(request, "_rows.html", doc=stored, al=stored.alignment)
        anchor = f"#link-{position}" if position and position.isdigit() else ""
        return RedirectResponse(f"/doc/{doc_id}{anchor}", status_code=303)

    async def export(request: Request) -> Response:
        doc_id = document_id(request)
        name = request.path_params["fmt"]
        if name not in EXPORT_FORMATS:
            raise HTTPException(404, f"no export format {name!r}: choose one of {', '.join(EXPORT_FORMATS)}")
        stored = await with_store(lambda store: store.document(doc_id))
        from .. import formats

        fmt = formats.get(name)
        folder = tempfile.mkdtemp(prefix="duizhao-export-")
        stem = formats.output_stem(stored.alignment)
        try:
            [written] = await run_in_threadpool(fmt.write, stored.alignment, Path(folder) / f"{stem}.{fmt.extension}")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return FileResponse(
            written, filename=written.name, media_type=_MEDIA_TYPES[name],
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )

    # --- errors: a page with the message, never a stack trace ---

    async def http_error(request: Request, exc: Exception) -> Response:
        message = str(exc) if isinstance(exc, NotFoundError) else getattr(exc, "detail", "") or "no such page"
        status = getattr(exc, "status_code", 404) if isinstance(exc, HTTPException) else 404
        return page(request, "error.html", status=status, status_code=status, message=message)

    async def bad_request(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", status=400, status_code=400, message=str(exc))

    async def server_error(request: Request, exc: Exception) -> Response:
        return HTMLResponse(
            "<!doctype html><title>duizhao: error</title><p>Something went wrong on the server; "
            "your saved work is safe. Reload the page to continue.</p>",
            status_code=500,
        )

    routes = [
        Route("/", index),
        Route("/upload", upload, methods=["POST"]),
        Route("/search", search),
        Route("/doc/{doc_id}", review),
        Route("/doc/{doc_id}/edit", edit, methods=["POST"]),
        Route("/doc/{doc_id}/export/{fmt}", export),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers = {
        HTTPException: http_error,
        NotFoundError: http_error,
        EditError: bad_request,
        DuizhaoError: bad_request,  # BadRequest, and InputError from an upload the pipeline cannot read
        Exception: server_error,
    }
    return Starlette(routes=routes, exception_handlers=handlers)


_MEDIA_TYPES = {
    "tmx": "application/x-tmx+xml",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}


def serve(db_path: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn until interrupted.

    The socket is bound here, before the address is announced, so that a port in use or an unknown host is
    one error line rather than uvicorn's log after a "serving" line that was not true.
    """
    import socket

    import uvicorn

    if not 1 <= port <= 65535:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as err:  # UnicodeError: a name IDNA cannot encode ("a..b")
        reason = getattr(err, "strerror", None) or str(err)
        raise ConfigError(f"--host {host!r} is not an address of this machine ({reason}): "
                          "try 127.0.0.1, or 0.0.0.0 for every interface") from None
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as err:
        listener.close()
        if err.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} is in use: stop what uses it, or pass another --port") from None
        raise ConfigError(f"cannot listen on {host}:{port} ({err.strerror}): check --host and --port") from None
    try:
        app = create_app(db_path)  # the corpus is opened (or created) only once the address is known to work
    except BaseException:
        listener.close()
        raise
    print(f"duizhao: serving {db_path} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])
