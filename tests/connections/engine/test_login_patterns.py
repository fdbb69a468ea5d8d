"""Each login pattern end to end: the engine drives a real Chromium through a sandbox site."""

from __future__ import annotations

import time

import pytest

from connections.engine import ErrorCode, FlowStep, LoginPlan, Mode, Outcome, UserInput
from tests.connections.engine.conftest import Person
from tests.sites import accounts

ALICE = {"username": accounts.USERNAME, "password": accounts.PASSWORD}
ALICE_EMAIL = {"email": accounts.EMAIL, "password": accounts.PASSWORD}
ALICE_ALL = {"username": accounts.USERNAME, "email": accounts.EMAIL, "password": accounts.PASSWORD}


def succeeded(result) -> bool:
    assert result.outcome == Outcome.SUCCESS, f"{result.error_code}: {result.error_message} ({result.steps})"
    return True


@pytest.mark.parametrize(
    ("host", "path", "values"),
    [
        ("classic.localhost", "/login", ALICE),  # 1. classic form with CSRF, test cookie, remember-me
        ("steps.localhost", "/signin", ALICE_EMAIL),  # 2. identifier-first across pages
        ("spa.localhost", "/", ALICE_EMAIL),  # 3. single-page app, div buttons, no <form>
        ("reveal.localhost", "/login", ALICE_EMAIL),  # 4. password revealed after Continue
        ("modal.localhost", None, ALICE_EMAIL),  # 5. modal opened from the home page; domain only
        ("shadow.localhost", "/login", ALICE),  # 6. open shadow root
        ("iframe.localhost", "/login", ALICE),  # 7. form inside an iframe
    ],
)
def test_it_logs_in_to_every_form_shape(login, host, path, values):
    result = login(host, path=path, values=values)
    assert succeeded(result)
    assert login.whoami(host, result.storage_state) == "alice"
    assert result.plan is not None and result.plan.pages, "what worked is kept as a plan"


def test_the_classic_login_keeps_the_session_by_ticking_remember_me(login):
    result = login("classic.localhost", path="/login", values=ALICE)
    assert succeeded(result)
    persistent = [c for c in result.storage_state["cookies"] if c["domain"].endswith("classic.localhost") and c["expires"] > time.time() + 86400]
    assert persistent, "remember-me was ticked: the session cookie outlives the browser"


def test_a_totp_page_is_answered_from_the_stored_secret(login):
    person = Person()
    result = login("totp.localhost", path="/login", values=ALICE_ALL, totp_secret=accounts.TOTP_SECRET, person=person)
    assert succeeded(result) and not person.pauses


def test_an_mfa_choice_picks_the_authenticator_when_a_secret_is_stored(login):
    person = Person()
    result = login("mfa.localhost", path="/login", values=ALICE_ALL, totp_secret=accounts.TOTP_SECRET, person=person)
    assert succeeded(result) and not person.pauses


def test_an_mfa_choice_without_a_secret_pauses_with_the_options_then_asks_for_the_sent_code(login, sandbox):
    person = Person(answers=[
        lambda pause: UserInput(choice="email"),
        lambda pause: UserInput(fields={pause.fields[0].ref: sandbox.sent_codes("mfa.localhost")[-1]}),
    ])
    result = login("mfa.localhost", path="/login", values=ALICE_ALL, person=person)
    assert succeeded(result)
    choice, code = person.pauses
    assert {o.type for o in choice.mfa_options} >= {"totp", "sms", "email"}
    assert {c.type for c in choice.choices} == {"mfa_method"}
    assert [f.ref for f in code.fields] == ["code"] and code.fields[0].type == "code"
    assert choice.interaction_id != code.interaction_id
    assert "code" not in result.typed_values, "one-time codes are never saved"


def test_a_code_sent_by_email_is_asked_for_and_typed_into_split_digits(login, sandbox):
    person = Person(answers=[lambda pause: UserInput(fields={"code": sandbox.sent_codes("emailcode.localhost")[-1]})])
    result = login("emailcode.localhost", path="/login", values=ALICE_EMAIL, person=person)
    assert succeeded(result)
    assert person.pauses[0].discovered_fields[0].name == "code"


def test_an_account_picker_pauses_with_the_options_and_goes_on_with_the_choice(login):
    def choose_globex(pause):
        return UserInput(choice=next(o.id for o in pause.sign_in_options if o.label.startswith("Globex")))

    person = Person(answers=[choose_globex])
    result = login("picker.localhost", path="/login", values=ALICE_ALL, person=person)
    assert succeeded(result)
    assert [o.label for o in person.pauses[0].sign_in_options] == ["Acme Corp", "Globex", "Initech"]
    assert any(a.kind == "choose" and a.label.startswith("Globex") for p in result.plan.pages for a in p.actions)


def test_stay_signed_in_is_answered_yes(login):
    result = login("staysignedin.localhost", path="/login", values=ALICE_ALL)
    assert succeeded(result)
    assert any(c["expires"] > time.time() + 86400 for c in result.storage_state["cookies"])


def test_sso_follows_the_provider_button_to_the_identity_provider_and_back(login):
    # Seed 001's case: the credential is the identity provider's, and its password is typed only there.
    result = login(
        "sso-app.localhost", path="/login", values=ALICE_EMAIL, sso_provider="google",
        allowed_domains=["idp.localhost"], credential_domain="idp.localhost",
    )
    assert succeeded(result)
    assert result.post_login_url.startswith("http://sso-app.localhost")
    assert login.whoami("sso-app.localhost", result.storage_state) == "alice"
    assert result.typed_hosts == {"email": "idp.localhost", "password": "idp.localhost"}, "typed only on the IdP"
    assert result.typed_values == {}, "nothing a person typed"


def test_a_credential_for_the_app_is_not_typed_on_its_identity_provider_the_person_is_asked(login, sandbox):
    before = len(sandbox.login_attempts("idp.localhost"))
    person = Person(answers=[lambda pause: UserInput(fields={"email": accounts.EMAIL}),
                             lambda pause: UserInput(fields={"password": accounts.PASSWORD})])
    result = login(
        "sso-app.localhost", path="/login", values=ALICE_EMAIL, sso_provider="google",
        allowed_domains=["idp.localhost"], person=person,
    )
    assert succeeded(result)
    assert [[f.ref for f in p.fields] for p in person.pauses] == [["email"], ["password"]]
    assert result.typed_hosts == {"email": "idp.localhost", "password": "idp.localhost"}
    assert [a["ok"] for a in sandbox.login_attempts("idp.localhost")[before:]] == [True]


def test_sso_never_types_into_an_identity_provider_that_is_not_allowed(login, sandbox):
    before = len(sandbox.login_attempts("idp.localhost"))
    result = login("sso-app.localhost", path="/login", values=ALICE_EMAIL, sso_provider="google")
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.DOMAIN_NOT_ALLOWED
    assert len(sandbox.login_attempts("idp.localhost")) == before


def test_a_wrong_password_pauses_asking_for_it_again_and_never_resubmits_the_stored_one(login, sandbox):
    before = len(sandbox.login_attempts("classic.localhost"))
    person = Person(answers=[lambda pause: UserInput(fields={"password": accounts.PASSWORD})])
    result = login("classic.localhost", path="/login", values={"username": "alice", "password": "wrong-horse"}, person=person)
    assert succeeded(result)
    (pause,) = person.pauses
    assert [(f.ref, f.reason) for f in pause.fields] == [("password", "rejected")]
    assert pause.website_error and "Incorrect" in pause.website_error
    attempts = sandbox.login_attempts("classic.localhost")[before:]
    assert [a["ok"] for a in attempts] == [False, True]
    assert result.typed_values == {"password": accounts.PASSWORD}


def test_a_wrong_password_in_an_unattended_reauth_fails_after_one_attempt(login, sandbox):
    before = len(sandbox.login_attempts("classic.localhost"))
    result = login("classic.localhost", path="/login", values={"username": "alice", "password": "wrong-horse"},
                   mode=Mode.UNATTENDED)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.CREDENTIALS_INVALID
    assert "Incorrect" in result.website_error
    assert len(sandbox.login_attempts("classic.localhost")) == before + 1


def test_partial_credentials_ask_for_exactly_what_is_missing(login):
    person = Person(answers=[lambda pause: UserInput(fields={"password": accounts.PASSWORD})])
    result = login("steps.localhost", path="/signin", values={"email": accounts.EMAIL}, person=person)
    assert succeeded(result)
    (pause,) = person.pauses
    assert [(f.ref, f.type, f.reason) for f in pause.fields] == [("password", "password", "missing")]
    assert [d.name for d in pause.discovered_fields] == ["password"]
    assert result.typed_values == {"password": accounts.PASSWORD}


def test_an_already_logged_in_profile_finishes_without_typing(login, sandbox):
    first = login("classic.localhost", path="/login", values=ALICE)
    assert succeeded(first)
    before = len(sandbox.login_attempts("classic.localhost"))
    person = Person()
    again = login("classic.localhost", path="/login", values=ALICE, storage_state=first.storage_state, person=person)
    assert succeeded(again)
    assert FlowStep.SUBMITTING.value not in person.steps
    assert len(sandbox.login_attempts("classic.localhost")) == before


def test_a_single_page_app_session_kept_in_indexeddb_survives_in_the_browser_state(login):
    first = login("spa.localhost", path="/", values=ALICE_EMAIL)
    assert succeeded(first)
    assert any(origin.get("indexedDB") for origin in first.storage_state["origins"])
    person = Person()
    again = login("spa.localhost", path="/", values=ALICE_EMAIL, storage_state=first.storage_state, person=person)
    assert succeeded(again) and FlowStep.SUBMITTING.value not in person.steps


def test_a_learned_plan_is_replayed_and_discovery_takes_over_when_the_page_changed(login):
    first = login("steps.localhost", path="/signin", values=ALICE_EMAIL)
    assert succeeded(first)
    replayed = login("steps.localhost", values=ALICE_EMAIL, plan=first.plan)
    assert succeeded(replayed)
    stale = LoginPlan.from_dict(first.plan.to_dict())
    for page in stale.pages:
        for action in page.actions:
            action.selector = "#gone-" + action.kind
    fallback = login("steps.localhost", values=ALICE_EMAIL, plan=stale)
    assert succeeded(fallback)
    disabled = login("steps.localhost", path="/signin", values=ALICE_EMAIL, plan=stale, use_plan=False)
    assert succeeded(disabled)


@pytest.mark.parametrize(
    ("host", "path", "code"),
    [
        ("captcha.localhost", "/login", ErrorCode.CAPTCHA_BLOCKED),
        ("passkey.localhost", "/login", ErrorCode.UNSUPPORTED_AUTH_METHOD),
        ("noform.localhost", None, ErrorCode.LOGIN_FORM_NOT_FOUND),
    ],
)
def test_pages_it_cannot_or_must_not_fight_are_reported(login, sandbox, host, path, code):
    result = login(host, path=path, values=ALICE)
    assert result.outcome == Outcome.FAILED and result.error_code == code, result.error_message


def test_a_push_approval_waits_for_the_site_and_goes_on_by_itself(login, sandbox, loop):
    person = Person()

    def on_step(event):
        person.events.append(event)
        if event.step == FlowStep.AWAITING_EXTERNAL_ACTION:
            sandbox.approve_push("push.localhost")

    result = login("push.localhost", path="/login", values=ALICE_ALL, person=person, on_step=on_step)
    assert succeeded(result)
    waiting = next(e for e in person.events if e.step == FlowStep.AWAITING_EXTERNAL_ACTION)
    assert "phone" in waiting.external_action_message.lower()


def test_a_replayed_plan_is_learned_again_unchanged(login):
    first = login("classic.localhost", path="/login", values=ALICE)
    again = login("classic.localhost", values=ALICE, plan=first.plan)
    assert succeeded(again)
    assert again.plan.login_url == first.plan.login_url
    assert [(p.path, [a.kind for a in p.actions]) for p in again.plan.pages] == [
        (p.path, [a.kind for a in p.actions]) for p in first.plan.pages
    ]
    assert again.plan.successes == first.plan.successes + 1
