"""The review and search web app: server-rendered pages over one corpus file, a little plain JavaScript.

Every page is rendered from the store on each request, and every edit is a POST that the store saves in
its own transaction, so what the reviewer sees survives a reload and a restart. Without JavaScript the
row buttons are ordinary forms (POST, then a redirect back to the row); with it, the same POST answers
with the re-rendered rows and the page stays where it is.
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import html
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import anyio
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
from ..pipeline import Aligner, known_document
from ..store import EditError, NotFoundError, StaleEditError, Store, StoredDocument, TimeLimitError, mark, parse_lang
from . import searches as searches_module
from .searches import Busy, Searches

HERE = Path(__file__).parent
EXPORT_FORMATS = ("tmx", "tsv", "jsonl", "html", "docx", "epub", "png")
# An upload is aligned inside the request, with the encoder: 2 MB is a long bilingual page (some 20,000
# sentences, minutes of encoding). Larger documents go through `duizhao add`, which has --fast and progress.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_MAX_UPLOAD_BODY = MAX_UPLOAD_BYTES + 64 * 1024  # the file and its multipart headers
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # controls, bidi overrides
INDEX_PAGE = 100  # documents per index page (5,000 documents are 50 pages, not one 3.5 MB page)
MAX_SEARCH_LIMIT = 500  # hits on one search page
READER_THREADS = 8  # connections reading pages at once; more requests wait their turn (the GIL runs one anyway)
# Edits that change what a search finds (which sentences form a link, where it is): the others, marking
# links reviewed, keep the cached searches.
_REGROUPING = ("merge", "split", "move", "undo")
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


TOKEN_COOKIE = "duizhao_token"
# Sent with every response: no other site may frame a page (a click in a hidden frame is a same-origin
# POST: clickjacking), no content sniffing, and no Referer that could carry a ?token= elsewhere.
_SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def _cookie(headers: dict[bytes, bytes], name: str) -> str:
    from http.cookies import SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # a malformed Cookie header is no cookie
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel else ""


class _Guard:
    """What every request passes before the app sees it.

    - Host: only requests addressed to this machine by a loopback name, by an IP address, by this machine's
      own name, or by a name in `allowed` (a reverse proxy's public name). A page whose own domain an
      attacker points at this server (DNS rebinding) carries that domain in its Host header and is refused.
      On a loopback bind IP addresses other than loopback ones are refused too.
    - Token (when `token` is set, i.e. served beyond loopback): the `?token=` of the address `serve` printed
      sets a cookie (HttpOnly, SameSite=Strict) and redirects to the same page without it; later requests
      carry the cookie, or `Authorization: Bearer TOKEN` from a script. Anything else is 401.
    - Security headers on every response (no framing: clickjacking).
    """

    def __init__(self, app: Any, allowed: frozenset[str] = frozenset(), token: str | None = None,
                 check_host: bool = True) -> None:
        import socket

        self.app = app
        self.check_host = check_host or bool(token)
        self.allowed = frozenset(name.lower().rstrip(".") for name in allowed)
        self.token = token
        if token:  # beyond loopback: this machine's own names are what clients on the network use
            names = {socket.gethostname(), socket.getfqdn()}
            self.allowed |= {name.lower().rstrip(".") for name in names if name}

    def _host_ok(self, host: str) -> bool:
        name = _host_name(host).lower().rstrip(".")
        if _is_loopback(name) or name in self.allowed:
            return True
        return bool(self.token) and _is_ip_literal(name)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_SECURITY_HEADERS]}
            await send(message)

        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        # No Host at all (HTTP/1.0) cannot come from a browser, and so not from a rebinding page.
        if self.check_host and host and not self._host_ok(host):
            port = (scope.get("server") or ("", 0))[1]
            response = Response(f"duizhao serves this machine only: open it as http://127.0.0.1:{port}/ "
                                f"(this request was for {host[:60]!r}; behind a proxy, start it with "
                                "--allow-host NAME)", status_code=421)
            await response(scope, receive, send_with_headers)
            return
        if self.token and not self._authorised(scope, headers):
            response = await self._token_response(scope)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _authorised(self, scope, headers: dict[bytes, bytes]) -> bool:
        import hmac

        assert self.token
        expected = self.token.encode()
        given = _cookie(headers, TOKEN_COOKIE).encode("latin-1", "replace")
        if given and hmac.compare_digest(given, expected):
            return True
        bearer = headers.get(b"authorization", b"")
        return bearer.startswith(b"Bearer ") and hmac.compare_digest(bearer[7:].strip(), expected)

    async def _token_response(self, scope) -> Response:
        import hmac
        from urllib.parse import parse_qsl, urlencode

        assert self.token
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((value for key, value in query if key == "token"), "")
        if given and hmac.compare_digest(given.encode("latin-1", "replace"), self.token.encode()):
            rest = urlencode([(key, value) for key, value in query if key != "token"])
            target = scope.get("path", "/") + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return response
        return Response("this duizhao server needs its token: open the address that `duizhao serve` printed "
                        "(it ends in ?token=…), or send the header `Authorization: Bearer TOKEN`",
                        status_code=401, media_type="text/plain")


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
               allowed_hosts: frozenset[str] = frozenset(), token: str | None = None,
               search_processes: int = 0) -> Starlette:
    """The app for the corpus at `db_path` (created, with its schema, if missing). `loopback_only`: answer
    only requests addressed to 127.0.0.1 / localhost or to one of `allowed_hosts` (what `serve` does on a
    loopback address). `token`: every request must carry it (what `serve --allow-remote` does).
    `search_processes`: run searches in that many worker processes (started with the app, stopped with
    it); 0 runs them in threads.

    Pages and searches read through read-only connections, so a corpus on read-only storage can still be
    browsed and searched (its edits and uploads are refused with a message)."""
    db_path = Path(db_path)
    writable = True
    try:
        Store(db_path).close()  # create or migrate now: a bad file fails at start, not on the first request
    except DuizhaoError as err:
        if not db_path.is_file():
            raise
        try:
            Store(db_path, create=False, readonly=True).close()  # readable: serve it read-only
        except DuizhaoError:
            raise err from None
        writable = False
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
    )
    environment.filters["marked"] = _marked
    environment.filters["confidence"] = _confidence
    environment.filters["safe_url"] = _safe_url
    environment.globals["version"] = __version__
    templates = Jinja2Templates(env=environment)
    aligner = Aligner()  # the encoder loads with the first upload, once

    async def with_store(work: Callable[[Store], Any], write: bool = False) -> Any:
        """Run `work` on a fresh connection in a worker thread (SQLite calls block); a read-only
        connection unless the work writes."""
        if write and not writable:
            raise BadRequest(f"{db_path.name} is read-only here (its file or folder cannot be written), so it "
                             "can be read and searched but not edited: copy it somewhere writable to review it")

        def run() -> Any:
            with Store(db_path, create=write, readonly=not write) as store:
                return work(store)

        def run_write() -> Any:
            # One connection for all the app's writes, kept open: closing a connection can checkpoint the
            # WAL, which would change the files after `after_write` looked at them. Another program (`duizhao
            # add`) may commit at any moment, even during this write: SQLite's data_version, read before the
            # files are looked at and after, changes with a commit in between (and not with this one's).
            if not writer:
                writer.append(Store(db_path, create=True, readonly=False))
            store = writer[0]
            version = store.data_version()
            searches.before_write()
            try:
                return work(store)
            finally:
                searches.after_write()
                if store.data_version() != version:
                    searches.changed()

        if not write:
            async with readers:
                return await run_in_threadpool(run)
        async with writers:
            return await run_in_threadpool(run_write)

    # Threads that may hold a connection at once: readers share the pool, so 200 clients queue here instead
    # of making 200 threads fight over the GIL; writers one at a time (SQLite writes one at a time anyway).
    readers = anyio.CapacityLimiter(READER_THREADS)
    writers = anyio.Lock()
    writer: list[Store] = []  # the write connection, once there has been a write
    uploads = anyio.Lock()

    searches = Searches(db_path, search_processes, writers.locked)
    changed = searches.changed

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        # The search processes load before the first request is accepted (uvicorn listens once this is
        # done): a search made while they load would spend its time limit waiting for them.
        await asyncio.gather(*(asyncio.wrap_future(started) for started in searches.start()))
        try:
            yield
        finally:
            searches.stop()
            while writer:
                writer.pop().close()

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def document_id(request: Request) -> int:
        text = request.path_params["doc_id"]
        if text.isascii() and text.isdigit() and len(text) > 18:
            raise NotFoundError(f"no document {text[:40]}: the number is out of range")
        return _int(text, "the document id")

    # --- pages ---

    async def index(request: Request) -> HTMLResponse:
        page_number = max(1, _int(request.query_params.get("page", "1"), "page"))
        offset = (page_number - 1) * INDEX_PAGE

        def listing(store: Store) -> tuple[list, int]:
            return store.documents(offset=offset, limit=INDEX_PAGE), store.document_count()

        documents, total = await with_store(listing)
        pages = max(1, -(-total // INDEX_PAGE))
        return page(request, "index.html", documents=documents, db=db_path.name, page_number=page_number,
                    pages=pages, total=total, writable=writable)

    async def review(request: Request) -> HTMLResponse:
        doc_id = document_id(request)
        stored = await with_store(lambda store: store.document(doc_id))
        return page(request, "review.html", doc=stored, al=stored.alignment, formats=EXPORT_FORMATS)

    async def search(request: Request) -> HTMLResponse:
        term = request.query_params.get("q", "").strip()
        lang = request.query_params.get("lang") or None
        limit = min(_int(request.query_params.get("limit", "50"), "limit"), MAX_SEARCH_LIMIT)
        try:
            result = await searches.cached(term, parse_lang(lang), limit) if term else None
        except TimeLimitError as err:
            return page(request, "search.html", status=503, term=term, lang=lang or "", result=None,
                        message=str(err))
        return page(request, "search.html", term=term, lang=lang or "", result=result, message="")

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
                raise BadRequest("choose a bilingual file to upload (text, HTML, Word, EPUB, PDF, subtitles, XLIFF or PO)")
            data = await file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise too_big
            name = _upload_name(file.filename)
        if not writable:
            await with_store(lambda store: None, write=True)  # says why
        known, ids = await with_store(lambda store: known_document(store, data))
        if known is None:
            if uploads.locked():  # one upload aligns at a time; the others get a message, not a hung page
                raise Busy("another upload is being aligned right now: try again in a minute "
                           "(or add many files with `duizhao add`)")
            async with uploads:
                alignment = await run_in_threadpool(aligner.bytes, data, name)
            known, _ = await with_store(lambda store: store.add(alignment, *ids), write=True)
            changed()
        return RedirectResponse(f"/doc/{known}", status_code=303)

    async def edit(request: Request) -> Response:
        _refuse_cross_site(request)
        doc_id = document_id(request)
        async with request.form() as form:
            fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
        action = fields.get("action", "")
        position = fields.get("position")
        # The page's review_state: an edit made on a view that has changed since is refused (409).
        expected = fields.get("state") or None

        rows = bool(request.headers.get(FETCH_HEADER))  # review.js wants the rows back; a form, a redirect

        def apply(store: Store) -> StoredDocument | None:
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
            # the document is read (while edits wait) only for a page that shows it
            return store.document(doc_id) if rows else None

        stored = await with_store(apply, write=True)
        if action.startswith(_REGROUPING):
            changed()
        if stored is not None:
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

    async def busy(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", status=503, status_code=503, message=str(exc))

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
        Busy: busy,
        EditError: bad_request,
        DuizhaoError: bad_request,  # BadRequest, and InputError from an upload the pipeline cannot read
        Exception: server_error,
    }
    middleware = [Middleware(_Guard, allowed=allowed_hosts, token=token, check_host=loopback_only)]
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=lifespan)


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
          allow_hosts: tuple[str, ...] = (), allow_remote: bool = False, token: str | None = None) -> None:
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
    loopback = _is_loopback(host) or _is_loopback(str(address[0]))
    if not loopback and not allow_remote:
        raise ConfigError(f"--host {host} would let anyone who can reach this machine read and edit the corpus: "
                          "keep the default 127.0.0.1, or add --allow-remote to serve it with a secret token")
    if token is not None and len(token) < 16:
        raise ConfigError("--token must be at least 16 characters: leave it out and one is generated")
    if not loopback:
        import secrets

        token = token or secrets.token_urlsafe(24)
    else:
        token = None  # on loopback the Host check is what keeps other sites out
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
        app = create_app(db_path, loopback_only=loopback, allowed_hosts=frozenset(allow_hosts), token=token,
                         search_processes=searches_module.SEARCH_PROCESSES)
    except BaseException:
        listener.close()
        raise
    if token:
        shown = f"[{host}]" if ":" in host else host
        print(f"duizhao: serving {db_path} to the network at http://{shown}:{port}/?token={token} "
              "(open that address once; anyone with the token can read and edit; Ctrl-C to stop)", flush=True)
    else:
        print(f"duizhao: serving {db_path} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])
