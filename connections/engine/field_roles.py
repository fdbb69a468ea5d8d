"""Which inputs are identifiers, passwords and codes.

Signals, strongest first: the ``autocomplete`` attribute (last token), the input type, then keywords
over tokenised names, ids, labels, placeholders and nearby text, with negative lists (search,
newsletter, captcha, new/confirm password). Pure functions over the collector's input records.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    USERNAME = "username"
    EMAIL = "email"
    PASSWORD = "password"
    NEW_PASSWORD = "new_password"
    OTP = "otp"
    OTP_DIGIT = "otp_digit"
    TEXT = "text"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    IGNORE = "ignore"


def tokens(*texts: str) -> set[str]:
    joined = " ".join(t for t in texts if t)
    joined = re.sub(r"([a-z])([A-Z])", r"\1 \2", joined).lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", joined) if p]
    return set(parts) | {"".join(parts[i : i + 2]) for i in range(len(parts) - 1)}


def phrase(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9@.]+", " ", text.lower())).strip()


USERNAME_WORDS = {"username", "user", "userid", "login", "loginid", "identifier", "handle", "account", "accountname",
                  "memberid", "customerid", "loginfmt", "jusername", "uid", "benutzername"}
EMAIL_WORDS = {"email", "mail", "emailaddress"}
PASSWORD_WORDS = {"password", "passwd", "pass", "pwd", "pw", "passwort", "secret"}
NEW_PASSWORD_WORDS = {"new", "confirm", "confirmation", "repeat", "retype", "again", "verify"}
OTP_WORDS = {"otp", "totp", "code", "verification", "verificationcode", "onetime", "2fa", "mfa", "passcode",
             "authenticator", "token", "pin", "securitycode", "twofactor", "authcode", "smscode", "otc"}
SEARCH_WORDS = {"search", "query", "q", "find", "suche"}
NEWSLETTER_WORDS = {"newsletter", "subscribe", "subscription", "mailinglist", "updates"}
IGNORE_WORDS = {"captcha", "coupon", "promo", "zip", "postal", "phone", "address"}
OTP_NAME_RE = re.compile(
    r"one.?time|(?:\b|_)(?:otp|otc|totp|sms|2fa|mfa)(?:\b|_)|(?:otp|otc|totp|sms|2fa|mfa).?(?:code|token|input|val|pin)"
    r"|verif(?:y|ication)?.?code|(?:second|two|2).?factor|email_code|\bcode\b",
    re.I,
)


def role_of(data: dict[str, Any]) -> Role:
    kind = data.get("type", "text")
    if data.get("disabled"):
        return Role.IGNORE
    if kind == "checkbox":
        return Role.CHECKBOX
    if kind == "radio":
        return Role.RADIO
    if kind in ("search", "date", "time", "color", "range", "month", "week", "url", "select", "select-one"):
        return Role.IGNORE
    autocomplete = (data.get("autocomplete") or "").split()
    hint = autocomplete[-1] if autocomplete else ""
    if hint == "webauthn" and len(autocomplete) > 1:
        hint = autocomplete[-2]
    words = tokens(data.get("name", ""), data.get("id", ""), data.get("label", ""), data.get("placeholder", ""), data.get("aria", ""))
    context = tokens(data.get("context", ""))
    if hint == "one-time-code":
        return Role.OTP
    if hint == "current-password":
        return Role.PASSWORD
    if hint == "new-password":
        return Role.NEW_PASSWORD
    if kind == "password":
        if words & NEW_PASSWORD_WORDS and words & PASSWORD_WORDS:
            return Role.NEW_PASSWORD
        if words & {"otp", "totp", "pin", "code", "passcode"} and not words & PASSWORD_WORDS:
            return Role.OTP
        return Role.PASSWORD
    if words & SEARCH_WORDS:
        return Role.IGNORE
    if words & {"captcha"}:
        return Role.IGNORE
    if (words | context) & NEWSLETTER_WORDS and not words & USERNAME_WORDS:
        return Role.IGNORE
    if hint in ("username",):
        return Role.USERNAME
    if hint == "email" or kind == "email":
        return Role.EMAIL
    if data.get("maxlength") == 1 and (kind in ("tel", "number", "text") or data.get("inputmode") == "numeric"):
        return Role.OTP_DIGIT
    name_id = f"{data.get('name', '')} {data.get('id', '')}"
    if OTP_NAME_RE.search(name_id) or (words & OTP_WORDS and not words & (USERNAME_WORDS | EMAIL_WORDS)):
        return Role.OTP
    if kind == "text" and words & PASSWORD_WORDS and not words & {"hint", "forgot"}:
        return Role.PASSWORD  # a type=text password box
    if words & EMAIL_WORDS:
        return Role.EMAIL
    if words & USERNAME_WORDS:
        return Role.USERNAME
    if words & IGNORE_WORDS:
        return Role.IGNORE
    if kind in ("text", "tel", "number", "textarea", "") and hint not in ("off",):
        return Role.TEXT
    return Role.IGNORE
