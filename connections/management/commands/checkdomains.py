"""Report stored data that breaks the trust-boundary rules (domains too broad, credentials linked to
connections that can never use them), written before those rules existed.

Nothing is changed: a flow that meets such a connection fails with the same code instead of typing,
and the operator (or the owner, through the API) fixes the link or the domains.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from connections.domains import connection_problem
from connections.engine.hosts import too_broad
from connections.models import AuthConnection
from credentials.models import Credential


def trust_problems() -> list[tuple[str, str, str]]:
    """(object id, code, message) for every connection and credential that breaks the rules."""
    problems = []
    for credential in Credential.objects.only("id", "domain").iterator():
        if broad := too_broad(credential.domain):
            problems.append((credential.pk, "domain_too_broad", f"credential domain: {broad}"))
    connections = AuthConnection.objects.select_related("credential").only(
        "id", "domain", "allowed_domains", "credential__domain"
    )
    for connection in connections.iterator():
        problem = connection_problem(
            domain=connection.domain, allowed_domains=list(connection.allowed_domains),
            credential_domain=connection.credential.domain if connection.credential else None,
        )
        if problem is not None:
            problems.append((connection.pk, *problem))
    return problems


class Command(BaseCommand):
    help = "List connections and credentials that break AuthHub's domain rules (exit status 1 when any do)."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = trust_problems()
        for object_id, code, message in problems:
            self.stdout.write(f"{object_id}\t{code}\t{message}")
        if problems:
            raise CommandError(f"{len(problems)} object(s) break the domain rules; their logins fail until fixed.")
        self.stdout.write("No connection or credential breaks the domain rules.")
