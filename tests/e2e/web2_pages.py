"""Pages for the test_web2_*.py modules (not a test module itself): a booted app in a fresh profile."""

from __future__ import annotations

import conftest

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def boot(make_context, server, url: str | None = None, **kw):
    """(page, watch): `url` (default: the app) opened in a new context, booted (conftest.boot)."""
    _, page, watch = conftest.boot(make_context, server, url, **kw)
    return page, watch
