"""slow.localhost — a login whose steps the tests can hold up (placeholder; filled in by the delete tests)."""

from __future__ import annotations

from tests.sites.framework import Request, Response, Site


class SlowSite(Site):
    hosts = ("slow.localhost",)
    brand = "Slowpoke"

    def dispatch(self, req: Request) -> Response | None:
        return None
