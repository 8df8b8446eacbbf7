"""The web view's application: a read-only Starlette app over one store, its routes in
:mod:`monitor.web.pages` (HTML and JSON) and :mod:`monitor.web.feeds` (Atom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from monitor.errors import UserError
from monitor.web import feeds, pages
from monitor.web.app import Guard, Web, error_response

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from monitor.store.db import Store


async def _user_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, str(exc))


# ---------------------------------------------------------------------------------------------
# the factory


def create_app(store: Store, *, public_url: str | None = None, token: str | None = None) -> ASGIApp:
    """The web view over ``store``. ``public_url``: the address readers use (links in feeds);
    ``token``: required on every request when given."""
    routes = [
        Route("/", pages.dashboard, name="dashboard"),
        Route("/operators/{operator}", pages.operator, name="operator"),
        Route("/operators/{operator}/versions/{version}", pages.version, name="version"),
        Route("/operators/{operator}/versions/{version}/raw", pages.raw, name="raw"),
        Route("/operators/{operator}/diff/{old}..{new}", pages.diff, name="diff"),
        Route("/operators/{operator}/diff", pages.diff_form, name="diff_form"),
        Route("/feeds/changes.atom", feeds.all_changes, name="feed"),
        Route("/feeds/categories/{category}.atom", feeds.category_changes, name="category_feed"),
        Route("/operators/{operator}/changes.atom", feeds.operator_changes, name="operator_feed"),
    ]
    app = Starlette(routes=routes, exception_handlers={UserError: _user_error, 404: _not_found})
    app.state.web = Web(store=store, public_url=public_url.rstrip("/") if public_url else None)
    return Guard(app, token)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, f"nothing at {request.url.path}")
