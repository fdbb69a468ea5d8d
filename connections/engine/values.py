"""The values a login may type: the stored credential's, what a person gave, and what the site refused.

A value the site rejected is never typed again, and a secret that was submitted once and came back
to the same kind of form without a word from the site counts as rejected too: when the engine cannot
tell whether a submission was accepted, it does not send the same secret twice.
"""

from __future__ import annotations

import hashlib
import re

from connections.engine import classify
from connections.engine.classify import Input, Role
from connections.engine.hosts import IDENTIFIER_KEYS, HostPolicy
from connections.engine.types import LoginRequest, UserInput

ONE_TIME_KEYS = ("code", "totp_code", "otp")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class LoginValues:
    def __init__(self, request: LoginRequest, policy: HostPolicy) -> None:
        self.request = request
        self.policy = policy
        self.given: dict[str, str] = {}  # what a person typed in answer to a pause
        self.typed_values: dict[str, str] = {}  # what a person gave that may be saved (no one-time codes)
        self.rejected: dict[str, set[str]] = {}  # credential key -> digests of every value the site refused
        self.submitted: dict[str, set[str]] = {}  # secret key -> digests of values already sent

    def secrets(self) -> list[str]:
        stored = (*self.request.values.values(), self.request.totp_secret or "")
        return [v for v in (*stored, *self.given.values()) if v and len(v) >= 4]

    def value(self, key: str, host: str | None = None) -> str | None:
        """The value to type for ``key`` on ``host``: what the person gave, else the stored credential's
        — only where it belongs (``HostPolicy.may_type_stored``) — and never one the site rejected."""
        value = self.given.get(key)
        if value is None and (host is None or self.policy.may_type_stored(key, host)):
            value = self.request.values.get(key)
        if value is None or _digest(value) in self.rejected.get(key, set()):
            return None
        return value

    def is_stored(self, key: str) -> bool:
        return key not in self.given

    def known(self, key: str) -> str | None:
        return self.given.get(key) or self.request.values.get(key)

    # --- what was sent, and what the site said about it

    def note_submitted(self, keys: tuple[str, ...], host: str) -> None:
        for key in keys:
            if key in IDENTIFIER_KEYS or key in ONE_TIME_KEYS:
                continue
            value = self.value(key, host)
            if value is not None:
                self.submitted.setdefault(key, set()).add(_digest(value))

    def resubmits(self, keys: list[str], host: str) -> list[str]:
        """The secret keys among ``keys`` whose value was already submitted once."""
        out = []
        for key in keys:
            value = self.value(key, host)
            if value is not None and _digest(value) in self.submitted.get(key, set()):
                out.append(key)
        return out

    def reject(self, keys: set[str]) -> None:
        for key in keys:
            value = self.known(key)
            if value is not None:
                self.rejected.setdefault(key, set()).add(_digest(value))
            self.given.pop(key, None)

    def accept(self, answer: UserInput, ids: dict[str, str], *, one_time: bool = False) -> None:
        for name, value in answer.fields.items():
            key = ids.get(name, name)
            if not isinstance(value, str) or not value:
                continue
            self.given[key] = value
            if not one_time and key not in ONE_TIME_KEYS:
                self.typed_values[key] = value

    # --- which credential key a field is

    def identifier_key(self, element: Input) -> str:
        have = {k for k in ("email", "username") if self.value(k) or self.request.values.get(k)}
        words = element.words()
        if element.role == Role.EMAIL or words & classify.EMAIL_WORDS:
            order = ("email", "username")
        else:
            order = ("username", "email")
        for key in order:
            if key in have:
                return key
        return order[0]

    def extra_key(self, element: Input, used: set[str]) -> str:
        words = element.words()
        for key in self.request.values:
            if key in used:
                continue
            key_words = classify.tokens(key)
            if key_words and key_words <= words | {k.replace("_", "") for k in words}:
                return key
        label = element.describe() or element.data.get("name") or "value"
        return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "value"

    def identities(self) -> list[str]:
        """What the site may show of the signed-in user: identifiers, never secrets."""
        out = []
        for key in ("username", "email"):
            value = self.given.get(key) or self.request.values.get(key)
            if value and len(value) >= 3:
                out.append(value)
                if "@" in value:
                    out.append(value.split("@", 1)[0])
        return out
