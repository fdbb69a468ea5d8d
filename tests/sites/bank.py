"""bank.localhost — the victim of the trust-boundary tests (placeholder; filled in by those tests)."""

from __future__ import annotations

from tests.sites.framework import Request, Response, Site


class BankSite(Site):
    hosts = ("bank.localhost",)
    brand = "Bank"

    def dispatch(self, req: Request) -> Response | None:
        return None
