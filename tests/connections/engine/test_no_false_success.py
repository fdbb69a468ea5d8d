"""No sandbox site can make the engine report SUCCESS without a session.

Each site's no-session variant serves every page of a successful login, landing included — the user's
name, the account menu, a sign-out link — but the session dies before the next page is opened. Only
the fresh-page check can tell; the login must end navigation_confused, saying so."""

from __future__ import annotations

import pytest

from connections.engine import ErrorCode, Outcome
from tests.connections.engine.scenarios import every_site, login_kwargs, no_session_state, person_for, site_id


@pytest.mark.parametrize("scenario", every_site(), ids=site_id)
def test_a_landing_that_looks_signed_in_without_a_session_is_not_a_success(login, scenario):
    person = person_for(scenario, login)
    result = login(scenario.host, person=person, **login_kwargs(scenario, storage_state=no_session_state(scenario, login.sandbox)))
    assert result.outcome == Outcome.FAILED, f"{result.outcome}: {result.error_message} {result.steps}"
    assert result.error_code == ErrorCode.NAVIGATION_CONFUSED, result.error_message
    assert "fresh page" in result.error_message and "did not keep the session" in result.error_message
    assert result.storage_state is None and result.plan is None, "nothing of a failed login is kept"


@pytest.mark.parametrize("scenario", every_site(), ids=site_id)
def test_the_same_site_with_its_session_kept_logs_in_and_what_it_learned_does_not_fool_it_later(login, scenario):
    """The control for the test above — only the session makes the difference — then the no-session
    variant again, warm: with the plan and the fingerprint of that real success in hand."""
    result = login(scenario.host, person=person_for(scenario, login), **login_kwargs(scenario))
    assert result.outcome == Outcome.SUCCESS, f"{result.error_code}: {result.error_message} {result.steps}"
    assert login.whoami(scenario.host, result.storage_state) == "alice"
    assert result.fingerprint is not None and result.fingerprint.controls, "the evidence that proved it is kept"

    warm = login(scenario.host, person=person_for(scenario, login), **login_kwargs(
        scenario, storage_state=no_session_state(scenario, login.sandbox), plan=result.plan,
        fingerprint=result.fingerprint))
    assert warm.outcome == Outcome.FAILED and warm.error_code == ErrorCode.NAVIGATION_CONFUSED, (
        f"{warm.outcome}: {warm.error_message} {warm.steps}")
