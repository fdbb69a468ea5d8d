"""Every sandbox site a login can succeed on, as a user would set its connection up — the sites of
earlier issues listed here, the ones modelled on real logins declared by their own ``Scenario``
(``tests/sites/real``). Shared by the tests that must hold on every site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connections.engine import StepEvent, UserInput
from tests.connections.engine.conftest import Login, Person
from tests.sites import accounts
from tests.sites.framework import NO_SESSION, VARIANT_COOKIE
from tests.sites.real import Scenario, scenarios

ALICE = {"username": accounts.USERNAME, "password": accounts.PASSWORD}
EMAIL = {"email": accounts.EMAIL, "password": accounts.PASSWORD}
BOTH = {"username": accounts.USERNAME, "email": accounts.EMAIL, "password": accounts.PASSWORD}
IDP = dict(allowed_domains=("idp.localhost",), credential_domain="idp.localhost", password_host="idp.localhost")

EARLIER_SITES = [
    Scenario("classic.localhost", "Django admin-like", ("form",), ALICE, path="/login"),
    Scenario("steps.localhost", "identifier-first", ("form",), EMAIL, path="/signin"),
    Scenario("spa.localhost", "single-page app", ("form",), EMAIL, path="/"),
    Scenario("reveal.localhost", "password revealed", ("form",), EMAIL, path="/login"),
    Scenario("modal.localhost", "modal from the home page", ("entry_point",), EMAIL),
    Scenario("shadow.localhost", "shadow DOM", ("form",), ALICE, path="/login"),
    Scenario("iframe.localhost", "iframe", ("form",), ALICE, path="/login"),
    Scenario("totp.localhost", "TOTP", ("form",), BOTH, path="/login", totp=True),
    Scenario("mfa.localhost", "MFA choice", ("form",), BOTH, path="/login", totp=True),
    Scenario("emailcode.localhost", "emailed split-digit code", ("form",), EMAIL, path="/login", answers=("code",)),
    Scenario("picker.localhost", "account picker", ("form",), BOTH, path="/login", answers=("account:Globex",)),
    Scenario("staysignedin.localhost", "stay signed in", ("interstitial",), BOTH, path="/login"),
    Scenario("sso-app.localhost", "SSO with consent", ("sso_only",), EMAIL, path="/login", sso_provider="google", **IDP),
    Scenario("push.localhost", "push approval", ("form",), BOTH, path="/login", answers=("approve",)),
    Scenario("bank.localhost", "bank", ("form",), {"username": accounts.USERNAME, "password": accounts.PASSWORD},
             path="/login"),
]


def every_site() -> list[Scenario]:
    return [*EARLIER_SITES, *scenarios()]


def site_id(scenario: Scenario) -> str:
    return scenario.host


def login_kwargs(scenario: Scenario, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = dict(values=dict(scenario.values), path=scenario.path)
    if scenario.totp:
        kwargs["totp_secret"] = accounts.TOTP_SECRET
    if scenario.sso_provider:
        kwargs["sso_provider"] = scenario.sso_provider
    if scenario.allowed_domains:
        kwargs["allowed_domains"] = list(scenario.allowed_domains)
    if scenario.credential_domain:
        kwargs["credential_domain"] = scenario.credential_domain
    kwargs.update(overrides)
    return kwargs


def hosts_of(scenario: Scenario) -> list[str]:
    return [scenario.host, *scenario.allowed_domains]


def needs_person_first(scenario: Scenario) -> bool:
    """Whether a person must choose before any password is typed (an SSO-only page, no stored provider)."""
    return any(a.startswith("sso:") for a in scenario.answers)


def person_for(scenario: Scenario, login: Login, *, password: list[Callable] | None = None) -> Person:
    """A person who answers the scenario's pauses; ``password`` answers go after the sign-in choices and
    before the second factor, where a re-asked password comes."""
    sandbox = login.sandbox
    answers: list[Callable] = []
    person = Person(answers=answers)
    ordered = [a for a in scenario.answers if a.startswith("sso:")] + ["password"] + [
        a for a in scenario.answers if not a.startswith("sso:")]
    for answer in ordered:
        if answer == "password":
            answers.extend(password or [])
        elif answer == "code":
            host = scenario.code_host or scenario.host
            answers.append(lambda pause, host=host: UserInput(fields={pause.fields[0].ref: sandbox.sent_codes(host)[-1]}))
        elif answer.startswith("mfa:"):
            answers.append(lambda pause, t=answer[4:]: UserInput(choice=t))
        elif answer.startswith("sso:"):
            answers.append(lambda pause, p=answer[4:]: UserInput(choice=p))
        elif answer.startswith("account:"):
            answers.append(lambda pause, label=answer[8:]: UserInput(
                choice=next(o.id for o in pause.sign_in_options if o.label.startswith(label))))
        elif answer == "approve":
            original = person.on_step

            def approve(event: StepEvent, host: str = scenario.host, original: Callable = original) -> None:
                original(event)
                if event.step.value == "AWAITING_EXTERNAL_ACTION":
                    sandbox.approve_push(host)

            person.on_step = approve  # type: ignore[method-assign]
        else:
            raise ValueError(f"unknown scenario answer {answer!r}")
    return person


def no_session_state(scenario: Scenario, sandbox: Any) -> dict[str, Any]:
    """A browser state whose cookie turns on the no-session variant (tests/sites/framework.py) on every
    host of every site the login goes through."""
    cookie = dict(name=VARIANT_COOKIE, value=NO_SESSION, path="/", expires=-1, httpOnly=False, secure=False, sameSite="Lax")
    hosts = dict.fromkeys(h for host in hosts_of(scenario) for h in sandbox.site(host).hosts)
    return {"cookies": [{**cookie, "domain": host} for host in hosts], "origins": []}
