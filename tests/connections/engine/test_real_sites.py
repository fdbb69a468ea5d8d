"""Logins modelled on well-known public sites (tests/sites/real), each driven as its users would set it
up: the right password logs in; a wrong one is submitted exactly once — unattended it ends
credentials_invalid with the site's own words, interactive the person is asked again."""

from __future__ import annotations

import pytest

from connections.engine import ErrorCode, Mode, Outcome, UserInput
from tests.connections.engine.scenarios import login_kwargs, needs_person_first, person_for, site_id
from tests.sites.real import SHAPES, scenarios

WRONG = "wrong-horse-battery"


def attempts(sandbox, scenario) -> list[bool]:
    return [a["ok"] for a in sandbox.login_attempts(scenario.password_host or scenario.host)]


def test_every_shape_is_covered_by_at_least_two_sites():
    for shape in SHAPES:
        sites = [s.host for s in scenarios() if shape in s.shapes]
        assert len(sites) >= 2, f"{shape}: {sites}"


@pytest.mark.parametrize("scenario", [s for s in scenarios() if not needs_person_first(s)], ids=site_id)
def test_a_wrong_stored_password_is_submitted_once_and_ends_credentials_invalid(login, sandbox, scenario):
    before = len(attempts(sandbox, scenario))
    values = {**scenario.values, "password": WRONG}
    result = login(scenario.host, person=person_for(scenario, login),
                   **login_kwargs(scenario, values=values, mode=Mode.UNATTENDED))
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.CREDENTIALS_INVALID, (
        f"{result.error_code}: {result.error_message} {result.steps}")
    assert attempts(sandbox, scenario)[before:] == [False], "the wrong password went to the site exactly once"


@pytest.mark.parametrize("scenario", scenarios(), ids=site_id)
def test_a_wrong_password_is_asked_for_again_and_the_right_one_logs_in(login, sandbox, scenario):
    from tests.sites import accounts

    before = len(attempts(sandbox, scenario))
    values = {**scenario.values, "password": WRONG}
    asked = []

    def right_password(pause):
        asked.append(pause)
        return UserInput(fields={"password": accounts.PASSWORD})

    person = person_for(scenario, login, password=[right_password])
    result = login(scenario.host, person=person, **login_kwargs(scenario, values=values))
    assert result.outcome == Outcome.SUCCESS, f"{result.error_code}: {result.error_message} {result.steps}"
    (pause,) = asked
    assert [(f.ref, f.reason) for f in pause.fields] == [("password", "rejected")]
    assert attempts(sandbox, scenario)[before:] == [False, True], "wrong once, then right"


@pytest.mark.parametrize("scenario", [s for s in scenarios() if needs_person_first(s)], ids=site_id)
def test_an_sso_only_page_without_a_stored_provider_needs_a_person_and_types_nothing_unattended(login, sandbox, scenario):
    before = len(attempts(sandbox, scenario))
    result = login(scenario.host, **login_kwargs(scenario, mode=Mode.UNATTENDED))
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.UNSUPPORTED_AUTH_METHOD
    assert "signs in only with another provider" in result.error_message and "Sign in with SSO" in result.error_message
    assert attempts(sandbox, scenario)[before:] == [] and result.typed_hosts == {}
