"""The engine's inputs and outputs: plain dataclasses and enums, no Django.

Wire values are Kernel's (uppercase steps and statuses, lowercase error codes), so the flows layer can
put them on the API unchanged.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class FlowStep(StrEnum):
    DISCOVERING = "DISCOVERING"
    AWAITING_INPUT = "AWAITING_INPUT"
    AWAITING_EXTERNAL_ACTION = "AWAITING_EXTERNAL_ACTION"
    SUBMITTING = "SUBMITTING"
    COMPLETED = "COMPLETED"


class Outcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    CANCELED = "CANCELED"


class ErrorCode(StrEnum):
    DOMAIN_NOT_ALLOWED = "domain_not_allowed"
    LOGIN_FORM_NOT_FOUND = "login_form_not_found"
    CREDENTIALS_INVALID = "credentials_invalid"
    BOT_DETECTED = "bot_detected"
    CAPTCHA_BLOCKED = "captcha_blocked"
    STUCK_IN_LOOP = "stuck_in_loop"
    MAX_ATTEMPTS_REACHED = "max_attempts_reached"
    WEBSITE_ERROR = "website_error"
    NAVIGATION_CONFUSED = "navigation_confused"
    BROWSER_ERROR = "browser_error"
    SESSION_EXPIRED = "session_expired"
    UNSUPPORTED_AUTH_METHOD = "unsupported_auth_method"


class Mode(StrEnum):
    INTERACTIVE = "interactive"  # a person can answer pauses (hosted page or API)
    UNATTENDED = "unattended"  # re-authentication: any pause ends the flow


# --- what a pause asks, in both of Kernel's forms ---------------------------------------------------


@dataclass(frozen=True)
class DiscoveredField:
    """Legacy form. ``name`` is the credential key (email, password, code…), not the HTML name."""

    name: str
    label: str
    type: str  # text|email|password|tel|number|url|code|totp
    selector: str
    placeholder: str | None = None
    required: bool = True
    hint: str | None = None


@dataclass(frozen=True)
class Field:
    """Canonical form. ``ref`` is the credential key the value is stored under."""

    id: str
    ref: str
    type: str  # identifier|password|code|totp_code|totp_secret|text
    reason: str  # missing|rejected
    label: str | None = None
    hint: str | None = None
    input_mode: str | None = None  # text|email|tel|numeric
    observed_selector: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    type: str  # mfa_method|sso_provider|sign_in_method|auth_method|identifier_method|account|other
    description: str | None = None
    mfa_type: str | None = None
    observed_selector: str | None = None


@dataclass(frozen=True)
class MfaOption:
    type: str  # sms|call|email|totp|push|password|switch
    label: str
    target: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SsoButton:
    provider: str
    label: str
    selector: str


@dataclass(frozen=True)
class SignInOption:
    id: str
    label: str
    description: str | None = None


@dataclass(frozen=True)
class Pause:
    """What the engine needs from a person; ``interaction_id`` is fresh for every pause."""

    interaction_id: str
    discovered_fields: list[DiscoveredField] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    mfa_options: list[MfaOption] = field(default_factory=list)
    pending_sso_buttons: list[SsoButton] = field(default_factory=list)
    sign_in_options: list[SignInOption] = field(default_factory=list)
    website_error: str | None = None

    @staticmethod
    def new_id() -> str:
        return "int_" + secrets.token_urlsafe(12)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Pause | None:
        """The pause as it was stored (``to_dict``); None for an empty one. Unknown keys are ignored, so
        pauses stored by an older version still read."""
        if not data or not data.get("interaction_id"):
            return None

        def items(kind: type, key: str) -> list[Any]:
            names = set(kind.__dataclass_fields__)
            return [kind(**{k: v for k, v in item.items() if k in names}) for item in data.get(key) or []]

        return cls(
            interaction_id=data["interaction_id"],
            discovered_fields=items(DiscoveredField, "discovered_fields"), fields=items(Field, "fields"),
            choices=items(Choice, "choices"), mfa_options=items(MfaOption, "mfa_options"),
            pending_sso_buttons=items(SsoButton, "pending_sso_buttons"),
            sign_in_options=items(SignInOption, "sign_in_options"), website_error=data.get("website_error"),
        )

    # What an answer may name, in either of Kernel's forms.

    @property
    def field_refs(self) -> set[str]:
        return {f.ref for f in self.fields} | {f.name for f in self.discovered_fields}

    @property
    def field_ids(self) -> set[str]:
        return {f.id for f in self.fields}

    @property
    def choice_ids(self) -> set[str]:
        return {c.id for c in self.choices}

    @property
    def mfa_types(self) -> set[str]:
        return {o.type for o in self.mfa_options}

    @property
    def sign_in_ids(self) -> set[str]:
        return {o.id for o in self.sign_in_options}

    @property
    def sso_providers(self) -> set[str]:
        return {b.provider for b in self.pending_sso_buttons}

    @property
    def sso_selectors(self) -> set[str]:
        return {b.selector for b in self.pending_sso_buttons}

    def wire(self, key: str) -> list[dict[str, Any]] | None:
        """One of the pause's lists as the API shows it (``discovered_fields``, ``choices``…), or None."""
        return [asdict(item) for item in getattr(self, key)] or None


@dataclass(frozen=True)
class UserInput:
    """A person's answer. ``fields`` are keyed by credential key (``Field.ref`` / ``DiscoveredField.name``)
    or by ``Field.id``; ``choice`` is a choice id, an MFA type, a sign-in option id or an SSO provider."""

    fields: dict[str, str] = field(default_factory=dict)
    choice: str | None = None
    sso_button_selector: str | None = None

    def __repr__(self) -> str:  # values are secrets
        return f"UserInput(fields={sorted(self.fields)}, choice={self.choice!r})"


@dataclass(frozen=True)
class StepEvent:
    """Reported for every step change. Never contains a secret."""

    step: FlowStep
    message: str = ""
    url: str | None = None
    pause: Pause | None = None
    external_action_message: str | None = None
    website_error: str | None = None
    screenshot_path: str | None = None


# --- learned plans ----------------------------------------------------------------------------------


@dataclass
class PlanAction:
    """One thing that worked: fill ``selector`` with credential ``key``, click it, or choose ``label``."""

    kind: str  # fill|click|check|totp|choose
    selector: str
    key: str | None = None
    label: str | None = None
    frame_host: str | None = None


@dataclass
class PlanPage:
    """The actions taken on one page, recognised by its URL path (without query)."""

    path: str
    actions: list[PlanAction] = field(default_factory=list)


@dataclass
class LoginPlan:
    login_url: str | None = None
    pages: list[PlanPage] = field(default_factory=list)
    post_login_url: str | None = None
    successes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LoginPlan:
        if not data:
            return cls()
        return cls(
            login_url=data.get("login_url"),
            pages=[
                PlanPage(page["path"], [PlanAction(**action) for action in page.get("actions", [])])
                for page in data.get("pages", [])
            ],
            post_login_url=data.get("post_login_url"),
            successes=int(data.get("successes", 0)),
        )

    def page_for(self, path: str) -> PlanPage | None:
        return next((page for page in self.pages if page.path == path), None)

    @property
    def needs_person(self) -> bool:
        """Whether replaying it needs input a stored credential cannot give (can_reauth)."""
        return any(action.kind == "input" for page in self.pages for action in page.actions)


# --- session evidence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What a logged-in page of a connection looked like after a proven login: which sign-out or account
    controls, which session cookies, which landing path. Later verdicts on the connection use it."""

    controls: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"controls": list(self.controls), "cookies": list(self.cookies), "path": self.path}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Fingerprint | None:
        if not data:
            return None
        return cls(tuple(data.get("controls") or ()), tuple(data.get("cookies") or ()), data.get("path"))


# --- request and result -----------------------------------------------------------------------------

InputSource = Callable[[Pause], Awaitable[UserInput]]
StepCallback = Callable[[StepEvent], Awaitable[None] | None]


@dataclass
class LoginRequest:
    domain: str
    login_url: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    totp_secret: str | None = None
    totp_algorithm: str = "SHA1"
    totp_digits: int = 6
    totp_period: int = 30
    sso_provider: str | None = None
    # The linked credential's own domain: its secrets are typed only there (and its subdomains).
    credential_domain: str | None = None
    allowed_domains: list[str] = field(default_factory=list)
    storage_state: dict[str, Any] | None = None
    proxy: dict[str, str] | None = None  # Playwright form: {server, username?, password?, bypass?}
    record: bool = False
    plan: LoginPlan | None = None
    use_plan: bool = True
    mode: Mode = Mode.INTERACTIVE
    fingerprint: Fingerprint | None = None  # what proved this connection's earlier logins
    inputs: InputSource | None = None
    on_step: StepCallback | None = None
    input_timeout: float = 600.0
    external_action_timeout: float = 600.0

    def __repr__(self) -> str:
        return f"LoginRequest(domain={self.domain!r}, keys={sorted(self.values)}, mode={self.mode.value})"


@dataclass
class LoginResult:
    outcome: Outcome
    error_code: ErrorCode | None = None
    error_message: str | None = None
    post_login_url: str | None = None
    storage_state: dict[str, Any] | None = None
    plan: LoginPlan | None = None
    typed_values: dict[str, str] = field(default_factory=dict)  # what a person typed (no one-time codes)
    # Every credential key the login typed (stored or given by a person) -> the host it was typed on.
    typed_hosts: dict[str, str] = field(default_factory=dict)
    website_error: str | None = None
    fingerprint: Fingerprint | None = None  # the evidence that proved the session (SUCCESS only)
    verification: str | None = None  # what the fresh-page check saw, in words
    recording_path: str | None = None
    screenshots: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"LoginResult({self.outcome.value}, error={self.error_code}, url={self.post_login_url!r})"
