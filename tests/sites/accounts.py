"""The one account every sandbox site knows, and the authenticator-app maths (RFC 6238 TOTP).

Any other password is wrong on every site.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

USERNAME = "alice"
EMAIL = "alice@example.com"
PASSWORD = "correct-horse-battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, SHA1, 6 digits, 30 s
DISPLAY_NAME = "Alice"

# How sites show where they "sent" a code, without giving the whole address away.
MASKED_EMAIL = "a•••@example.com"
MASKED_PHONE = "•••• 42"

TOTP_STEP = 30
TOTP_DIGITS = 6


def is_user(identifier: str) -> bool:
    """Whether the username or email someone typed is alice's (case and surrounding spaces ignored)."""
    return identifier.strip().lower() in {USERNAME, EMAIL}


def is_email(identifier: str) -> bool:
    return identifier.strip().lower() == EMAIL


def check_password(identifier: str, password: str) -> bool:
    return is_user(identifier) and hmac.compare_digest(password.encode(), PASSWORD.encode())


def totp(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The RFC 6238 code for ``secret`` at Unix time ``at`` (now by default)."""
    cleaned = secret.replace(" ", "").upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    counter = int((time.time() if at is None else at) // TOTP_STEP)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F  # RFC 4226 dynamic truncation
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def verify_totp(code: str, secret: str = TOTP_SECRET, at: float | None = None) -> bool:
    """Accept the current and the previous window: a code typed just as it rolls over still works."""
    now = time.time() if at is None else at
    code = code.strip().replace(" ", "")
    return any(hmac.compare_digest(code, totp(secret, now - back * TOTP_STEP)) for back in (0, 1))
