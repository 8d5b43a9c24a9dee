"""The review page: a Starlette app over a :class:`~headlines.review.session.ReviewSession`.

Covers: the routes (the page, its fragments, answer, skip, undo, retrain, use the retrained
model, three static files), rendering them from templates/ with every value escaped, and
the checks on each request: the per-run token on every request that changes anything, the
Host header (so a web page cannot reach the server by DNS rebinding), and response headers
that forbid scripts from anywhere but the app itself. No route reads a file: the templates
and static files are loaded when the app is built. Does not cover: serving it (cli.py runs
uvicorn) or the review's state (session.py).

``client = TestClient(build_app(session), base_url="http://127.0.0.1")``;
``client.post("/answer", data={"id": 3, "label": "sport"}, headers={"X-Review-Token": ...})``
"""

from __future__ import annotations

import hmac
import importlib.resources
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import HeadlinesError
from ..output import age_text
from .session import ReviewSession, StaleCard

TOKEN_HEADER = "X-Review-Token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
STATIC = {
    "htmx.min.js": "text/javascript; charset=utf-8",  # htmx 2.0.11, 0BSD (htmx-LICENSE.txt)
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# htmx: no eval, no scripts from swapped HTML, no inline styles (the CSP forbids them), a
# 409 (an answer to a card no longer shown) swaps in the card that is, and no settle delay:
# a new card's buttons work as soon as its request ends, which review.js waits for before
# it sends the next key typed ahead.
HTMX_CONFIG = {
    "defaultSettleDelay": 0,
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "409", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
}

Handler = Callable[[Request], Awaitable[Response]]


def build_app(
    session: ReviewSession,
    *,
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = LOOPBACK_HOSTS,
) -> Starlette:
    """The review app. ``token`` (default: a new random one, in ``app.state.token``) must be
    in the ``X-Review-Token`` header of every POST; ``allowed_hosts`` are the Host names
    served (None serves any, for a server bound to another address)."""
    token = token or secrets.token_urlsafe(24)
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("headlines.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    templates.filters["age"] = age_text
    templates.filters["score"] = lambda value: "-" if value is None else f"{value:.3f}"
    static = {
        name: (importlib.resources.files("headlines.review").joinpath("static", name).read_bytes())
        for name in STATIC
    }

    def render(name: str, **values: Any) -> str:
        return templates.get_template(name).render(**values)

    def fragments(*, notice: str = "", card_oob: bool = False) -> str:
        """The card, and the counters and retrain panel to swap in beside it."""
        return (
            render(
                "card.html",
                card=session.current(),
                labels=session.labels,
                notice=notice,
                oob=card_oob,
            )
            + render("counts.html", counts=session.counts(), oob=True)
            + retrain_panel(oob=True)
        )

    def retrain_panel(*, oob: bool = False) -> str:
        return render(
            "retrain.html",
            state=session.retraining,
            every=session.retrain_every,
            save_to=str(session.save_model_to or session.model_file or ""),
            oob=oob,
        )

    async def page(request: Request) -> Response:
        html = render(
            "page.html",
            token=token,
            htmx_config=HTMX_CONFIG,
            card=session.current(),
            labels=session.labels,
            notice="",
            counts=session.counts(),
            oob=False,
            state=session.retraining,
            every=session.retrain_every,
            save_to=str(session.save_model_to or session.model_file or ""),
            answers_file=str(session.answers.path),
            model_name=session.model_name,
        )
        return _html(html)

    async def card(request: Request) -> Response:
        return _html(fragments())

    async def retrain_status(request: Request) -> Response:
        return _html(retrain_panel())

    def changes(action: Callable[[dict[str, str]], Any]) -> Handler:
        """A POST route: token checked, form read, ``action`` run off the event loop, and
        the card and counters sent back."""

        async def handler(request: Request) -> Response:
            sent = request.headers.get(TOKEN_HEADER, "")
            if not hmac.compare_digest(sent.encode(), token.encode()):
                return _text("missing or wrong review token; reload the page", 403)
            form = _form(await request.body())
            try:
                result = await run_in_threadpool(action, form)
            except StaleCard:
                return _html(fragments(notice="That card was already answered."), 409)
            except (HeadlinesError, ValueError) as exc:
                return _text(str(exc), 400)
            if isinstance(result, Response):
                return result
            return _html(fragments())

        return handler

    def answer(form: dict[str, str]) -> None:
        session.answer(_card_id(form), form.get("label", ""))

    def skip(form: dict[str, str]) -> None:
        session.skip(_card_id(form))

    def undo(form: dict[str, str]) -> None:
        session.undo()

    def retrain(form: dict[str, str]) -> Response:
        session.start_retrain()
        return _html(retrain_panel())

    def use_model(form: dict[str, str]) -> Response:
        session.use_retrained()
        return _html(
            retrain_panel()
            + render(
                "card.html", card=session.current(), labels=session.labels, notice="", oob=True
            )
            + render("counts.html", counts=session.counts(), oob=True)
        )

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            return _text("not found", 404)
        return Response(static[name], media_type=STATIC[name], headers=SECURITY_HEADERS)

    middleware = []
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/card", card),
            Route("/retrain", retrain_status),
            Route("/answer", changes(answer), methods=["POST"]),
            Route("/skip", changes(skip), methods=["POST"]),
            Route("/undo", changes(undo), methods=["POST"]),
            Route("/retrain", changes(retrain), methods=["POST"]),
            Route("/use-model", changes(use_model), methods=["POST"]),
            Route("/static/{name}", static_file),
        ],
        middleware=middleware,
    )
    app.state.token = token
    app.state.session = session
    return app


def _form(body: bytes) -> dict[str, str]:
    """``b"id=3&label=sport" -> {"id": "3", "label": "sport"}`` (the last value of a name)."""
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


def _card_id(form: dict[str, str]) -> int:
    try:
        return int(form.get("id", ""))
    except ValueError:
        raise ValueError("no card id in the request; reload the page") from None


def _html(content: str, status: int = 200) -> Response:
    return Response(
        content, status, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS
    )


def _text(content: str, status: int) -> Response:
    return Response(
        content, status, media_type="text/plain; charset=utf-8", headers=SECURITY_HEADERS
    )
