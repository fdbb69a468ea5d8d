"""Validation of names and hostnames shared by every app. Raise ``ValueError`` with a clear message."""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAME = re.compile(r"^[^\x00-\x1f\x7f/]{1,255}$")
PROFILE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,255}$")


def normalize_domain(value: str, *, field: str = "domain") -> str:
    """A hostname in lower case (IDNA-encoded), e.g. ``example.com`` or ``app.localhost``."""
    raw = value.strip().lower().rstrip(".")
    if "://" in raw or "/" in raw:
        raise ValueError(f"{field} must be a hostname such as example.com, not a URL")
    if ":" in raw:
        raise ValueError(f"{field} must be a hostname without a port")
    if raw.startswith("*."):
        raise ValueError(f"{field} must be a hostname; wildcards are not allowed here")
    try:
        raw = raw.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{field} is not a valid hostname") from None
    if not raw or len(raw) > 253 or not all(_LABEL.match(label) for label in raw.split(".")):
        raise ValueError(f"{field} is not a valid hostname")
    if raw.replace(".", "").isdigit():
        raise ValueError(f"{field} must be a hostname, not an IP address")
    return raw


def validate_name(value: str, *, field: str = "name") -> str:
    if value != value.strip():
        raise ValueError(f"{field} must not start or end with spaces")
    if not _NAME.match(value):
        raise ValueError(f"{field} must be 1 to 255 characters, without '/' or control characters")
    return value
