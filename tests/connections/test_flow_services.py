"""Flow services on their own: the rules the runner and the API meet at, without a browser."""

from __future__ import annotations

import pytest

from authhub import services as tenancy
from authhub.errors import AppError
from connections import flows, managed_auth
from connections.models import FlowInput, LoginFlow


@pytest.fixture
def waiting_flow(db):
    project = tenancy.organization_create(name="flow-services").default_project()
    connection = managed_auth.connection_create(project=project, domain="example.com", profile_name="p")
    flow, _ = flows.flow_start(connection=connection)
    pause = {"interaction_id": "int_1", "fields": [{"id": "fld_password", "ref": "password", "type": "password",
                                                    "reason": "missing"}],
             "discovered_fields": [{"name": "password", "label": "Password", "type": "password", "selector": "#p"}]}
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
