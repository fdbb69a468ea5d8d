"""A page as read: its kind and the elements to act on (``Analysis``), in the collector's terms.

Plain dataclasses, no decisions: ``classify`` fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from connections.engine.field_roles import Role, tokens


class PageKind(StrEnum):
    CAPTCHA = "captcha"
    LOGIN = "login"  # a password field (with or without an identifier)
    IDENTIFIER = "identifier"  # an identifier-first step (or only provider buttons: see sso_buttons)
    OTP = "otp"
    MFA_CHOICE = "mfa_choice"
    ACCOUNT_PICKER = "account_picker"
    STAY_SIGNED_IN = "stay_signed_in"
    INTERSTITIAL = "interstitial"  # a skippable prompt (save login info, add a phone, create a passkey…)
    CONSENT = "consent"  # OAuth consent (a cookie banner is Analysis.consent, not a kind)
    PUSH = "push"
    PASSKEY = "passkey"
    LOGGED_IN = "logged_in"
    ENTRY = "entry"  # no form, but a "Log in" link or button (or the menu that holds one)
    UNKNOWN = "unknown"


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
    submit: Element | None = None  # may be disabled until the fields are filled (data["disabled"])
    remember: Input | None = None
    mfa_options: list[tuple[str, str, Element]] = field(default_factory=list)  # (type, label, element)
    accounts: list[tuple[str, str, Element]] = field(default_factory=list)  # (label, description, element)
    sso_buttons: list[tuple[str, Element]] = field(default_factory=list)
    primary: Element | None = None  # allow / yes / skip / entry link (or the menu trigger hiding it)
    primary_opens_menu: bool = False  # ENTRY: primary opens a menu; click (or hover) it and read again
    consent: Element | None = None  # the button clearing a blocking cookie banner, whatever the kind
    logged_in: bool = False  # a sign-out control, visible or in a closed menu
    website_error: str | None = None
    message: str | None = None
    form_action: str | None = None  # resolved; the document URL when the form names none (or "#")
    form_scripted: bool = False  # no usable action, javascript:, or no form: sent by script
    signature: str = ""
    mutations: int = -1  # the main frame's DOM change counter when it was read
    # Session evidence, on every page: sign-out controls, account menus/avatars, sign-in entry points.
    logout: list[str] = field(default_factory=list)  # visible sign-out controls
    logout_hidden: list[str] = field(default_factory=list)  # … and ones kept in closed menus
    account: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    text: str = ""  # the visible page text (≤ 4000 characters)
    password_visible: bool = False
    busy: bool = False  # a spinner/skeleton, a document still loading, or requests in flight

    @property
    def frame(self) -> int:
        for element in (self.password, self.identifier, *self.otp, self.submit, self.primary):
            if element is not None:
                return element.frame
        return 0
