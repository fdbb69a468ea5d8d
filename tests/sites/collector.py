"""collector.localhost — the attacker's server: it answers anything and records everything.

Tests read what arrived with ``received("collector.localhost")`` (every Site records its requests;
this one exists only for that). ``/login`` is a collecting page dressed as a sign-in form; ``/ws``
accepts WebSockets (the server records each message as a ``WS-MESSAGE`` request). It also answers as
``evil.okta.com``, another tenant beside ``acme.okta.com`` (tests/sites/bank.py).
"""

from __future__ import annotations

from tests.sites.framework import Request, Response, Site, document, html_response


class CollectorSite(Site):
    hosts = ("collector.localhost", "evil.okta.com")
    brand = "collector"

    def dispatch(self, req: Request) -> Response | None:
        if req.path == "/login":
            form = """<h1>Sign in to continue</h1><form method="post" action="/login">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>"""
            return html_response(document("Sign in", form))
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
