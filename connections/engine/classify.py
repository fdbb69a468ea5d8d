"""Reading a page: what kind of page it is and which of its elements to act on.

Pure functions over the collector's JSON (``collector.js``), so they are unit-tested on saved HTML.
Which input is which is ``field_roles``; the site's error, a cookie banner in the way and the
evidence of a session are ``page_signals``. Here: the page's kind, strongest first (a CAPTCHA, a
password, a code, a choice of method, a prompt to answer, an identifier step, …, an entry link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from connections.engine import page_signals as signals
from connections.engine.field_roles import (
    EMAIL_WORDS,
    IGNORE_WORDS,
    NEW_PASSWORD_WORDS,
    NEWSLETTER_WORDS,
    OTP_NAME_RE,
    OTP_WORDS,
    PASSWORD_WORDS,
    SEARCH_WORDS,
    USERNAME_WORDS,
    Role,
    phrase,
    role_of,
    tokens,
)
from connections.engine.page_model import Analysis, Element, Frame, Input, PageKind
from connections.engine.page_signals import ERROR_WORDS

__all__ = [
    "EMAIL_WORDS", "ERROR_WORDS", "IGNORE_WORDS", "NEWSLETTER_WORDS", "NEW_PASSWORD_WORDS", "OTP_NAME_RE", "OTP_WORDS",
    "PASSWORD_WORDS", "SEARCH_WORDS", "USERNAME_WORDS", "Analysis", "Element", "Frame", "Input", "PageKind", "Role",
    "analyze", "phrase", "role_of", "tokens",
]

SUBMIT_WORDS = re.compile(r"\b(sign\s?in|log\s?in|login|signin|log\s?on|submit|continue|next|verify|confirm|done|proceed|enter|go)\b", re.I)
ENTRY_WORDS = signals.ENTRY
NEGATIVE_BUTTON = re.compile(
    r"forgot|reset|create|register|sign\s?up|join|cancel|back|resend|help|privacy|terms|passkey|security key|magic link|single sign|\bsso\b"
    r"|with (google|github|microsoft|apple|facebook|okta|linkedin|gitlab|slack|saml)|^\s*(show|hide)\b",
    re.I,
)
PUSH_RE = re.compile(r"(approve|approval|confirm).{0,80}(phone|app|device|notification|request)|check your (phone|device)|tap (yes|approve)|number matching", re.I)
PASSKEY_RE = re.compile(r"passkey|security key|webauthn|face id|touch id|windows hello", re.I)
STAY_RE = re.compile(r"stay signed in|keep me signed in|remember (this|my) (device|browser|computer)|trust this (device|browser|computer)|don.t ask again", re.I)
KEEP_RE = re.compile(r"^\s*(yes|stay signed in|keep me signed in|(always )?trust|remember)\b", re.I)
CONSENT_RE = re.compile(r"wants to access|is requesting (access|permission)|authorize .{0,40}(app|application)|grant access|allow .{0,40} to access|would like to access", re.I)
PICKER_RE = re.compile(r"(choose|select|pick|switch)\s+(an?\s+|your\s+)?(account|workspace|organi[sz]ation|team|profile|tenant|company)", re.I)
DELIVERED_RE = re.compile(r"(we|we've|we have)\s+(sent|texted|emailed)|sent (a|the|you a) .{0,30}code|check your (email|inbox|phone|messages)|code to .{0,40}(@|•|\*)|text message|sms", re.I)
AUTHENTICATOR_RE = re.compile(r"authenticator|authentication app|two.?factor app|totp|google auth|code from (your|the) app", re.I)
LOGGED_IN_RE = re.compile(r"\b(sign|log)\s?-?\s?out\b|\blogout\b|\bsignout\b", re.I)
# Prompts between the password and the account. Skipping keeps the session and enrols in nothing.
INTERSTITIAL_RE = re.compile(
    r"save (your )?(login|log-in|sign-in|password|account)( info(rmation)?| details)?\b|\bsave (info|password)\b"
    r"|turn on (push |desktop )?notifications|enable (push |desktop )?notifications|allow notifications"
    r"|add (a |an |your )?(phone|mobile|recovery|backup|alternate)|recovery (email|phone)|(confirm|update|review) your (phone|contact|recovery|security) info"
    r"|(create|set up|add|make|save) (a |your )?passkey|sign in faster|faster sign.?in"
    r"|(secure|protect|strengthen) your account|keep your account (safe|secure)|two.?(step|factor) (verification|authentication) (is|isn.t) (on|off|set up)"
    r"|(link|connect|add) (a |your )?(bank|card)|remind me later",
    re.I,
)
SKIP_RE = re.compile(
    r"^\s*(not now|skip( for now| this step| for today)?|remind me (later|next time)|maybe later|no,? thanks|no thank you|i.ll do it later"
    r"|do (it|this) later|later|not right now|ask me later|continue without\b.*)\s*[.!]?\s*$",
    re.I,
)
SURE_SKIP_RE = re.compile(r"remind me|skip for now|maybe later|i.ll do it later|do (it|this) later|ask me later", re.I)
ENROL_RE = re.compile(r"^\s*(add|create|save|turn on|enable|set ?up|link|connect|register|enrol|activate)\b", re.I)
GENERIC_CONTROL = re.compile(r"^\s*(select|choose|pick|use this( method| option| one)?|use|continue|next|go|try( it)?|[→›>»⟩➔]|)\s*[.!]?\s*$", re.I)
VERIFY_CONTEXT = re.compile(r"verif|two.?(step|factor)|2fa|mfa|security (method|check)|sign.?in|log.?in|authenticat|it.s you|another way|choose how|identity", re.I)
MFA_TYPES = (
    ("passkey", re.compile(r"passkey|security key|biometric|webauthn|fido|face id|touch id|fingerprint|windows hello", re.I)),
    ("push", re.compile(r"\bpush\b|notification|approve (a |the )?(request|sign.?in)|approve .{0,20}(app|phone)|tap (yes|approve)", re.I)),
    ("totp", re.compile(r"authenticator|auth(entication)? app|totp|code generator|google auth|code from .{0,30}app", re.I)),
    ("sms", re.compile(r"text message|\bsms\b|\btext\b|texting", re.I)),
    ("call", re.compile(r"phone call|\bcall\b|voice", re.I)),
    ("email", re.compile(r"e-?mail", re.I)),
)


@dataclass
class _Page:
    """What the detectors share: the page's elements and words, read once."""

    frames: list[Frame]
    inputs: list[Input]
    visible: list[Input]
    clickables: list[Element]  # visible, outside cookie banners, including disabled ones
    usable: list[Element]  # … and enabled
    text: str  # without the cookie banners' text
    headings: str
    base: dict[str, Any]

    def groups(self) -> dict[str, list[Input]]:
        by_group: dict[str, list[Input]] = {}
        for i in self.visible:
            by_group.setdefault(i.group, []).append(i)
        return by_group


def _submit_for(anchor: Input, clickables: list[Element], inputs: list[Input]) -> Element | None:
    """The button that submits ``anchor``'s form: a submit in the same group (enabled first; one
    disabled until the fields are filled is still the submit), else the best keyword match in the
    group, else after the field (formless single-page apps)."""
    same = sorted((c for c in clickables if c.group == anchor.group and not NEGATIVE_BUTTON.search(c.text)), key=lambda c: bool(c.data.get("disabled")))
    submits = [c for c in same if c.data.get("type") in ("submit", "image") or (c.data["tag"] == "button" and c.data.get("type") in ("", "submit") and c.data.get("in_form"))]
    if submits:
        return submits[0]
    keyword = [c for c in same if SUBMIT_WORDS.search(c.text)]
    if keyword:
        return keyword[0]
    near = [
        c for c in clickables
        if c.frame == anchor.frame and c.order > anchor.order and SUBMIT_WORDS.search(c.text) and not NEGATIVE_BUTTON.search(c.text)
        and not c.data.get("disabled")
    ]
    return min(near, key=lambda c: c.order) if near else None


def _target(anchor: Input, submit: Element | None) -> dict[str, Any]:
    """Where the form sends what is typed into ``anchor``: its action (a submit's formaction wins)."""
    action, scripted = anchor.data.get("action"), bool(anchor.data.get("scripted", anchor.data.get("action") is None))
    if submit is not None and submit.data.get("formaction"):
        action, scripted = submit.data["formaction"], submit.data["formaction"].lower().startswith("javascript:")
    return dict(form_action=action, form_scripted=scripted)


def _mfa_type(texts: list[str]) -> str | None:
    for text in texts:
        for mfa_type, pattern in MFA_TYPES:
            if text and pattern.search(text):
                return mfa_type
    return None


def _mfa_options(page: _Page) -> list[tuple[str, str, Element]]:
    """Methods offered as radios, self-describing buttons, or rows (li, tr, listitem, option, cards)
    whose control says only "Select" / "→": then the row's heading names the method."""
    rows_allowed = bool(VERIFY_CONTEXT.search(page.headings + " " + page.text[:600]))
    candidates: list[Element] = [c for c in page.usable if c.data.get("zone", "main") == "main"]
    candidates += [i for i in page.inputs if i.role == Role.RADIO]
    found: list[tuple[str, str, Element]] = []
    for element in sorted(candidates, key=lambda e: (e.frame, e.order)):
        label = element.describe()
        first = element.data.get("first") or ""
        if not label or len(label) > 160 or ENROL_RE.search(label) or ENROL_RE.search(element.text):
            continue
        generic = not isinstance(element, Input) and bool(GENERIC_CONTROL.match(element.text))
        row_label = element.data.get("row_label", "") if rows_allowed else ""
        texts = [first, label] + ([row_label, element.data.get("row_text", "")] if generic and rows_allowed else [])
        if not generic and SUBMIT_WORDS.fullmatch(label.strip()):
            continue
        mfa_type = _mfa_type(texts)
        if mfa_type is None or any(t == mfa_type for t, _, _ in found):
            continue
        shown = row_label if generic and row_label else (first if element.data.get("rest") else label)
        found.append((mfa_type, shown, element))
    return found


def _identifier(page: _Page) -> Analysis | None:
    by_group = page.groups()
    for candidate in (i for i in page.visible if i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)):
        group = [i for i in by_group.get(candidate.group, []) if i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)]
        if len(group) != 1:
            continue
        login_context = (
            candidate.role in (Role.USERNAME, Role.EMAIL)
            or re.search(r"sign\s?in|log\s?in|login", page.headings + " " + candidate.data.get("context", ""), re.I)
        )
        submit = _submit_for(candidate, page.clickables, page.inputs)
        if login_context and (submit is not None or candidate.data.get("group") != "doc"):
            return Analysis(PageKind.IDENTIFIER, identifier=candidate, submit=submit, **_target(candidate, submit), **page.base)
    return None


def _login(page: _Page) -> Analysis | None:
    by_group = page.groups()
    for pw in (i for i in page.visible if i.role == Role.PASSWORD and not i.data.get("readonly")):
        group = by_group.get(pw.group, [])
        if sum(1 for i in group if i.role in (Role.PASSWORD, Role.NEW_PASSWORD)) != 1:
            continue  # sign-up or change-password forms have two
        before = [i for i in group if i.order < pw.order and i.role in (Role.USERNAME, Role.EMAIL, Role.TEXT)]
        identifier = before[-1] if before and not before[-1].data.get("readonly") else None
        extra = [i for i in group if i.role == Role.TEXT and i is not identifier]
        remember = next((i for i in group if i.role == Role.CHECKBOX and (STAY_RE.search(i.describe()) or "remember" in i.describe().lower())), None)
        submit = _submit_for(pw, page.clickables, page.inputs)
        return Analysis(PageKind.LOGIN, identifier=identifier, password=pw, extra=extra, remember=remember, submit=submit,
                        **_target(pw, submit), **page.base)
    return None


def _otp(page: _Page) -> Analysis | None:
    visible = page.visible
    otp = [i for i in visible if i.role == Role.OTP and not i.data.get("readonly")]
    digits = [i for i in visible if i.role == Role.OTP_DIGIT]
    if otp and otp[0].data.get("maxlength") == 1:
        # One box per digit, the first marked one-time-code: fill them all.
        digits = [i for i in visible if i.group == otp[0].group and i.data.get("maxlength") == 1 and i.role in (Role.OTP, Role.OTP_DIGIT, Role.TEXT)]
        otp = []
    if not otp and len(digits) < 4:
        return None
    fields = otp[:1] if otp else sorted(digits, key=lambda i: i.order)
    delivered = bool(DELIVERED_RE.search(page.text)) and not AUTHENTICATOR_RE.search(page.headings + " " + fields[0].describe())
    submit = _submit_for(fields[-1], page.clickables, page.inputs)
    return Analysis(PageKind.OTP, otp=fields, otp_delivered=delivered, submit=submit, message=page.headings or None,
                    **_target(fields[0], submit), **page.base)


def _first(page: _Page, pattern: re.Pattern[str], exclude: re.Pattern[str] | None = None) -> Element | None:
    for c in page.usable:
        label = next((t for t in signals.labels(c.data) if pattern.search(t)), None)
        if label is not None and len(label) <= 60 and not (exclude and exclude.search(label)):
            return c
    return None


def _interstitial(page: _Page) -> Element | None:
    skip = _first(page, SKIP_RE, ENROL_RE)
    if skip is None:
        return None
    said = INTERSTITIAL_RE.search(page.headings) or INTERSTITIAL_RE.search(page.text[:2000]) or SURE_SKIP_RE.search(skip.text)
    return skip if said else None


def _picker(page: _Page) -> Analysis | None:
    options = [
        c for c in page.usable
        if c.text and not NEGATIVE_BUTTON.search(c.text) and not SUBMIT_WORDS.fullmatch(c.text.strip())
        and c.data.get("context_kind") not in ("header", "nav", "footer", "aside") and c.data.get("zone", "main") == "main"
        and not re.search(r"pricing|docs|blog|help|home|about|contact|cookie|accept|reject|got it|dismiss|close|privacy", c.text, re.I)
        and c.data.get("href") not in ("/", "#")
    ]
    detailed = [c for c in options if c.data.get("rest")]
    if len(detailed) >= 2:
        options = detailed  # account cards carry details (members, domain): navigation links do not
    if not options:
        return None
    accounts = [(c.data.get("first") or c.text, c.data.get("rest") or "", c) for c in options]
    return Analysis(PageKind.ACCOUNT_PICKER, accounts=accounts, message=page.headings or None, **page.base)


def _entries(page: _Page) -> list[Element]:
    """Visible "Sign in" entry points, best first (header, then page, then footer), never the submit
    of a login form on the page nor a provider button."""
    fields = [i for i in page.visible if i.role in (Role.USERNAME, Role.EMAIL, Role.PASSWORD, Role.OTP)]
    form_groups = {i.group for i in fields if i.data.get("group") != "doc"}
    submits = {s.ref for s in (_submit_for(i, page.clickables, page.inputs) for i in fields) if s is not None}
    found = [
        c for c in page.usable
        if signals.entry_label(c.data) and not signals.sso_provider(c.data) and c.group not in form_groups and c.ref not in submits
    ]
    zone = {"header": 0, "main": 1, "footer": 2}
    return sorted(found, key=lambda c: (signals.ambiguous_entry(c.data), zone.get(c.data.get("zone", "main"), 1), c.frame, c.order))


def _menu_entry(page: _Page) -> Element | None:
    """The visible control that opens a menu holding a "Sign in" (hover or click)."""
    for f in page.frames:
        for menu in f.data.get("menus", []):
            trigger = menu.get("trigger") or {}
            if trigger.get("ref") and not trigger.get("banner") and signals.entry_label({"text": menu.get("entry", "")}):
                return Element(f.index, trigger)
    return None


def _signature(page: _Page) -> str:
    """The same for the same step (re-rendered or not), different when another step replaces it."""
    fields = sorted(
        f"{i.role}:{i.data.get('type')}:{i.data.get('name')}"
        + (f":{re.sub(r'[0-9]+', '', phrase(i.describe()))[:40]}" if i.role not in (Role.IGNORE, Role.CHECKBOX, Role.RADIO) else "")
        for i in page.visible
    )
    actions = sorted({urlsplit(i.data["action"]).path for i in page.visible if i.data.get("action") and not i.data.get("scripted")})
    return "|".join(fields) + "#" + page.headings[:80] + "#" + ",".join(actions)


def _read(frames: list[Frame]) -> _Page:
    inputs = [
        Input(f.index, d, role=role_of(d)) for f in frames for d in f.data.get("inputs", [])
        if (d.get("visible") or d.get("type") in ("checkbox", "radio")) and not d.get("banner")
    ]
    clickables = [Element(f.index, c) for f in frames for c in f.data.get("clickables", []) if not c.get("banner")]
    text = " ".join(f.data.get("text", "") for f in frames)
    page = _Page(
        frames=frames, inputs=inputs, visible=[i for i in inputs if i.data.get("visible")], clickables=clickables,
        usable=[c for c in clickables if not c.data.get("disabled")], text=signals.without_banners(text, frames),
        headings=" ".join(h for f in frames for h in f.data.get("headings", [])), base={},
    )
    consent = signals.consent_button(frames)
    menu = _menu_entry(page)
    menu_labels = set(signals.labels(menu.data)) if menu is not None else set()
    page.base = dict(
        url=frames[0].url if frames else "", website_error=signals.website_error(frames), signature=_signature(page),
        sso_buttons=[(name, c) for c in page.usable if (name := signals.sso_provider(c.data))],
        logged_in=any(f.data.get("logout") or f.data.get("logout_hidden") for f in frames), mutations=int(frames[0].data.get("mutations", -1)) if frames else -1,
        consent=Element(*consent) if consent else None,
        logout=list(dict.fromkeys(t for f in frames for t in f.data.get("logout", []))),
        logout_hidden=list(dict.fromkeys(t for f in frames for t in f.data.get("logout_hidden", []))),
        account=[a for a in signals.account_evidence(frames) if a not in menu_labels],
        entries=list(dict.fromkeys(c.text for c in _entries(page) if not signals.ambiguous_entry(c.data))), text=text[:4000],
        password_visible=any(i.data.get("type") == "password" and not i.data.get("disabled") for i in page.visible),
        busy=any(f.data.get("busy") for f in frames),
    )
    return page


def analyze(frames: list[Frame]) -> Analysis:
    page = _read(frames)
    base, headings, visible = page.base, page.headings, page.visible

    if any(f.data.get("captcha") for f in frames):
        return Analysis(PageKind.CAPTCHA, message="The site shows a CAPTCHA.", **base)
    found = _login(page) or _otp(page)
    if found is not None:
        return found

    mfa = _mfa_options(page)
    if len(mfa) >= 2:
        radios = [el for _, _, el in mfa if isinstance(el, Input)]
        radio_submit = _submit_for(radios[0], page.clickables, page.inputs) if radios else None
        return Analysis(PageKind.MFA_CHOICE, mfa_options=mfa, submit=radio_submit, message=headings or None, **base)

    if CONSENT_RE.search(page.text):
        allow = _first(page, re.compile(r"^\s*(allow|authori[sz]e|accept|approve|continue|yes|grant)\b", re.I))
        if allow is not None:
            return Analysis(PageKind.CONSENT, primary=allow, message=headings or None, **base)

    if STAY_RE.search(headings) or (STAY_RE.search(page.text) and not visible):
        keep = _first(page, KEEP_RE)
        if keep is not None:
            return Analysis(PageKind.STAY_SIGNED_IN, primary=keep, message=headings or None, **base)

    identifier = _identifier(page)
    skip = _interstitial(page)
    if skip is not None and (identifier is None or INTERSTITIAL_RE.search(headings)):
        return Analysis(PageKind.INTERSTITIAL, primary=skip, message=headings or None, **base)

    if PICKER_RE.search(headings) and not base["logged_in"]:
        picker = _picker(page)
        if picker is not None:
            return picker

    if identifier is not None:
        return identifier

    if PUSH_RE.search(page.text) and not visible:
        return Analysis(PageKind.PUSH, message=(headings or page.text)[:300], **base)

    if PASSKEY_RE.search(page.text) and not base["password_visible"] and not base["logged_in"]:
        return Analysis(PageKind.PASSKEY, message="This site only offers passkey or security-key sign-in.", **base)

    # A sign-out in a closed menu next to a visible "Sign in" is markup, not a session: take the way in.
    if base["logout"] or (base["logged_in"] and not base["entries"]):
        return Analysis(PageKind.LOGGED_IN, **base)

    entries = _entries(page)
    if base["sso_buttons"]:
        # Provider buttons and no field: the engine chooses among sso_buttons, unless a
        # "Continue with email" opens the password form, or this is a landing page with a way in.
        email = next((c for c in page.usable if signals.form_entry(c.data)), None)
        if email is not None:
            return Analysis(PageKind.ENTRY, primary=email, **base)
        if not entries or re.search(r"sign\s?-?\s?in|log\s?-?\s?in|login", headings, re.I):
            return Analysis(PageKind.IDENTIFIER, **base)
    if entries:
        return Analysis(PageKind.ENTRY, primary=entries[0], **base)
    menu = _menu_entry(page)
    if menu is not None:
        return Analysis(PageKind.ENTRY, primary=menu, primary_opens_menu=True, **base)
    return Analysis(PageKind.UNKNOWN, **base)
