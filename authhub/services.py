"""Tenancy workflows: organizations, projects and API keys."""

from __future__ import annotations

import logging

from django.db import transaction

from authhub.models import ApiKey, Organization, Project

logger = logging.getLogger(__name__)

DEFAULT_ORGANIZATION = "default"
DEFAULT_PROJECT = "default"


@transaction.atomic
def organization_create(*, name: str, default_project: str = DEFAULT_PROJECT) -> Organization:
    organization = Organization.objects.create(name=name)
    Project.objects.create(organization=organization, name=default_project, is_default=True)
    logger.info("organization %s (%s) created", organization.pk, name)
    return organization


@transaction.atomic
def project_get_or_create(*, organization: Organization, name: str) -> tuple[Project, bool]:
    project, created = Project.objects.get_or_create(organization=organization, name=name)
    if created:
        logger.info("project %s (%s) created in %s", project.pk, name, organization.name)
    return project, created


@transaction.atomic
def apikey_create(*, organization: Organization, project: Project | None = None, name: str = "") -> tuple[ApiKey, str]:
    """A new key; the plaintext is returned once and only its hash is stored."""
    if project is not None and project.organization_id != organization.pk:
        raise ValueError("the project belongs to another organization")
    key = ApiKey.generate()
    api_key = ApiKey(organization=organization, project=project, name=name)
    api_key.set_key(key)
    api_key.save()
    logger.info("API key %s (%s…) created for %s", api_key.pk, api_key.prefix, project or organization)
    return api_key, key


@transaction.atomic
def default_organization() -> Organization:
    organization = Organization.objects.filter(name=DEFAULT_ORGANIZATION).first()
    return organization or organization_create(name=DEFAULT_ORGANIZATION)


@transaction.atomic
def bootstrap() -> str | None:
    """The first start: a default organization and project and, when no key exists yet, a first key."""
    organization = default_organization()
    if ApiKey.objects.exists():
        return None
    project = organization.default_project()
    _, key = apikey_create(organization=organization, project=project, name="first key")
    return key


# Periodic jobs django-q2 runs. Its scheduler wakes about every 30 s, so jobs sweep and claim by column.
SCHEDULES = {
    "authhub.expire-stale-flows": ("connections.flows.flows_expire_stale", 1),
}


def schedules_install() -> None:
    from django_q.models import Schedule

    for name, (func, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1}
        )
