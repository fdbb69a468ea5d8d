"""TOTP (RFC 6238) secrets: parsing base32 and otpauth:// URIs, and generating codes.

Django-free, so the login engine can use it too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
DEFAULT_ALGORITHM, DEFAULT_DIGITS, DEFAULT_PERIOD = "SHA1", 6, 30
_BASE32 = re.compile(r"^[A-Z2-7]+=*$")


class TotpError(ValueError):
    """The secret or its parameters are not valid. The message never contains the secret."""


@dataclass(frozen=True)
class TotpSpec:
    secret: str  # normalised base32, no padding
    algorithm: str | None = None
    digits: int | None = None
    period: int | None = None
    from_uri: bool = False


def normalise_base32(secret: str) -> str:
    cleaned = re.sub(r"[\s-]", "", secret).upper().rstrip("=")
    if not 16 <= len(cleaned) <= 128:
        raise TotpError("totp_secret must be 16 to 128 base32 characters, or an otpauth://totp/ URI")
    if not _BASE32.match(cleaned):
        raise TotpError("totp_secret is not valid base32 (letters A-Z and digits 2-7)")
    try:
        base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error:
        raise TotpError("totp_secret is not valid base32") from None
    return cleaned


def validate_parameters(algorithm: str | None, digits: int | None, period: int | None) -> None:
    if algorithm is not None and algorithm not in ALGORITHMS:
        raise TotpError("totp_algorithm must be one of SHA1, SHA256, SHA512")
    if digits is not None and not 6 <= digits <= 8:
        raise TotpError("totp_digits must be 6, 7 or 8")
    if period is not None and not 10 <= period <= 300:
        raise TotpError("totp_period must be between 10 and 300 seconds")


def parse_secret(value: str) -> TotpSpec:
    """Accept a base32 secret or an ``otpauth://totp/...`` URI (whose parameters win)."""
    value = value.strip()
    if not value.lower().startswith("otpauth:"):
        return TotpSpec(normalise_base32(value))
    parts = urlsplit(value)
    if parts.scheme.lower() != "otpauth" or parts.netloc.lower() != "totp":
        raise TotpError("only otpauth://totp/ URIs are supported (HOTP counters are not)")
    query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    if "secret" not in query:
        raise TotpError("the otpauth:// URI has no secret parameter")
    algorithm = query.get("algorithm", "").upper() or None
    try:
        digits = int(query["digits"]) if "digits" in query else None
        period = int(query["period"]) if "period" in query else None
    except ValueError:
        raise TotpError("the otpauth:// URI has a non-numeric digits or period") from None
    validate_parameters(algorithm, digits, period)
    unquote(parts.path)  # the label is informational only
    return TotpSpec(normalise_base32(query["secret"]), algorithm, digits, period, from_uri=True)


def generate(
    secret: str,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    digits: int = DEFAULT_DIGITS,
    period: int = DEFAULT_PERIOD,
    at: float | None = None,
) -> tuple[str, float]:
    """The code for time ``at`` (default now) and the Unix time at which it stops being valid."""
    now = time.time() if at is None else at
    counter = int(now // period)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, counter.to_bytes(8, "big"), ALGORITHMS[algorithm]).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits), (counter + 1) * period
