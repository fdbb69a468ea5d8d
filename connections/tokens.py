"""Hosted-page tokens: a JWT (HS256) scoped to one connection and one flow.

The hosted login page trades its single-use handoff code for one (``POST …/exchange``), then uses it
as a bearer token on exactly what Kernel's hosted UI calls: GET the connection, submit, the events
stream and the WebSocket.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from django.conf import settings

# After its flow ends a token can still read the final state for a short while, so a page that was
# polling shows "done" rather than "session expired"; it can no longer submit anything.
READ_GRACE_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key() -> bytes:
    return hashlib.sha256(b"authhub-hosted-token|" + settings.SECRET_KEY.encode()).digest()


@dataclass(frozen=True)
class HostedToken:
    connection_id: str
    flow_id: str
    project_id: str
    expires_at: float


def issue(*, connection_id: str, flow_id: str, project_id: str, expires_at: float) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": connection_id, "flow": flow_id, "proj": project_id, "scope": "hosted_login",
              "iat": int(time.time()), "exp": int(expires_at)}
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key(), f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{signature}"


def looks_like_token(value: str) -> bool:
    return value.count(".") == 2 and value.startswith("eyJ")


def verify(token: str) -> HostedToken | None:
    """The token's claims when its signature is good and it has not expired; otherwise None."""
    try:
        header, body, signature = token.split(".")
        expected = _b64(hmac.new(_key(), f"{header}.{body}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            return None
        claims = json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError):
        return None
    if claims.get("scope") != "hosted_login" or float(claims.get("exp", 0)) < time.time():
        return None
    return HostedToken(claims["sub"], claims["flow"], claims["proj"], float(claims["exp"]))
