"""Every create, update, delete and use of a credential is in an append-only audit trail."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from credentials.models import CredentialAuditEvent

pytestmark = pytest.mark.usefixtures("live_db")


def test_every_operation_is_audited_with_who_and_what_but_never_a_value(tenant, client):
    created = client.credentials.create(name="audited", domain="example.com", values={"password": "audit-secret-1"})
    client.credentials.update("audited", values={"password": "audit-secret-2"}, totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    client.credentials.totp_code("audited")
    client.credentials.delete("audited")

    events = list(CredentialAuditEvent.objects.filter(credential_id=created.id).order_by("id"))
    assert [e.action for e in events] == ["created", "updated", "totp_code_read", "deleted"]
    assert {e.actor for e in events} == {f"api_key:{tenant.api_key.pk}"}
    assert events[1].detail == {"changed": ["values.password", "totp_secret"]}
    dumped = json.dumps([e.detail for e in events])
    assert "audit-secret" not in dumped and "JBSWY3DP" not in dumped


def test_the_trail_survives_the_credential_and_refuses_changes(client):
    created = client.credentials.create(name="kept", domain="example.com", values={})
    client.credentials.delete("kept")
    event = CredentialAuditEvent.objects.filter(credential_id=created.id).first()
    assert event is not None

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    for statement in (
        "UPDATE credentials_credentialauditevent SET actor = 'someone else' WHERE id = %s",
        "DELETE FROM credentials_credentialauditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert CredentialAuditEvent.objects.get(pk=event.pk).actor == event.actor
