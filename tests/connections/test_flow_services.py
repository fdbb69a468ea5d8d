"""Flow services on their own: the rules the runner and the API meet at, without a browser."""

from __future__ import annotations

import pytest

from authhub import services as tenancy
from authhub.errors import AppError
from connections import flows, managed_auth
from connections.engine.types import DiscoveredField, Field, Pause
from connections.models import AuthConnection, FlowInput, LoginFlow
from credentials import services as credential_services
from credentials.models import Credential


@pytest.fixture
def waiting_flow(db):
    project = tenancy.organization_create(name="flow-services").default_project()
    connection = managed_auth.connection_create(project=project, domain="example.com", profile_name="p")
    flow, _ = flows.flow_start(connection=connection)
    pause = Pause("int_1", fields=[Field("fld_password", "password", "password", "missing")],
                  discovered_fields=[DiscoveredField("password", "Password", "password", "#p")])
    assert flows.flow_record_step(flow_id=flow.pk, step=LoginFlow.Step.AWAITING_INPUT, pause=pause)
    return connection, flow


def test_a_pause_takes_one_answer_even_after_the_runner_took_the_first(waiting_flow):
    connection, flow = waiting_flow
    flows.flow_submit(connection=connection, data={"interaction_id": "int_1", "field_values": {"fld_password": "one"}})
    taken = flows.flow_take_input(flow_id=flow.pk, interaction_id="int_1")
    assert taken == {"fields": {"fld_password": "one"}, "choice": None, "sso_button_selector": None}
    assert not FlowInput.objects.filter(flow=flow).exists(), "taken input is deleted"
    with pytest.raises(AppError) as info:
        flows.flow_submit(connection=connection, data={"interaction_id": "int_1", "field_values": {"fld_password": "two"}})
    assert info.value.code == "stale_interaction"


def test_a_second_answer_before_the_runner_takes_the_first_is_a_conflict(waiting_flow):
    connection, _ = waiting_flow
    flows.flow_submit(connection=connection, data={"fields": {"password": "one"}})
    with pytest.raises(AppError) as info:
        flows.flow_submit(connection=connection, data={"fields": {"password": "two"}})
    assert (info.value.code, info.value.status) == ("already_answered", 409)


def test_an_expired_or_dead_flow_is_swept(waiting_flow, settings):
    from datetime import timedelta

    from django.utils import timezone

    _, flow = waiting_flow
    LoginFlow.objects.filter(pk=flow.pk).update(runner_id="gone:1", heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert flows.flows_expire_stale() == 1
    flow.refresh_from_db()
    assert flow.status == "EXPIRED" and "stopped" in flow.error_message
    assert flows.flows_expire_stale() == 0, "idempotent"


# --- deletes and cancels -----------------------------------------------------------------------------


def test_a_flow_deleted_with_its_profile_is_finished_by_nobody_and_nothing_raises(waiting_flow):
    connection, flow = waiting_flow
    connection.profile.delete()  # the cascade takes the connection and its flows
    assert flows.flow_finish(flow_id=flow.pk, outcome=LoginFlow.Status.FAILED, error_code="browser_error") is False
    assert flows.flow_finish(flow_id=flow.pk, outcome=LoginFlow.Status.SUCCESS, state_after={"cookies": [], "origins": []},
                             typed_values={"password": "p"}, typed_hosts={"password": "example.com"}) is False
    assert flows.flow_record_step(flow_id=flow.pk, step=LoginFlow.Step.SUBMITTING) is False
    assert flows.flow_take_input(flow_id=flow.pk, interaction_id="int_1") is None
    assert not Credential.objects.filter(project=connection.project).exists(), "nothing was saved for it"


def test_flows_cancel_ends_the_running_flows_of_those_connections_only(waiting_flow):
    connection, flow = waiting_flow
    other = managed_auth.connection_create(project=connection.project, domain="example.org", profile_name="p")
    other_flow, _ = flows.flow_start(connection=other)
    flows.flow_submit(connection=connection, data={"fields": {"password": "typed"}})

    assert flows.flows_cancel(connection_ids=[connection.pk], reason="Canceled: the connection was deleted.") == 1
    flow.refresh_from_db()
    assert (flow.status, flow.step, flow.error_message) == ("CANCELED", "COMPLETED", "Canceled: the connection was deleted.")
    assert not FlowInput.objects.filter(flow=flow).exists(), "a pending answer goes with the flow"
    assert LoginFlow.objects.get(pk=other_flow.pk).status == "IN_PROGRESS"
    assert flows.flows_cancel(connection_ids=[connection.pk], reason="again") == 0, "idempotent"


def test_deleting_the_linked_credential_cancels_the_login_and_says_why(waiting_flow):
    connection, flow = waiting_flow
    credential = credential_services.credential_create(project=connection.project, actor="test", name="c",
                                                       domain="example.com", values={"password": "p"})
    AuthConnection.objects.filter(pk=connection.pk).update(credential=credential)
    credential_services.credential_delete(credential=credential, actor="test")
    flow.refresh_from_db()
    assert flow.status == "CANCELED" and flow.error_message == "Canceled: the connection's credential was deleted."
    assert AuthConnection.objects.get(pk=connection.pk).credential_id is None


# --- save_credentials: each value to a credential for the site it was typed on -------------------------


def finish_typed(flow: LoginFlow, typed: dict[str, str], hosts: dict[str, str]) -> AuthConnection:
    assert flows.flow_finish(flow_id=flow.pk, outcome=LoginFlow.Status.SUCCESS, typed_values=typed, typed_hosts=hosts)
    return AuthConnection.objects.select_related("credential").get(pk=flow.connection_id)


def link(connection: AuthConnection, domain: str, values: dict[str, str]) -> Credential:
    credential = credential_services.credential_create(project=connection.project, actor="test", name="linked",
                                                       domain=domain, values=values)
    AuthConnection.objects.filter(pk=connection.pk).update(credential=credential)
    return credential


def test_secrets_typed_on_two_sites_go_to_two_credentials_and_identifiers_to_both(waiting_flow):
    connection, flow = waiting_flow
    linked = link(connection, "example.com", {"username": "old"})
    after = finish_typed(flow, {"username": "alice", "password": "site-pw", "pin": "idp-pin"},
                         {"username": "example.com", "password": "login.example.com", "pin": "idp.example.net"})
    linked.refresh_from_db()
    assert linked.values == {"username": "alice", "password": "site-pw"}, "a subdomain is covered by its domain"
    idp = Credential.objects.get(project=connection.project, domain="idp.example.net")
    assert idp.values == {"username": "alice", "pin": "idp-pin"} and idp.name == "idp.example.net (p)"
    assert after.credential_id == linked.pk, "the linked credential covered a site typed on: it stays linked"


def test_without_a_covering_link_the_credential_of_the_password_site_is_linked(waiting_flow):
    connection, flow = waiting_flow
    after = finish_typed(flow, {"email": "a@example.com", "password": "pw"},
                         {"email": "example.com", "password": "idp.example.net"})
    assert after.credential.domain == "idp.example.net"
    assert after.credential.values == {"email": "a@example.com", "password": "pw"}


def test_a_credential_named_like_ours_but_for_another_site_is_never_merged_into(waiting_flow):
    connection, flow = waiting_flow
    theirs = credential_services.credential_create(project=connection.project, actor="test", name="idp.example.net (p)",
                                                   domain="example.org", values={"password": "theirs"})
    link(connection, "example.com", {"username": "alice"})
    finish_typed(flow, {"password": "pw"}, {"password": "idp.example.net"})
    theirs.refresh_from_db()
    assert theirs.values == {"password": "theirs"}
    saved = Credential.objects.get(project=connection.project, domain="idp.example.net")
    assert saved.name == "idp.example.net (p) 2" and saved.values == {"password": "pw"}


def test_a_secret_typed_on_an_unreported_host_is_not_saved_but_identifiers_are(waiting_flow):
    connection, flow = waiting_flow
    linked = link(connection, "example.com", {})
    finish_typed(flow, {"username": "alice", "password": "pw"}, {"username": "example.com"})
    linked.refresh_from_db()
    assert linked.values == {"username": "alice"}
    assert Credential.objects.filter(project=connection.project).count() == 1
