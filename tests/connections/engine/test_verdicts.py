"""The engine's verdicts are true: SUCCESS only on proof, no secret sent twice, loops end as loops."""

from __future__ import annotations

import pytest

from connections.engine import ErrorCode, Mode, Outcome, UserInput
from connections.engine.classify import Analysis, PageKind
from connections.engine.types import Fingerprint
from connections.engine.verdict import SessionState, Signals, cookie_changes, reopen_url, signals_of, weigh
from tests.connections.engine.conftest import Person
from tests.sites import accounts

WRONG = {"username": accounts.USERNAME, "password": "wrong-horse"}
RIGHT = {"username": accounts.USERNAME, "password": accounts.PASSWORD}


# --- weighing the evidence (pure) -------------------------------------------------------------


def test_a_sign_out_link_alone_is_not_proof():
    assert weigh(Signals(signout=["Sign out"])).state == SessionState.UNKNOWN


def test_a_sign_out_link_with_the_users_name_is_proof():
    verdict = weigh(Signals(signout=["Sign out"], identity="alice"))
    assert verdict.state == SessionState.LOGGED_IN and "sign-out control “Sign out”" in verdict.reason


def test_evidence_without_any_control_is_not_proof():
    assert weigh(Signals(identity="alice", cookies_changed=("sid",))).state == SessionState.UNKNOWN


def test_a_weak_control_needs_two_kinds_of_corroboration():
    assert weigh(Signals(account=["Account"], identity="alice")).state == SessionState.UNKNOWN
    assert weigh(Signals(signout_hidden=["Log out"], cookies_changed=("sid",))).state == SessionState.UNKNOWN
    assert weigh(Signals(account=["Account"], identity="alice", cookies_changed=("sid",))).state == SessionState.LOGGED_IN


@pytest.mark.parametrize(
    "against",
    [Signals(signout=["Log out"], identity="alice", password_visible=True),
     Signals(account=["Account"], identity="alice", cookies_changed=("sid",), entries=["Sign in"]),
     Signals(signout_hidden=["Log out"], account=["Menu"], identity="alice", cookies_changed=("sid",), entries=["Sign in"]),
     Signals(signout=["Log out"], identity="alice", cookies_changed=("sid",), form_step=True)],
    ids=["a password field", "a sign-in entry point", "a sign-in entry point beside a hidden sign-out", "a sign-in step"],
)
def test_a_login_form_or_sign_in_entry_in_view_means_logged_out(against):
    assert weigh(against).state == SessionState.LOGGED_OUT


def test_the_control_seen_on_earlier_logins_is_not_counted_twice():
    analysis = Analysis(PageKind.LOGGED_IN, "https://app.example/home", text="Welcome", account=["Open user menu"])
    fingerprint = Fingerprint(controls=("Open user menu",), cookies=("sid",), path="app.example/home")
    alone = signals_of(analysis, fingerprint=fingerprint, cookie_names={"other"})
    assert weigh(alone).state == SessionState.UNKNOWN, "the remembered control is still one control"
    with_cookies = signals_of(analysis, fingerprint=fingerprint, cookie_names={"sid", "other"},
                              cookies_changed=("sid",))
    assert weigh(with_cookies).state == SessionState.LOGGED_IN


def test_cookies_every_page_sets_are_no_sign_of_a_session():
    analysis = Analysis(PageKind.LOGGED_IN, "https://app.example/", logout=["Log out"])
    signals = signals_of(analysis, cookies_changed=("_ga", "csrftoken", "OptanonConsent"))
    assert signals.cookies_changed == () and weigh(signals).state == SessionState.UNKNOWN


def test_a_short_identifier_is_not_found_inside_other_words():
    analysis = Analysis(PageKind.LOGGED_IN, "https://app.example/", text="Join our information session", logout=["Log out"])
    assert signals_of(analysis, identities=["info@example.com", "info", "jo"]).identity is None
    named = Analysis(PageKind.LOGGED_IN, "https://app.example/", text="Signed in as alice@example.com", logout=["Log out"])
    assert signals_of(named, identities=["alice@example.com"]).identity == "alice@example.com"


def test_a_spent_callback_is_not_reopened():
    assert reopen_url("https://a.example/cb?code=1&state=2&tab=x", None) == "https://a.example/cb?tab=x"
    assert reopen_url("https://a.example/cb?code=1", "https://a.example/home") == "https://a.example/home"
    assert reopen_url("https://a.example/home?tab=2", "https://a.example/x") == "https://a.example/home?tab=2"


def test_only_the_sites_new_or_changed_cookies_count():
    before = [{"name": "sid", "domain": "a.example", "value": "1"}, {"name": "pref", "domain": "a.example", "value": "x"}]
    after = [*before[1:], {"name": "sid", "domain": "a.example", "value": "2"},
             {"name": "track", "domain": "other.example", "value": "y"}]
    assert cookie_changes(before, after, "a.example") == ("sid",)


# --- end to end -------------------------------------------------------------------------------


def test_a_page_with_nothing_on_it_after_the_password_is_not_a_success(login):
    result = login("quirks.localhost", path="/vanish/login", values=RIGHT)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.NAVIGATION_CONFUSED
    assert "neither a sign-in step nor signed in" in result.error_message and "Thanks!" in result.error_message


def test_hidden_sign_out_markup_and_changing_cookies_on_a_signed_out_site_are_not_a_success(login, sandbox):
    """The landing says "Welcome back" and carries a sign-out in a hidden menu, but shows "Sign in": the
    engine follows it back to the form, and does not send the accepted password a second time."""
    before = len(sandbox.login_attempts("quirks.localhost"))
    result = login("quirks.localhost", path="/ghost/login", values=RIGHT, mode=Mode.UNATTENDED)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.CREDENTIALS_INVALID, result.error_message
    assert [a["ok"] for a in sandbox.login_attempts("quirks.localhost")[before:]] == [True]


def test_a_landing_on_the_identity_provider_is_no_proof_for_the_application(login, sandbox):
    """The connection is the app's; its login starts on the identity provider, whose own pages look
    signed in afterwards. Only the app's page can prove the app's session — and it has none."""
    result = login("sso-app.localhost", login_url=sandbox.url("idp.localhost", "/signin/identifier"),
                   values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
                   allowed_domains=["idp.localhost"], credential_domain="idp.localhost")
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.NAVIGATION_CONFUSED, result.error_message
    assert "sso-app.localhost/" in result.error_message


def test_a_person_may_mistype_the_password_more_than_once(login, sandbox):
    before = len(sandbox.login_attempts("classic.localhost"))
    person = Person(answers=[lambda pause: UserInput(fields={"password": "typo-one"}),
                             lambda pause: UserInput(fields={"password": "typo-two"}),
                             lambda pause: UserInput(fields={"password": accounts.PASSWORD})])
    result = login("classic.localhost", path="/login", values=WRONG, person=person)
    assert result.outcome == Outcome.SUCCESS, f"{result.error_code}: {result.error_message}"
    assert [a["ok"] for a in sandbox.login_attempts("classic.localhost")[before:]] == [False, False, False, True]


def test_a_replayed_plan_waits_for_a_slow_scripted_answer_instead_of_taking_the_form_for_refused(login, sandbox):
    first = login("quirks.localhost", path="/slowjs/login", values=RIGHT, mode=Mode.UNATTENDED)
    assert first.outcome == Outcome.SUCCESS, first.error_message
    before = len(sandbox.login_attempts("quirks.localhost"))
    again = login("quirks.localhost", values=RIGHT, plan=first.plan, mode=Mode.UNATTENDED)
    assert again.outcome == Outcome.SUCCESS, f"{again.error_code}: {again.error_message}"
    assert [a["ok"] for a in sandbox.login_attempts("quirks.localhost")[before:]] == [True]


def test_a_site_that_refuses_the_browser_as_a_robot_ends_bot_detected_in_its_words(login):
    result = login("quirks.localhost", path="/blocked/login", values=RIGHT)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.BOT_DETECTED
    assert "unusual traffic from your network" in result.error_message


def test_a_form_that_comes_back_silently_is_not_sent_the_same_password_again_unattended(login, sandbox):
    before = len(sandbox.login_attempts("quirks.localhost"))
    result = login("quirks.localhost", path="/silent/login", values=WRONG, mode=Mode.UNATTENDED)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.CREDENTIALS_INVALID
    assert "does not submit the same password twice" in result.error_message
    assert [a["ok"] for a in sandbox.login_attempts("quirks.localhost")[before:]] == [False]


def test_a_form_that_comes_back_silently_asks_the_person_for_the_password(login, sandbox):
    before = len(sandbox.login_attempts("quirks.localhost"))
    person = Person(answers=[lambda pause: UserInput(fields={"password": accounts.PASSWORD})])
    result = login("quirks.localhost", path="/silent/login", values=WRONG, person=person)
    assert result.outcome == Outcome.SUCCESS, result.error_message
    (pause,) = person.pauses
    assert [(f.ref, f.reason) for f in pause.fields] == [("password", "rejected")]
    assert [a["ok"] for a in sandbox.login_attempts("quirks.localhost")[before:]] == [False, True]


def test_the_same_page_after_the_same_action_twice_ends_stuck_in_loop(login):
    result = login("quirks.localhost", path="/loop/login", values=RIGHT)
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.STUCK_IN_LOOP
    assert "going round in circles" in result.error_message and "“Yes”" in result.error_message
    assert result.steps.count("SUBMITTING") <= 4, result.steps


def test_an_error_shown_before_a_submission_is_not_taken_as_the_answer_to_it(loop, browser_host):
    """A toast that lingers from the last attempt is marked as the form is submitted; only an error that
    appears or changes afterwards is the site's answer."""
    from connections.engine.run import MARK_ERRORS
    from connections.engine.snapshot import read_page

    html = """<form><input name=u autocomplete=username><input type=password name=p><button>Sign in</button></form>
    <div role=alert id=toast>Invalid email or password</div>"""

    async def scenario():
        context = await browser_host.browser.new_context()
        try:
            page = await context.new_page()
            await page.set_content(html)
            before, _ = await read_page(page)
            await page.main_frame.evaluate(MARK_ERRORS)
            lingering, _ = await read_page(page)
            await page.evaluate("document.getElementById('toast').textContent = 'Too many attempts, try again later'")
            changed, _ = await read_page(page)
            return before.website_error, lingering.website_error, changed.website_error
        finally:
            await context.close()

    before, lingering, changed = loop.run(scenario())
    assert before == "Invalid email or password"
    assert lingering is None
    assert changed == "Too many attempts, try again later"
