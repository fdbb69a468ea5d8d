"""Deletes that take away what a running login uses cancel it at once.

A connection's flows are deleted with it — and with its profile, project or organization, whose
cascades never pass through a service — and deleting its credential unlinks it (SET_NULL) while the
runner still holds the credential's values. These receivers mark every in-progress flow affected
CANCELED, in the deleting transaction, with a message saying why; the runner notices within its status
poll (a vanished row counts as ended too) and closes the browser before anything more is typed.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from connections import flows
from connections.models import AuthConnection
from credentials.models import Credential


@receiver(pre_delete, sender=AuthConnection, dispatch_uid="connections.cancel_flows_of_deleted_connection")
def cancel_flows_of_deleted_connection(sender: type[AuthConnection], instance: AuthConnection, **kwargs: Any) -> None:
    # Sent for every connection a cascade deletes too (profile, project, organization): Django sends
    # pre_delete for each collected object of a model that has receivers.
    flows.flows_cancel(connection_ids=[instance.pk], reason="Canceled: the connection was deleted.")


@receiver(pre_delete, sender=Credential, dispatch_uid="connections.cancel_flows_of_deleted_credential")
def cancel_flows_of_deleted_credential(sender: type[Credential], instance: Credential, **kwargs: Any) -> None:
    # The connections survive (credential SET_NULL), so the CANCELED rows and their message stay visible.
    connection_ids = list(AuthConnection.objects.filter(credential_id=instance.pk).values_list("pk", flat=True))
    if connection_ids:
        flows.flows_cancel(connection_ids=connection_ids, reason="Canceled: the connection's credential was deleted.")
