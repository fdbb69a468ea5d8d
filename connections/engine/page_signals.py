"""What a page says besides its form: the site's error message, a cookie banner in the way, and the
evidence of a session (sign-out and account controls, sign-in entry points).

Pure functions over the collector's JSON for one or more frames (objects with ``index``, ``url`` and
``data``, as ``classify.Frame``); they return plain values and ``(frame index, element data)`` pairs,
which ``classify`` turns into its elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit


class FrameLike(Protocol):
    index: int
    url: str
    data: dict[str, Any]


# --- the site's error message ---------------------------------------------------------------------

ERROR_WORDS = re.compile(
    r"incorrect|invalid|wrong|not (recogni[sz]ed|found|match|a match|valid|correct|right)|(couldn.t|could not|can.t|cannot|unable to) "
    r"(find|sign|log|verify|recogni[sz]e|match)|failed|failure|unable to|doesn.t (match|exist|look right)|isn.t (right|correct|valid)"
    r"|try again|locked|suspended|disabled|too many|expired|error|oops|problem|denied|not allowed|required|please (enter|provide|check|fill)"
    r"|no account|doesn.t have an account|unknown (user|email|account)|didn.t (work|match|recogni[sz]e)",
    re.I,
)
SUCCESS_WORDS = re.compile(r"\b(success(fully)?|sent|saved|updated|copied|welcome|signed out|logged out|verified|we.ve emailed|check your inbox)\b", re.I)
NEUTRAL_WORDS = re.compile(r"^\s*(loading|please wait|signing in|logging in|password (shown|hidden)|show(ing)? password|hide password|\d+ (characters?|results?))\b", re.I)
STRONG_SOURCES = ("invalid", "alert", "class")  # an error by their markup; "live", "toast", "notice" need error words


def _error_like(text: str, source: str, long: bool) -> bool:
    if NEUTRAL_WORDS.search(text) or (SUCCESS_WORDS.search(text) and not ERROR_WORDS.search(text)):
        return False
    if long:
        return False  # a message is short; this is a container (an error boundary around the app)
    if source in STRONG_SOURCES:
        return bool(ERROR_WORDS.search(text)) or len(text) < 150
    return bool(ERROR_WORDS.search(text))


def page_error(frames: Iterable[FrameLike]) -> str | None:
    """The first error message the page shows, markup-marked ones first."""
    found: list[tuple[int, int, str]] = []
    for frame in frames:
        for position, entry in enumerate(frame.data.get("errors", [])):
            text, source = entry.get("text", ""), entry.get("source", "class")
            if text and _error_like(text, source, bool(entry.get("long"))):
                found.append((0 if source in STRONG_SOURCES else 1, frame.index * 10000 + position, text))
    return min(found)[2] if found else None


URL_ERROR_KEYS = {
    "error": "Sign-in failed", "err": "Sign-in failed", "autherror": "Authentication failed", "auth_error": "Authentication failed",
    "loginerror": "Login failed", "login_error": "Login failed", "signin_error": "Sign-in failed", "login": "Login failed",
    "failed": "Sign-in failed", "status": "Sign-in failed",
}
# OpenID Connect answers to a silent (prompt=none) attempt: the site then shows its login, no failure.
URL_SILENT = {"login_required", "interaction_required", "consent_required", "account_selection_required"}
URL_FAILED_VALUES = re.compile(r"^(fail(ed|ure)?|error|denied|invalid|1|true|yes)$", re.I)
URL_CODE = re.compile(r"^[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)*$", re.I)


def url_error(url: str) -> str | None:
    """An error carried in the query or fragment (``?error=…``, ``error_description=…``,
    ``login=failed``, ``authError=…``) as a readable sentence."""
    parts = urlsplit(url)
    params = {k.lower(): v.strip() for k, v in parse_qsl(parts.query) + parse_qsl(parts.fragment) if v.strip()}
    if params.get("error", "").lower() in URL_SILENT:
        return None
    for key in ("error_description", "error_message", "errormessage", "errormsg"):
        if key in params and len(params[key]) > 3:
            return params[key][:300]
    for key, generic in URL_ERROR_KEYS.items():
        value = params.get(key)
        if not value:
            continue
        if key in ("login", "status"):  # login=failed, not login=1 or status=ok
            if not URL_FAILED_VALUES.match(value) or value.lower() in ("1", "true", "yes"):
                continue
            return generic
        if value.lower() in ("0", "false", "no", "none", "null") or value.lower() in URL_SILENT:
            return None
        if URL_FAILED_VALUES.match(value):
            return generic
        if URL_CODE.match(value) and len(value) <= 60:
            words = re.sub(r"[_.-]+", " ", re.sub(r"([a-z])([A-Z])", r"\1 \2", value)).strip().lower()
            return words[:1].upper() + words[1:]
        if len(value) <= 300 and re.search(r"[a-z]{3,}", value, re.I):
            return value
        return generic
    return None


def website_error(frames: Sequence[FrameLike]) -> str | None:
    return page_error(frames) or (url_error(frames[0].url) if frames else None)


# --- cookie banners --------------------------------------------------------------------------------

REJECT = re.compile(
    r"^\s*(reject|decline|refuse|deny|disagree)( all| optional| non.?essential| additional)?( cookies)?\b|\b(necessary|essential|required) (cookies )?only\b"
    r"|\bonly (necessary|essential|required)\b|use (only )?(necessary|essential) cookies|continue without (accepting|agreeing)|do not (accept|agree)",
    re.I,
)
ACCEPT = re.compile(r"^\s*(accept|allow|agree|i agree|got it|ok(ay)?|understood|i understand|close|dismiss|continue|yes)\b", re.I)
NOT_A_CHOICE = re.compile(r"settings|preferences|customi[sz]e|manage|options|more info|learn more|policy|details|partners|vendors", re.I)


def consent_button(frames: Iterable[FrameLike]) -> tuple[int, dict[str, Any]] | None:
    """The button that clears a blocking cookie banner: rejecting if it offers to, else accepting."""
    for frame in frames:
        blocking = {b["ref"] for b in frame.data.get("banners", []) if b.get("blocking")}
        if not blocking:
            continue
        buttons = [c for c in frame.data.get("clickables", []) if c.get("banner") in blocking and not c.get("disabled")]
        labelled = [(c, c.get("text") or c.get("aria") or "") for c in buttons]
        for pattern in (REJECT, ACCEPT):
            match = next((c for c, label in labelled if len(label) < 60 and pattern.search(label) and not (pattern is ACCEPT and NOT_A_CHOICE.search(label))), None)
            if match is not None:
                return frame.index, match
    return None


def banner_texts(frames: Iterable[FrameLike]) -> list[str]:
    return [b.get("text", "") for f in frames for b in f.data.get("banners", []) if b.get("text")]


def without_banners(text: str, frames: Iterable[FrameLike]) -> str:
    """The page text with the cookie banners' text taken out (it mentions access, partners, choices)."""
    for banner in banner_texts(frames):
        text = text.replace(banner, " ")
    return text


# --- entry points and providers ----------------------------------------------------------------------

GREETING = r"(?:(?:hello|hi|hey|welcome)(?:\s+there)?\s*[,!.]?\s*)?"
ENTRY = re.compile(
    rf"^\s*{GREETING}(?:sign\s?-?\s?in|log\s?-?\s?in|login|signin|log\s?on|member log\s?in|account log\s?in|my account|customer log\s?in)\b(?!\s*with\b)",
    re.I,
)
FORM_ENTRY = re.compile(r"^\s*(?:(?:sign|log)\s?-?\s?in|continue|use)\s+with\s+(?:your\s+)?(?:e-?mail|password|username|phone)\b|^\s*use (?:e-?mail|password)\b", re.I)
NOT_ENTRY = re.compile(r"sign\s?-?\s?up|register|create|join|forgot|reset|passkey|security key|help|trouble", re.I)
PROVIDERS = (
    ("google", r"google"), ("github", r"git\s?hub"), ("microsoft", r"microsoft|outlook|office\s?365"), ("apple", r"apple"),
    ("facebook", r"facebook"), ("okta", r"okta"), ("linkedin", r"linked\s?in"), ("gitlab", r"git\s?lab"), ("slack", r"slack"),
    ("auth0", r"auth0"), ("azure", r"azure|entra"), ("twitter", r"twitter"), ("amazon", r"amazon"), ("discord", r"discord"),
    ("sso", r"\bsso\b|single sign.?on|enterprise (login|sign.?in)|your (company|organi[sz]ation|work) (account|login)"), ("saml", r"saml"),
)
SSO = re.compile(r"(?:sign|log)\s?-?\s?in (?:with|via|using)|continue (?:with|via)|login with|use your|connect with|single sign.?on|\bsso\b", re.I)


def labels(data: dict[str, Any]) -> list[str]:
    """What a control says: its text, then its aria-label and title (icon-only controls)."""
    return [t for t in (data.get("text", ""), data.get("aria", ""), data.get("title", "")) if t]


def sso_provider(data: dict[str, Any]) -> str | None:
    """The provider a "Continue with Google" / "Sign in with SSO" control signs in with."""
    for label in labels(data):
        if len(label) > 60:
            continue
        phrased = bool(SSO.search(label))
        for name, pattern in PROVIDERS:
            if phrased and re.search(pattern, label, re.I):
                return name
            # A button that is only the provider's name ("Google"), on the page itself (not a footer's social links).
            if not phrased and data.get("zone", "main") == "main" and re.fullmatch(rf"\s*(?:with\s+)?(?:{pattern})\s*", label, re.I):
                return name
    return None


def entry_label(data: dict[str, Any]) -> str | None:
    """The label that makes a control a "Sign in" entry point, if one does."""
    for label in [data.get("first", ""), *labels(data)]:
        if label and len(label) <= 60 and ENTRY.search(label) and not NOT_ENTRY.search(re.split(r"\bor\b|[/|&]", label)[0]):
            return label
    return None


def ambiguous_entry(data: dict[str, Any]) -> bool:
    """ "My account": the way in when signed out, the account page when signed in."""
    label = entry_label(data) or ""
    return bool(re.match(r"^\s*my account\b", label, re.I))


def form_entry(data: dict[str, Any]) -> bool:
    """A "Continue with email" button that opens the password form next to provider buttons."""
    return any(FORM_ENTRY.search(label) for label in labels(data))


# --- session evidence --------------------------------------------------------------------------------

ACCOUNT = re.compile(
    r"\b(?:my|your|view|edit|manage)\s+(?:account|profile)\b|\baccount (?:menu|settings|options)\b|\buser (?:menu|navigation|profile|settings)\b"
    r"|\bopen user\b|\bprofile (?:picture|photo|image|menu)\b|\bavatar\b|\bsigned in as\b|\blogged in as\b|^\s*(?:account|profile)\s*$",
    re.I,
)
NOT_ACCOUNT = re.compile(r"sign\s?-?\s?in|log\s?-?\s?in|login|sign\s?-?\s?up|register|create|join|new account|cart|basket", re.I)
NAME = re.compile(r"^(?:[A-Z][a-zà-ÿ'’.-]+(?: [A-Z][a-zà-ÿ'’.-]+){0,2}|[A-Z]{1,3}|@?[a-z][a-z0-9._-]{2,30}|[^@\s]+@[^@\s]+\.[a-z]{2,})$")
NAV_WORDS = re.compile(
    r"^(?:products?|solutions?|resources?|developers?|pricing|company|about|more|menu|help|support|docs|enterprise|platform|features|services|"
    r"shop|store|categories|language|english|deutsch|français|español|home|explore|community|learn|blog|partners|customers|why \w+|"
    r"logo|brand|search|notifications?|settings|open|close|toggle|new|create|[A-Z]{2}-[A-Z]{2})$",
    re.I,
)


def _name_like(text: str) -> bool:
    return bool(text) and len(text) <= 40 and bool(NAME.match(text)) and not NAV_WORDS.match(text)


def account_evidence(frames: Iterable[FrameLike]) -> list[str]:
    """Account menus, avatars and profile controls: what a signed-in page shows in its header."""
    found: list[str] = []
    for frame in frames:
        for item in frame.data.get("account", []):
            if item.get("kind") == "img":
                alt = item.get("alt", "")
                if not alt or item.get("logo") or NOT_ACCOUNT.search(alt) or re.search(r"logo|icon|banner|brand", alt, re.I):
                    continue
                if ACCOUNT.search(alt) or (_name_like(alt) and (item.get("avatar") or item.get("haspopup") or (item.get("small") and item.get("zone") == "header"))):
                    found.append(alt)
                continue
            texts = [t for t in (item.get("aria", ""), item.get("title", ""), item.get("text", "")) if t]
            if any(NOT_ACCOUNT.search(t) for t in texts):
                continue
            named = next((t for t in texts if ACCOUNT.search(t)), None)
            if named is None and item.get("haspopup") and item.get("zone") == "header":
                named = next((t for t in texts if _name_like(t)), None)
            if named is not None:
                found.append(named)
    return list(dict.fromkeys(found))
