"""collector.localhost — the attacker's server: it answers anything and records everything.

Tests read what arrived with ``received("collector.localhost")`` (every Site records its requests;
this one exists only for that).
"""

from __future__ import annotations

from tests.sites.framework import Request, Response, Site, document, html_response


class CollectorSite(Site):
    hosts = ("collector.localhost",)
    brand = "collector"

    def dispatch(self, req: Request) -> Response | None:
        if req.method == "OPTIONS":  # be a permissive CORS endpoint, like a real exfiltration sink
            response = Response(b"", 204)
        elif req.path == "/steal":
            response = html_response(document("Please wait…", "<p>Verifying your account, please wait…</p>"))
        else:
            response = Response(b"ok", 200, "text/plain")
        response.headers += [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", "*"),
        ]
        return response
