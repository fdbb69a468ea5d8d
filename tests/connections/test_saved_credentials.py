"""save_credentials keeps each typed value with the site it was typed on (issue 7, section 1).

An SSO login through the sandbox: the app (sso-app.localhost) sends the browser to its identity
provider (idp.localhost), where a person types the password through submit. The password is saved to
a credential for the IdP host — the only place a later re-auth may type it — and never to the app's.
"""

from __future__ import annotations

import pytest

from connections.models import AuthConnection
from credentials.models import Credential
from tests.connections.flow_helpers import PASSWORD, wait_until_finished
from tests.sites import accounts
from tests.sites.sso import APP_HOST, IDP_HOST
from tests.support.servers import wait_until

pytestmark = [pytest.mark.usefixtures("live_db", "runner"), pytest.mark.slow]

ANSWERS = {"email": accounts.EMAIL, "username": accounts.EMAIL, "password": PASSWORD}


def answer_every_pause(client, connection_id: str) -> list[tuple[str, ...]]:  # noqa: ANN001
    """Answer what the login asks, as a person would, until it ends; returns the refs each pause asked."""
    asked: list[tuple[str, ...]] = []
    answered: set[str] = set()

    def step() -> bool:
        state = client.auth.connections.retrieve(connection_id)
        if state.flow_status != "IN_PROGRESS":
            return True
        if state.flow_step == "AWAITING_INPUT" and state.interaction_id not in answered:
            answered.add(state.interaction_id)
            asked.append(tuple(f.ref for f in state.fields))
            client.auth.connections.submit(connection_id, interaction_id=state.interaction_id,
                                           field_values={f.id: ANSWERS[f.ref] for f in state.fields})
        return False

    wait_until(step, 90, interval=0.1, what="the login to end")
    return asked


def test_a_password_typed_on_the_identity_provider_is_saved_for_that_host_and_never_for_the_app(
    client, sandbox, tenant  # noqa: ANN001
):
    client.credentials.create(name="app", domain=APP_HOST, values={"email": accounts.EMAIL}, sso_provider="google")
    connection = client.auth.connections.create(
        domain=APP_HOST, profile_name="p", credential={"name": "app"}, allowed_domains=[IDP_HOST],
        login_url=sandbox.url(APP_HOST, "/login"),
    )
    client.auth.connections.login(connection.id)
    asked = answer_every_pause(client, connection.id)
    done = wait_until_finished(client, connection.id)
    assert done.flow_status == "SUCCESS", done.error_message
    assert any("password" in refs for refs in asked), f"the person typed the password ({asked})"

    app = Credential.objects.get(project=tenant.project, name="app")
    assert "password" not in app.values, "the app's credential got the identity provider's password"
    idp = Credential.objects.get(project=tenant.project, domain=IDP_HOST)
    assert idp.values["password"] == PASSWORD and idp.name == f"{IDP_HOST} (p)"
    assert idp.sso_provider == "google", "the replacement keeps the SSO button the login goes through"
    # The app's credential covered none of the sites typed on, so the IdP's now serves the connection.
    assert AuthConnection.objects.get(pk=connection.id).credential_id == idp.pk
    assert Credential.objects.filter(project=tenant.project).count() == 2

    # And it is usable under the same rule: a fresh login (both sites signed out) needs nobody.
    sandbox.expire_sessions(APP_HOST)
    sandbox.expire_sessions(IDP_HOST)
    client.auth.connections.login(connection.id)
    assert answer_every_pause(client, connection.id) == []
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
