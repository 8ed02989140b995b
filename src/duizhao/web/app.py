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
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__, formats
from ..errors import ConfigError, DuizhaoError
from ..pipeline import Aligner, add_bytes
from ..store import EditError, NotFoundError, StaleEditError, Store, StoredDocument, mark, parse_lang

HERE = Path(__file__).parent
EXPORT_FORMATS = ("tmx", "tsv", "jsonl", "html", "docx", "epub", "png")
# An upload is aligned inside the request, with the encoder: 2 MB is a long bilingual page (some 20,000
# sentences, minutes of encoding). Larger documents go through `duizhao add`, which has --fast and progress.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_MAX_UPLOAD_BODY = MAX_UPLOAD_BYTES + 64 * 1024  # the file and its multipart headers
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # controls, bidi overrides
FETCH_HEADER = "x-duizhao-fetch"  # set by review.js: answer with the rows instead of a redirect


class BadRequest(DuizhaoError):
    """A request the app cannot act on: a malformed id, a missing field (answered with 400)."""


def _marked(text: str, spans: list[tuple[int, int]], css_class: str) -> Markup:
    return Markup(mark(text, spans, f'<mark class="{css_class}">', "</mark>", html.escape))


def _confidence(score: float) -> str:
    return "high" if score >= 0.8 else "mid" if score >= 0.5 else "low"


def _safe_url(url: str) -> str:
    # only web links become clickable: a stored "javascript:" URL must stay text
    return url if url.lower().startswith(("http://", "https://")) else ""


def _int(value: Any, what: str) -> int:
    # ASCII digits only (int() would also take "1_0" and "١"), and within SQLite's integers.
    text = str(value)
    if not re.fullmatch(r"-?[0-9]+", text):
        raise BadRequest(f"{what} must be a whole number, got {text[:40]!r}")
    if len(text.lstrip("-")) > 18:
        raise BadRequest(f"{what} {text[:40]} is too large")
    return int(text)


def _upload_name(filename: str) -> str:
    """The uploaded file's name as stored and shown: no folders, no control characters, at most 120 bytes."""
    name = _NAME_CONTROL.sub("", Path(filename.replace("\\", "/")).name)
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    if len(name.encode()) > 120:
        extension = extension.encode()[:10].decode("utf-8", "ignore")
        stem = stem.encode()[:120 - 1 - len(extension.encode())].decode("utf-8", "ignore")
        name = stem + dot + extension
    return name or "upload"


def _is_loopback(name: str) -> bool:
    """localhost (and *.localhost, which browsers send to this machine too), 127.0.0.0/8 or ::1."""
    import ipaddress

    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class _LoopbackOnly:
    """Answer only requests addressed to this machine by a loopback name, or by a name in `allowed` (a
    reverse proxy's public name). A server on 127.0.0.1 is still reachable from a web page whose own domain
    an attacker points at 127.0.0.1 (DNS rebinding); such a request carries that domain in its Host header."""

    def __init__(self, app: Any, allowed: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.allowed = frozenset(name.lower() for name in allowed)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = _host_name(host)
            # No Host at all (HTTP/1.0) cannot come from a browser, and so not from a rebinding page.
            if host and not _is_loopback(name) and name.lower() not in self.allowed:
                port = (scope.get("server") or ("", 0))[1]
                response = Response(f"duizhao serves this machine only: open it as http://127.0.0.1:{port}/ "
                                    f"(this request was for {host[:60]!r}; behind a proxy, start it with "
                                    "--allow-host NAME)", status_code=421)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refuse_cross_site(request: Request) -> None:
    """A form on another site must not edit or upload through the reviewer's browser (CSRF): browsers say
    where a POST comes from in Origin and Sec-Fetch-Site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # every current browser sends it, and it is exact: same-origin, or a typed URL ("none")
        foreign = site not in ("same-origin", "none")
    else:  # older browsers: Origin, when sent ("null" from a sandboxed frame is foreign too)
        origin = request.headers.get("origin")
        foreign = origin is not None and urlsplit(origin).netloc != request.headers.get("host")
    if foreign:
        raise HTTPException(403, "this request came from another site, so it was refused: "
                                 "make the edit on duizhao's own page")


def create_app(db_path: str | os.PathLike, *, loopback_only: bool = False,
               allowed_hosts: frozenset[str] = frozenset()) -> Starlette:
    """The app for the corpus at `db_path` (created, with its schema, if missing). `loopback_only`: answer
    only requests addressed to 127.0.0.1 / localhost or to one of `allowed_hosts` (what `serve` does on a
    loopback address)."""
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
    aligner = Aligner()  # the encoder loads with the first upload, once

    async def with_store(work: Callable[[Store], Any]) -> Any:
        """Run `work` on a fresh connection in a worker thread (SQLite calls block)."""

        def run() -> Any:
            with Store(db_path) as store:
                return work(store)

        return await run_in_threadpool(run)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def document_id(request: Request) -> int:
        text = request.path_params["doc_id"]
        if text.isascii() and text.isdigit() and len(text) > 18:
            raise NotFoundError(f"no document {text[:40]}: the number is out of range")
        return _int(text, "the document id")

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
        result = await with_store(lambda store: store.search(term, parse_lang(lang), limit)) if term else None
        return page(request, "search.html", term=term, lang=lang or "", result=result)

    # --- actions ---

    async def upload(request: Request) -> Response:
        _refuse_cross_site(request)
        too_big = BadRequest(f"the file is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit of an upload: "
                             f"add it from the command line with `duizhao add FILE --db {db_path.name}` "
                             "(with --fast for very large documents)")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > _MAX_UPLOAD_BODY:
            raise too_big  # before reading a byte of it
        received = 0

        async def receive_at_most():
            # Without a Content-Length (a chunked upload), count what arrives and stop at the limit.
            nonlocal received
            message = await request.receive()
            received += len(message.get("body", b""))
            if received > _MAX_UPLOAD_BODY:
                raise too_big
            return message

        async with Request(request.scope, receive_at_most).form() as form:
            file = form.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                raise BadRequest("choose a bilingual file to upload (text or HTML)")
            data = await file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise too_big
            name = _upload_name(file.filename)
        added = await with_store(lambda store: add_bytes(store, data, name, aligner))
        return RedirectResponse(f"/doc/{added.doc_id}", status_code=303)

    async def edit(request: Request) -> Response:
        _refuse_cross_site(request)
        doc_id = document_id(request)
        async with request.form() as form:
            fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
        action = fields.get("action", "")
        position = fields.get("position")
        # The page's review_state: an edit made on a view that has changed since is refused (409).
        expected = fields.get("state") or None

        def apply(store: Store) -> StoredDocument:
            if action == "merge":
                store.merge(doc_id, _int(position, "position"), expected=expected)
            elif action == "split":
                zh_at, en_at = (None if fields.get(k) is None else _int(fields[k], k) for k in ("zh_at", "en_at"))
                store.split(doc_id, _int(position, "position"), zh_at, en_at, expected=expected)
            elif action.startswith("move:"):
                _, lang, direction = (action.split(":") + ["", ""])[:3]
                store.move(doc_id, _int(position, "position"), lang, direction, expected=expected)
            elif action in ("review", "unreview"):
                store.mark_reviewed(doc_id, _int(position, "position"), reviewed=action == "review", expected=expected)
            elif action in ("review-document", "unreview-document"):
                store.mark_reviewed(doc_id, None, reviewed=action == "review-document", expected=expected)
            elif action == "undo":
                store.undo(doc_id, expected=expected)
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

    async def conflict(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", status=409, status_code=409, message=str(exc))

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
        StaleEditError: conflict,
        EditError: bad_request,
        DuizhaoError: bad_request,  # BadRequest, and InputError from an upload the pipeline cannot read
        Exception: server_error,
    }
    middleware = [Middleware(_LoopbackOnly, allowed=allowed_hosts)] if loopback_only else []
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware)


_MEDIA_TYPES = {
    "tmx": "application/x-tmx+xml",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "epub": "application/epub+zip",
    "png": "image/png",
}


def serve(db_path: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000,
          allow_hosts: tuple[str, ...] = ()) -> None:
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
        # The corpus is opened (or created) only once the address is known to work.
        app = create_app(db_path, loopback_only=_is_loopback(host), allowed_hosts=frozenset(allow_hosts))
    except BaseException:
        listener.close()
        raise
    print(f"duizhao: serving {db_path} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])
