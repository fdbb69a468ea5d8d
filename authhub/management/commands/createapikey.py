from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from authhub import services
from authhub.models import Organization


class Command(BaseCommand):
    help = "Create an API key for a project (created when missing). The key is the last line printed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--project", default=services.DEFAULT_PROJECT, help="project name (default: default)")
        parser.add_argument("--org", default=services.DEFAULT_ORGANIZATION, help="organization name (created when missing)")
        parser.add_argument("--org-wide", action="store_true", help="a key for every project of the organization")
        parser.add_argument("--name", default="", help="a label to recognise the key by")

    def handle(self, *args: Any, project: str, org: str, org_wide: bool, name: str, **options: Any) -> None:
        if not project.strip() or not org.strip():
            raise CommandError("--project and --org must not be empty")
        organization = Organization.objects.filter(name=org).first()
        if organization is None:
            organization = services.organization_create(name=org)
            self.stderr.write(f"Created organization {org!r} ({organization.pk})")
        target = None
        if not org_wide:
            target, created = services.project_get_or_create(organization=organization, name=project)
            if created:
                self.stderr.write(f"Created project {project!r} ({target.pk})")
        api_key, key = services.apikey_create(organization=organization, project=target, name=name)
        scope = f"project {target.name!r} ({target.pk})" if target else f"every project of {org!r}"
        self.stderr.write(f"API key {api_key.pk} for {scope}. It is shown only this once:")
        self.stdout.write(key)
