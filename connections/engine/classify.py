"""Reading a page: which inputs are identifiers, passwords and codes, and what kind of page it is.

Pure functions over the collector's JSON (``collector.js``), so they are unit-tested on saved HTML.
Signals, strongest first: the ``autocomplete`` attribute (last token), the input type, then keywords
over tokenised names, ids, labels, placeholders and nearby text, with negative lists (search,
newsletter, captcha, new/confirm password).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


class PageKind(StrEnum):
    CAPTCHA = "captcha"
    LOGIN = "login"  # a password field (with or without an identifier)
    IDENTIFIER = "identifier"  # an identifier-first step
    OTP = "otp"
    MFA_CHOICE = "mfa_choice"
    ACCOUNT_PICKER = "account_picker"
    STAY_SIGNED_IN = "stay_signed_in"
    CONSENT = "consent"
    PUSH = "push"
    PASSKEY = "passkey"
    LOGGED_IN = "logged_in"
    ENTRY = "entry"  # no form, but a "Log in" link or button
    UNKNOWN = "unknown"


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
SUBMIT_WORDS = re.compile(r"\b(sign\s?in|log\s?in|login|signin|log\s?on|submit|continue|next|verify|confirm|done|proceed|enter|go)\b", re.I)
ENTRY_WORDS = re.compile(r"^\s*(sign\s?in|log\s?in|login|signin|log\s?on|member login|account login|my account)\b", re.I)
NEGATIVE_BUTTON = re.compile(r"forgot|reset|create|register|sign\s?up|join|cancel|back|resend|help|privacy|terms|passkey|security key|with (google|github|microsoft|apple|facebook|okta|linkedin|gitlab|slack)", re.I)
SSO_PROVIDERS = ("google", "github", "microsoft", "apple", "facebook", "okta", "linkedin", "gitlab", "slack", "auth0", "azure", "sso", "saml")
SSO_RE = re.compile(r"(?:sign|log)\s?in with|continue with|login with|use your|single sign-on|\bsso\b", re.I)
PUSH_RE = re.compile(r"(approve|approval|confirm).{0,80}(phone|app|device|notification|request)|check your (phone|device)|tap (yes|approve)|number matching", re.I)
PASSKEY_RE = re.compile(r"passkey|security key|webauthn|face id|touch id|windows hello", re.I)
STAY_RE = re.compile(r"stay signed in|keep me signed in|remember (this|my) (device|browser|computer)|trust this (device|browser)|don.t ask again", re.I)
CONSENT_RE = re.compile(r"wants to access|is requesting (access|permission)|authorize .{0,40}(app|application)|grant access|allow .{0,40} to access|would like to access", re.I)
PICKER_RE = re.compile(r"(choose|select|pick|switch)\s+(an?\s+|your\s+)?(account|workspace|organi[sz]ation|team|profile|tenant|company)", re.I)
DELIVERED_RE = re.compile(r"(we|we've|we have)\s+(sent|texted|emailed)|sent (a|the|you a) .{0,30}code|check your (email|inbox|phone|messages)|code to .{0,40}(@|•|\*)|text message|sms", re.I)
AUTHENTICATOR_RE = re.compile(r"authenticator|authentication app|two.?factor app|totp|google auth|code from (your|the) app", re.I)
LOGGED_IN_RE = re.compile(r"\b(sign|log)\s?-?\s?out\b|\blogout\b|\bsignout\b", re.I)
ERROR_WORDS = re.compile(r"incorrect|invalid|wrong|not (recogni[sz]ed|found|match)|couldn.t find|could not find|failed|unable to|doesn.t match|try again|locked|suspended|disabled|too many", re.I)
MFA_TYPES = (
    ("totp", re.compile(r"authenticator|auth(entication)? app|totp|code generator|google auth", re.I)),
    ("sms", re.compile(r"text message|\bsms\b|\btext\b|texting", re.I)),
    ("call", re.compile(r"phone call|\bcall\b|voice", re.I)),
    ("email", re.compile(r"e-?mail", re.I)),
    ("push", re.compile(r"push|notification|approve .{0,20}(app|phone)", re.I)),
    ("passkey", re.compile(r"passkey|security key", re.I)),
)


@dataclass
class Element:
    frame: int
    data: dict[str, Any]

    @property
    def ref(self) -> str:
        return self.data["ref"]

    @property
    def selector(self) -> str:
        return f'[data-ah="{self.ref}"]'

    @property
    def durable(self) -> str:
        return self.data.get("durable") or ""

    @property
    def order(self) -> int:
        return int(self.data.get("order", 0))

    @property
    def group(self) -> str:
        return f"{self.frame}:{self.data.get('group', 'doc')}"

    @property
    def text(self) -> str:
        return self.data.get("text", "")

    def words(self) -> set[str]:
        d = self.data
        return tokens(d.get("name", ""), d.get("id", ""), d.get("label", ""), d.get("placeholder", ""), d.get("aria", ""))

    def describe(self) -> str:
        d = self.data
        return d.get("label") or d.get("aria") or d.get("placeholder") or d.get("text") or d.get("name") or ""


@dataclass
class Input(Element):
    role: Role = Role.TEXT


@dataclass
class Frame:
    index: int
    url: str
    data: dict[str, Any]


@dataclass
class Analysis:
    kind: PageKind
    url: str
    identifier: Input | None = None
    password: Input | None = None
    extra: list[Input] = field(default_factory=list)
    otp: list[Input] = field(default_factory=list)
    otp_delivered: bool = False
    submit: Element | None = None
    remember: Input | None = None
    mfa_options: list[tuple[str, str, Element]] = field(default_factory=list)  # (type, label, element)
    accounts: list[tuple[str, str, Element]] = field(default_factory=list)  # (label, description, element)
    sso_buttons: list[tuple[str, Element]] = field(default_factory=list)
    primary: Element | None = None  # allow / yes / entry link
    logged_in: bool = False
    website_error: str | None = None
    message: str | None = None
    form_action: str | None = None
    signature: str = ""
    mutations: int = -1  # the main frame's DOM change counter when it was read
    text: str = ""  # the page's visible text (bounded), for the session verdict

    @property
    def frame(self) -> int:
        for element in (self.password, self.identifier, *self.otp, self.submit, self.primary):
            if element is not None:
                return element.frame
        return 0


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


def _clickables(frames: list[Frame]) -> list[Element]:
    return [Element(f.index, c) for f in frames for c in f.data.get("clickables", [])]


def _submit_for(anchor: Input, clickables: list[Element], inputs: list[Input]) -> Element | None:
    """The button that submits ``anchor``'s form: a submit in the same group, else the best keyword match
    after the field (formless single-page apps)."""
    same = [c for c in clickables if c.group == anchor.group and not NEGATIVE_BUTTON.search(c.text)]
    submits = [c for c in same if c.data.get("type") in ("submit", "image") or (c.data["tag"] == "button" and c.data.get("type") in ("", "submit") and c.data.get("in_form"))]
    if submits:
        return submits[0]
    keyword = [c for c in same if SUBMIT_WORDS.search(c.text)]
    if keyword:
        return keyword[0]
    near = [
        c for c in clickables
        if c.frame == anchor.frame and c.order > anchor.order and SUBMIT_WORDS.search(c.text) and not NEGATIVE_BUTTON.search(c.text)
    ]
    return min(near, key=lambda c: c.order) if near else None


def _mfa_options(frames: list[Frame], inputs: list[Input]) -> list[tuple[str, str, Element]]:
    candidates: list[Element] = [e for e in _clickables(frames)] + [i for i in inputs if i.role == Role.RADIO]
    found: list[tuple[str, str, Element]] = []
    seen: set[str] = set()
    for element in sorted(candidates, key=lambda e: (e.frame, e.order)):
        label = element.describe()
        if not label or len(label) > 120 or SUBMIT_WORDS.fullmatch(label.strip()):
            continue
        for mfa_type, pattern in MFA_TYPES:
            if pattern.search(label) and mfa_type not in seen:
                seen.add(mfa_type)
                found.append((mfa_type, label, element))
                break
    return found


def _error_text(frames: list[Frame]) -> str | None:
    for frame in frames:
        for text in frame.data.get("errors", []):
            if ERROR_WORDS.search(text) or len(text) < 120:
                return text
    return None


def analyze(frames: list[Frame]) -> Analysis:
    url = frames[0].url if frames else ""
    inputs = [
        Input(f.index, d, role=role_of(d)) for f in frames for d in f.data.get("inputs", []) if d.get("visible") or d.get("type") in ("checkbox", "radio")
    ]
    visible = [i for i in inputs if i.data.get("visible")]
    clickables = _clickables(frames)
    text = " ".join(f.data.get("text", "") for f in frames)
    headings = " ".join(h for f in frames for h in f.data.get("headings", []))
    error = _error_text(frames)
    logged_in_signal = any(f.data.get("logout") for f in frames)
    sso = [
        (next((p for p in SSO_PROVIDERS if p in c.text.lower()), "sso"), c)
        for c in clickables
        if (SSO_RE.search(c.text) or c.text.strip().lower() in SSO_PROVIDERS) and any(p in c.text.lower() for p in SSO_PROVIDERS)
    ]
    signature = "|".join(sorted(f"{i.role}:{i.data.get('name')}" for i in visible)) + "#" + headings[:80]
    base = dict(url=url, website_error=error, sso_buttons=sso, logged_in=logged_in_signal, signature=signature, text=text,
                mutations=int(frames[0].data.get("mutations", -1)) if frames else -1)

    if any(f.data.get("captcha") for f in frames):
        return Analysis(PageKind.CAPTCHA, message="The site shows a CAPTCHA.", **base)

    passwords = [i for i in visible if i.role == Role.PASSWORD and not i.data.get("readonly")]
    by_group: dict[str, list[Input]] = {}
    for i in visible:
        by_group.setdefault(i.group, []).append(i)
    for pw in passwords:
        group = by_group.get(pw.group, [])
        if sum(1 for i in group if i.role in (Role.PASSWORD, Role.NEW_PASSWORD)) != 1:
            continue  # sign-up or change-password forms have two
        before = [i for i in group if i.order < pw.order and i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)]
        identifier = before[-1] if before else None
        if identifier is not None and identifier.data.get("readonly"):
            identifier = None
        extra = [i for i in group if i.role == Role.TEXT and i is not identifier]
        remember = next((i for i in group if i.role == Role.CHECKBOX and STAY_RE.search(i.describe()) or (i.role == Role.CHECKBOX and "remember" in i.describe().lower())), None)
        return Analysis(
            PageKind.LOGIN, identifier=identifier, password=pw, extra=extra, remember=remember,
            submit=_submit_for(pw, clickables, inputs), form_action=pw.data.get("action"), **base,
        )

    otp = [i for i in visible if i.role == Role.OTP and not i.data.get("readonly")]
    digits = [i for i in visible if i.role == Role.OTP_DIGIT]
    if otp and otp[0].data.get("maxlength") == 1:
        # One box per digit, the first marked one-time-code: fill them all.
        digits = [i for i in visible if i.group == otp[0].group and i.data.get("maxlength") == 1 and i.role in (Role.OTP, Role.OTP_DIGIT, Role.TEXT)]
        otp = []
    if otp or len(digits) >= 4:
        fields = otp[:1] if otp else sorted(digits, key=lambda i: i.order)
        delivered = bool(DELIVERED_RE.search(text)) and not AUTHENTICATOR_RE.search(headings + " " + fields[0].describe())
        return Analysis(
            PageKind.OTP, otp=fields, otp_delivered=delivered, submit=_submit_for(fields[-1], clickables, inputs),
            message=headings or None, **base,
        )

    mfa = _mfa_options(frames, inputs)
    if len(mfa) >= 2:
        radios = [el for _, _, el in mfa if isinstance(el, Input)]
        radio_submit = _submit_for(radios[0], clickables, inputs) if radios else None
        return Analysis(PageKind.MFA_CHOICE, mfa_options=mfa, submit=radio_submit, message=headings or None, **base)

    if CONSENT_RE.search(text):
        allow = next((c for c in clickables if re.search(r"^\s*(allow|authori[sz]e|accept|approve|continue|yes|grant)\b", c.text, re.I)), None)
        if allow is not None:
            return Analysis(PageKind.CONSENT, primary=allow, message=headings or None, **base)

    if STAY_RE.search(headings) or (STAY_RE.search(text) and not visible):
        yes = next((c for c in clickables if re.search(r"^\s*(yes|stay signed in|keep me signed in|trust|remember)\b", c.text, re.I)), None)
        if yes is not None:
            return Analysis(PageKind.STAY_SIGNED_IN, primary=yes, message=headings or None, **base)

    if PICKER_RE.search(headings) and not logged_in_signal:
        options = [
            c for c in clickables
            if c.text and not NEGATIVE_BUTTON.search(c.text) and not SUBMIT_WORDS.fullmatch(c.text.strip())
            and c.data.get("context_kind") not in ("header", "nav", "footer", "aside")
            and not re.search(r"pricing|docs|blog|help|home|about|contact|cookie|accept|reject|got it|dismiss|close|privacy", c.text, re.I)
        ]
        options = [c for c in options if c.data.get("href") not in ("/", "#")]
        detailed = [c for c in options if c.data.get("rest")]
        if len(detailed) >= 2:
            options = detailed  # account cards carry details (members, domain): navigation links do not
        if options:
            accounts = [(c.data.get("first") or c.text, c.data.get("rest") or "", c) for c in options]
            return Analysis(PageKind.ACCOUNT_PICKER, accounts=accounts, message=headings or None, **base)

    identifiers = [i for i in visible if i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)]
    for candidate in identifiers:
        group = [i for i in by_group.get(candidate.group, []) if i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)]
        if len(group) != 1:
            continue
        login_context = (
            candidate.role in (Role.USERNAME, Role.EMAIL)
            or re.search(r"sign\s?in|log\s?in|login", headings + " " + candidate.data.get("context", ""), re.I)
        )
        submit = _submit_for(candidate, clickables, inputs)
        if login_context and (submit is not None or candidate.data.get("group") != "doc"):
            return Analysis(PageKind.IDENTIFIER, identifier=candidate, submit=submit, form_action=candidate.data.get("action"), **base)

    if PUSH_RE.search(text) and not visible:
        return Analysis(PageKind.PUSH, message=(headings or text)[:300], **base)

    if PASSKEY_RE.search(text) and not passwords and not logged_in_signal:
        return Analysis(PageKind.PASSKEY, message="This site only offers passkey or security-key sign-in.", **base)

    if logged_in_signal:
        return Analysis(PageKind.LOGGED_IN, **base)

    entry = next((c for c in clickables if ENTRY_WORDS.search(c.text) and len(c.text) < 40), None)
    if entry is not None:
        return Analysis(PageKind.ENTRY, primary=entry, **base)
    if sso:
        return Analysis(PageKind.IDENTIFIER, **base)
    return Analysis(PageKind.UNKNOWN, **base)
