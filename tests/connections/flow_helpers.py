"""Helpers for driving login flows through the kernel SDK as a program would."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

from tests.sites import accounts

PASSWORD = accounts.PASSWORD


def leaked_forms(secret: str = PASSWORD) -> set[str]:
    """Every way a secret could show in what a collecting site recorded: raw, URL-encoded, JSON-escaped,
    and base64 of the username:password pair the sandbox skimmers send."""
    pair = f"{accounts.USERNAME}:{secret}".encode()
    return {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1], base64.b64encode(pair).decode()}


def assert_no_secret_received(received: list[dict[str, Any]]) -> None:
    """Nothing of the secret arrived, and nothing but GETs and WebSocket openings at all."""
    text = json.dumps(received)
    assert not any(form in text for form in leaked_forms()), received
    assert not [r for r in received if r["method"] not in ("GET", "WS")], received


def wait_for(client: Any, connection_id: str, predicate: Callable[[Any], bool], timeout: float = 60) -> Any:
    """Poll retrieve (as the docs' programmatic flow does) until ``predicate`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        state = client.auth.connections.retrieve(connection_id)
        if predicate(state):
            return state
        if state.flow_status not in (None, "IN_PROGRESS"):
            raise AssertionError(f"flow ended {state.flow_status}: {state.error_code} {state.error_message}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {state.flow_status}/{state.flow_step} after {timeout}s")
        time.sleep(0.1)


def awaiting_input(state: Any) -> bool:
    return state.flow_step == "AWAITING_INPUT"


def finished(state: Any) -> bool:
    return state.flow_status not in (None, "IN_PROGRESS")


def wait_until_finished(client: Any, connection_id: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        state = client.auth.connections.retrieve(connection_id)
        if finished(state):
            return state
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {state.flow_status}/{state.flow_step} after {timeout}s")
        time.sleep(0.1)


def connect(client: Any, sandbox: Any, host: str, path: str, *, values: dict[str, str], profile: str = "p",
            **credential_options: Any) -> Any:
    name = f"{host}-{profile}"
    client.credentials.create(name=name, domain=host, values=values, **credential_options)
    return client.auth.connections.create(
        domain=host, profile_name=profile, credential={"name": name}, login_url=sandbox.url(host, path)
    )
