"""What a pause asks a person, built from what was read on the page: typed ``Pause`` objects, in both of
Kernel's forms (legacy ``discovered_fields``/``mfa_options``… and canonical ``fields``/``choices``).

The same dataclasses travel from here to the API serializers; nothing re-parses them as dicts.
"""

from __future__ import annotations

from connections.engine.classify import Analysis, Element, Input
from connections.engine.types import Choice, DiscoveredField, Field, MfaOption, Pause, SignInOption, SsoButton


def sso_buttons(analysis: Analysis) -> list[SsoButton]:
    return [SsoButton(name, el.text or name.title(), el.selector) for name, el in analysis.sso_buttons]


def sso_choices(analysis: Analysis) -> list[Choice]:
    return [Choice(f"sso_{name}", el.text or name.title(), "sso_provider", observed_selector=el.selector)
            for name, el in analysis.sso_buttons]


def for_fields(analysis: Analysis, missing: list[tuple[Input, str]], rejected: set[str]) -> Pause:
    discovered, canonical = [], []
    for element, key in missing:
        kind = element.data.get("type", "text")
        is_password = key == "password"
        selector = element.durable or element.selector
        discovered.append(DiscoveredField(
            name=key, label=element.describe() or key.replace("_", " ").title(),
            type="password" if is_password else ("email" if kind == "email" or key == "email" else "text"),
            selector=selector, placeholder=element.data.get("placeholder") or None, required=True,
        ))
        canonical.append(Field(
            id=f"fld_{key}", ref=key,
            type="password" if is_password else ("identifier" if key in ("email", "username") else "text"),
            reason="rejected" if key in rejected else "missing", label=element.describe() or None,
            input_mode="email" if key == "email" else "text", observed_selector=selector,
        ))
    return Pause(
        Pause.new_id(), discovered_fields=discovered, fields=canonical,
        pending_sso_buttons=sso_buttons(analysis), choices=sso_choices(analysis),
        website_error=analysis.website_error if rejected else None,
    )


def for_sso(analysis: Analysis) -> Pause:
    return Pause(Pause.new_id(), choices=sso_choices(analysis), pending_sso_buttons=sso_buttons(analysis))


def for_code(analysis: Analysis, key: str, *, rejected: bool) -> Pause:
    first = analysis.otp[0]
    label = analysis.message or "Verification code"
    selector = first.durable or first.selector
    return Pause(
        Pause.new_id(),
        discovered_fields=[DiscoveredField(key, label, "totp" if key == "totp_code" else "code", selector,
                                           first.data.get("placeholder") or None)],
        fields=[Field(f"fld_{key}", key, "totp_code" if key == "totp_code" else "code",
                      "rejected" if rejected else "missing", label, input_mode="numeric", observed_selector=selector)],
        website_error=analysis.website_error if rejected else None,
    )


def for_mfa(options: list[tuple[str, str, Element]]) -> Pause:
    return Pause(
        Pause.new_id(),
        mfa_options=[MfaOption(t, label) for t, label, _ in options],
        choices=[Choice(f"mfa_{t}", label, "mfa_method", mfa_type=t, observed_selector=el.selector) for t, label, el in options],
    )


def for_accounts(options: dict[str, tuple[str, str, Element]]) -> Pause:
    return Pause(
        Pause.new_id(),
        sign_in_options=[SignInOption(i, label, desc or None) for i, (label, desc, _) in options.items()],
        choices=[Choice(i, label, "account", description=desc or None, observed_selector=el.selector)
                 for i, (label, desc, el) in options.items()],
    )
