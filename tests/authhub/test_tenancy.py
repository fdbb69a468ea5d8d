"""API keys, projects and tenant isolation, through the kernel SDK."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from kernel import AuthenticationError, Kernel, NotFoundError

from authhub import services
from authhub.models import ApiKey

pytestmark = pytest.mark.usefixtures("live_db")


def test_a_key_of_another_project_sees_nothing_not_even_existence(make_tenant):
    mine, theirs = make_tenant().client(), make_tenant().client()
    credential = mine.credentials.create(name="private", domain="example.com", values={"password": "mine-only"})
    proxy = mine.proxies.create(type="custom", name="private-proxy", config={"host": "h.example", "port": 3128})
    profile = mine.profiles.create(name="private-profile")

    for call in (
        lambda: theirs.credentials.retrieve(credential.id),
        lambda: theirs.credentials.retrieve("private"),
        lambda: theirs.credentials.update(credential.id, name="stolen"),
        lambda: theirs.credentials.delete(credential.id),
        lambda: theirs.credentials.totp_code(credential.id),
        lambda: theirs.proxies.retrieve(proxy.id),
        lambda: theirs.proxies.check(proxy.id),
        lambda: theirs.proxies.delete("private-proxy"),
        lambda: theirs.profiles.retrieve(profile.id),
        lambda: theirs.profiles.delete("private-profile"),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert list(theirs.credentials.list(query=credential.id)) == []
    assert list(theirs.proxies.list()) == []
    assert list(theirs.profiles.list()) == []
    assert mine.credentials.retrieve(credential.id).name == "private"


def test_projects_of_one_organization_are_isolated_from_each_other(make_tenant):
    tenant = make_tenant()
    other, _ = services.project_get_or_create(organization=tenant.organization, name="other")
    _, other_key = services.apikey_create(organization=tenant.organization, project=other)
    tenant.client().credentials.create(name="in-default", domain="example.com", values={})
    assert list(Kernel(api_key=other_key, base_url=tenant.base_url).credentials.list()) == []


def test_an_org_wide_key_picks_a_project_by_id_or_by_name(make_tenant):
    tenant = make_tenant(org_wide=True)
    staging, _ = services.project_get_or_create(organization=tenant.organization, name="staging")
    tenant.client(project_id=staging.pk).credentials.create(name="by-id", domain="example.com", values={})
    tenant.client(project="staging").credentials.create(name="by-name", domain="example.com", values={})
    tenant.client().credentials.create(name="default", domain="example.com", values={})

    assert [c.name for c in tenant.client(project="staging").credentials.list()] == ["by-id", "by-name"]
    assert [c.name for c in tenant.client().credentials.list()] == ["default"]


def test_an_unknown_project_is_an_error_never_the_default_project(make_tenant):
    tenant = make_tenant(org_wide=True)
    for client in (tenant.client(project_id="proj_doesnotexist"), tenant.client(project="nope")):
        with pytest.raises(NotFoundError) as info:
            client.credentials.list()
        assert info.value.body["code"] == "project_not_found"


def test_a_project_key_cannot_switch_to_another_project_by_header(make_tenant):
    tenant = make_tenant()
    other, _ = services.project_get_or_create(organization=tenant.organization, name="other")
    with pytest.raises(NotFoundError):
        tenant.client(project_id=other.pk).credentials.list()
    assert list(tenant.client(project_id=tenant.project.pk).credentials.list()) == []


def test_a_project_of_another_organization_cannot_be_picked(make_tenant):
    mine, theirs = make_tenant(org_wide=True), make_tenant()
    with pytest.raises(NotFoundError):
        mine.client(project_id=theirs.project.pk).credentials.list()


def test_missing_invalid_and_revoked_keys_are_rejected(tenant, server):
    with pytest.raises(AuthenticationError):
        Kernel(api_key="ah_not-a-real-key", base_url=server.url).credentials.list()
    ApiKey.objects.filter(pk=tenant.api_key.pk).update(revoked_at=timezone.now())
    with pytest.raises(AuthenticationError) as info:
        tenant.client().credentials.list()
    assert info.value.body == {"code": "unauthorized", "message": "Invalid or revoked API key."}


def test_keys_are_stored_hashed_and_shown_by_prefix_only(tenant):
    stored = ApiKey.objects.get(pk=tenant.api_key.pk)
    assert tenant.key not in (stored.key_hash, stored.prefix, str(stored))
    assert tenant.key.startswith(stored.prefix)
    assert stored.matches(tenant.key)


def test_key_use_is_recorded_at_most_once_a_minute(tenant, client):
    client.credentials.list()
    first = ApiKey.objects.get(pk=tenant.api_key.pk).last_used_at
    client.credentials.list()
    assert first is not None
    assert ApiKey.objects.get(pk=tenant.api_key.pk).last_used_at == first


def test_createapikey_creates_the_project_and_prints_the_key_last(server, capsys):
    call_command("createapikey", "--project", "cli-made", "--org", "cli-org")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    client = Kernel(api_key=key, base_url=server.url)
    created = client.credentials.create(name="from-cli", domain="example.com", values={})
    assert ApiKey.objects.get(key_hash__isnull=False, prefix=key[:10]).project.name == "cli-made"
    assert created.name == "from-cli"
