"""What every request passes before the app sees it: a trusted Host, same-origin state changes,
a bounded body, and the security headers on every answer.

The app has no login and listens on loopback, so a web page in the user's own browser is the
way in for anyone else:

- DNS rebinding: a page on ``evil.example`` points its name at 127.0.0.1 and then reads this app
  as if it were its own origin. Its requests still carry ``Host: evil.example``, so a request
  whose Host is not an allowed name is refused (403), whatever its method.
- Cross-site requests: a page elsewhere can post a form here or send ``fetch`` without reading
  the answer. Browsers say where such a request comes from (``Origin``, ``Referer``,
  ``Sec-Fetch-Site``), so a state-changing request from another origin is refused (403). One
  with none of these headers is not from a page (curl, scripts, the tests) and goes on.
- Size: a body over ``MAX_BODY`` is refused with 413 from its ``Content-Length``, or as soon as
  that much has arrived, before anything parses it.

A pure ASGI middleware (not ``@app.middleware``), so the check costs microseconds a request.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openstp.web.limits import MAX_BODY

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
"""Host names always allowed: the loopback server's own names."""
UNSAFE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
SECURITY_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
                               "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}.items()]
DRAIN = 16 * MAX_BODY
"""Bytes of an over-size body read and dropped before answering 413, so that a client still
sending it reads the answer instead of a reset connection; past this the connection is cut."""


def host_name(host: str) -> str:
    """The name in a Host header, lower case, without port: ``[::1]:8000`` → ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.partition(":")[0]


def _allowed_name(name: str) -> str:
    """An allowed host as ``host_name`` gives it: a bare IPv6 address, or a name without port."""
    try:
        return str(ipaddress.ip_address(name.strip("[] ")))
    except ValueError:
        return host_name(name)


def same_origin(headers: Headers) -> bool:
    """False if the browser says the request comes from a page on another origin."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    host = headers.get("host", "").lower()
    for name in ("origin", "referer"):  # Origin if sent; Referer for older browsers
        value = headers.get(name)
        if value is not None:
            url = urlsplit(value)  # "null" (a sandboxed or file:// page) has no scheme
            return url.scheme in ("http", "https") and url.netloc.lower() == host
    return True


class Guard:
    """The ASGI middleware: see the module's docstring. ``allowed_hosts`` add to loopback's."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = (),
                 max_body: int = MAX_BODY):
        self.app = app
        self.allowed = frozenset(_allowed_name(h) for h in (*LOOPBACK_NAMES, *allowed_hosts))
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_security_headers(send)
        headers = Headers(scope=scope)
        if host_name(headers.get("host", "")) not in self.allowed:
            names = ", ".join(sorted(self.allowed))
            await _refuse(scope, receive, send, 403, f"this server answers only to {names}; "
                          "start it with --allowed-host NAME to add a name")
            return
        if scope["method"] in UNSAFE_METHODS:
            if not same_origin(headers):
                await _refuse(scope, receive, send, 403, "cross-site request refused")
                return
            try:
                body = await self._body(headers, receive)
            except _TooLarge:
                await _refuse(scope, receive, send, 413, f"the request is over "
                              f"{self.max_body:,} bytes, the most this server reads")
                return
            if body is None:  # the client went away
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    async def _body(self, headers: Headers, receive: Receive) -> bytes | None:
        """The whole body (None if the client went away); ``_TooLarge`` past ``max_body``."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            if int(declared) <= DRAIN:
                await _drain(receive)
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_body:
                if more:
                    await _drain(receive)
                raise _TooLarge
            if not more:
                return b"".join(chunks)


class _TooLarge(Exception):
    """The body is over the limit (raised before it is parsed)."""


async def _drain(receive: Receive) -> None:
    """Read and drop up to ``DRAIN`` bytes of a body that is refused anyway."""
    size = 0
    while size <= DRAIN:
        message = await receive()
        size += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *SECURITY_HEADERS]}
        await send(message)

    return wrapped


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    """Answer ``status`` with ``message``: JSON under /api/, plain text elsewhere."""
    if scope["path"].startswith("/api/"):
        response: PlainTextResponse | JSONResponse = JSONResponse({"detail": message}, status)
    else:
        response = PlainTextResponse(message, status)
    await response(scope, receive, send)
