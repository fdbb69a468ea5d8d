"""The admin console shows every model and never a secret."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse

from authhub import services as tenancy
from authhub.models import ApiKey, Organization
from connections import services as connection_services
from credentials import services as credential_services

SECRETS = ("admin-visible-password-1", "ADMINTOTPSECRETABCDEFGHI", "admin-proxy-pass")


@pytest.fixture
def seeded(db):
    organization = tenancy.organization_create(name="admin-org")
    project = organization.default_project()
    credential = credential_services.credential_create(
        project=project, actor="user:admin", name="admin-cred", domain="example.com",
        values={"username": "admin-user", "password": SECRETS[0]}, totp_secret=SECRETS[1],
    )
    proxy = connection_services.proxy_create(
        project=project, type="custom", name="admin-proxy",
        config={"host": "p.example", "port": 8080, "username": "u", "password": SECRETS[2]},
    )
    api_key, key = tenancy.apikey_create(organization=organization, project=project, name="admin-key")
    # Prefixed ids put "_" before random characters; "_26" is the admin's escape for "&", so a link built
    # without admin quoting opens the wrong object. One such id makes that deterministic, not 1-in-20.
    Organization.objects.create(id="org_26escapedlooking", name="admin-org-escaped")
    return {"credential": credential, "proxy": proxy, "api_key": api_key, "key": key, "organization": organization}


def test_every_admin_page_renders_and_shows_no_secret(admin_client, seeded):
    pages = 0
    for model, _ in admin.site._registry.items():
        opts = model._meta
        changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        objects = list(model._default_manager.all()[:3])
        if model._meta.label == "authhub.Organization":
            objects = list(model._default_manager.all())
        responses = [changelist] + [
            admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]))
            for obj in objects
        ]
        for response in responses:
            assert response.status_code == 200, opts.label
            body = response.content.decode()
            for secret in (*SECRETS, seeded["key"]):
                assert secret not in body, f"{secret} shown on {opts.label}"
            pages += 1
    assert pages >= 14


def test_the_audit_trail_is_visible_and_read_only_in_the_admin(admin_client, seeded):
    url = reverse("admin:credentials_credentialauditevent_changelist")
    body = admin_client.get(url).content.decode()
    assert "admin-cred" in body and "user:admin" in body
    assert admin_client.get(reverse("admin:credentials_credentialauditevent_add")).status_code == 403


def test_adding_an_api_key_in_the_admin_shows_it_once(admin_client, seeded):
    response = admin_client.post(
        reverse("admin:authhub_apikey_add"),
        {"name": "from-admin", "organization": seeded["organization"].pk, "project": ""},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    shown = next(m for m in messages if "New API key" in m)
    key = shown.rsplit(" ", 1)[-1]
    stored = ApiKey.objects.get(name="from-admin")
    assert stored.matches(key) and stored.project is None


def test_the_admin_starts_a_login_showing_the_hosted_link_and_cancels_it(admin_client, seeded):
    from connections import managed_auth
    from connections.models import LoginFlow

    project = seeded["organization"].default_project()
    connection = managed_auth.connection_create(project=project, domain="admin.example", profile_name="admin-profile")
    url = reverse("admin:connections_authconnection_changelist")
    started = admin_client.post(url, {"action": "start_login", "_selected_action": [connection.pk]}, follow=True)
    shown = " ".join(str(m) for m in started.context["messages"])
    assert f"/login/{connection.pk}?code=" in shown
    assert LoginFlow.objects.get(connection=connection).status == "IN_PROGRESS"
    page = admin_client.get(url).content.decode()
    assert "IN_PROGRESS" in page and "DISCOVERING" in page
    admin_client.post(url, {"action": "cancel_flow", "_selected_action": [connection.pk]}, follow=True)
    assert LoginFlow.objects.get(connection=connection).status == "CANCELED"
