"""Data stored before the domain rules existed is reported, not silently trusted."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from authhub import services
from connections.models import AuthConnection, Profile
from credentials.models import Credential

pytestmark = pytest.mark.django_db


def test_old_links_and_broad_domains_are_listed_and_the_command_fails():
    project = services.organization_create(name="legacy").default_project()
    bank = Credential.objects.create(organization_id=project.organization_id, project=project, name="bank", domain="bank.localhost")
    broad = Credential.objects.create(organization_id=project.organization_id, project=project, name="io", domain="github.io")
    profile = Profile.objects.create(project=project, organization_id=project.organization_id, name="old")
    mislinked = AuthConnection.objects.create(organization_id=project.organization_id, project=project, profile=profile,
                                              domain="collector.localhost", credential=bank)
    fine = AuthConnection.objects.create(organization_id=project.organization_id, project=project, profile=profile,
                                         domain="bank.localhost", credential=bank)
    out = io.StringIO()
    with pytest.raises(CommandError, match="object"):
        call_command("checkdomains", stdout=out)
    ours = {bank.pk, broad.pk, mislinked.pk, fine.pk}
    lines = [line for line in out.getvalue().splitlines() if line.split("\t")[0] in ours]
    assert [line.split("\t")[:2] for line in lines] == [[broad.pk, "domain_too_broad"], [mislinked.pk, "credential_domain_mismatch"]]
    assert fine.pk not in out.getvalue()
