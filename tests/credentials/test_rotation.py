"""``manage.py rotatekeys``: new keys without downtime, and no value lost."""

from __future__ import annotations

import json
import threading

import pytest
from django.conf import settings
from django.core.management import call_command

from connections.models import Proxy
from credentials.crypto import (
    DecryptionError,
    Keyring,
    MasterKey,
    ciphertext_key_id,
    wrapped_keyset_master_key_id,
)
from credentials.fields import encrypted_fields
from credentials.models import Credential, OrganizationKeyset

pytestmark = pytest.mark.usefixtures("live_db")


def seed(client, count: int = 5) -> dict[str, dict[str, str]]:
    expected = {}
    for i in range(count):
        values = {"username": f"user-{i}", "password": f"rotating-secret-{i}"}
        created = client.credentials.create(
            name=f"c{i}", domain="example.com", values=values, totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP"
        )
        expected[created.id] = values
    client.proxies.create(type="custom", name="px", config={"host": "h.example", "port": 1, "password": "proxy-secret"})
    return expected


def primary_key_id(organization_id: str) -> int:
    row = OrganizationKeyset.objects.get(pk=organization_id)
    return next(key_id for key_id, _, primary in row.key_summary() if primary)


def assert_all_under(organization_id: str, key_id: int) -> None:
    for model in (Credential, Proxy):
        for row in model._base_manager.filter(organization_id=organization_id):
            for field in encrypted_fields(model):
                ciphertext = field.ciphertext(row)
                if ciphertext is not None:
                    assert ciphertext_key_id(ciphertext) == key_id, f"{row.pk}.{field.name} still under an old key"


def test_rotation_reencrypts_every_secret_under_a_new_key_and_loses_nothing(tenant, client, capsys):
    expected = seed(client)
    old_primary = primary_key_id(tenant.organization.pk)

    call_command("rotatekeys", "--org", tenant.organization.pk, "--batch-size", "2")

    new_primary = primary_key_id(tenant.organization.pk)
    assert new_primary != old_primary
    statuses = {key_id: status for key_id, status, _ in OrganizationKeyset.objects.get(pk=tenant.organization.pk).key_summary()}
    assert statuses == {old_primary: "DISABLED", new_primary: "ENABLED"}, "old keys are kept, disabled"
    assert_all_under(tenant.organization.pk, new_primary)
    for pk, values in expected.items():
        assert Credential.objects.get(pk=pk).values == values
    assert Proxy.objects.get(project=tenant.project).password == "proxy-secret"
    # The running server, which cached the old keyset, still reads the re-encrypted secrets.
    assert len(client.credentials.totp_code("c0").code) == 6
    assert "re-encrypted 11 value(s)" in capsys.readouterr().out


def test_rotation_runs_while_the_service_keeps_writing(tenant, client):
    seed(client, 30)
    errors: list[Exception] = []
    written: dict[str, dict[str, str]] = {}
    stop = threading.Event()

    def keep_writing() -> None:
        i = 0
        while not stop.is_set():
            try:
                values = {"password": f"during-rotation-{i}"}
                created = client.credentials.create(name=f"live-{i}", domain="example.com", values=values)
                written[created.id] = values
                client.credentials.update(f"c{i % 30}", values={"extra": f"x{i}"})
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            i += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        for _ in range(2):
            call_command("rotatekeys", "--org", tenant.organization.pk, "--batch-size", "5", stdout=open("/dev/null", "w"))  # noqa: SIM115
    finally:
        stop.set()
        writer.join()

    assert not errors
    assert len(written) > 0
    primary = primary_key_id(tenant.organization.pk)
    assert_all_under(tenant.organization.pk, primary)
    for pk, values in written.items():
        assert Credential.objects.get(pk=pk).values == values


def test_destroying_disabled_keys_keeps_current_secrets_readable(tenant, client):
    expected = seed(client, 2)
    call_command("rotatekeys", "--org", tenant.organization.pk, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("rotatekeys", "--destroy-disabled", "--yes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    statuses = sorted(status for _, status, _ in OrganizationKeyset.objects.get(pk=tenant.organization.pk).key_summary())
    assert statuses == ["DESTROYED", "ENABLED"]
    for pk, values in expected.items():
        assert Credential.objects.get(pk=pk).values == values


def test_master_key_rotation_rewraps_every_keyset_and_loses_nothing(tenant, client):
    expected = seed(client, 2)
    path = settings.AUTHHUB.master_key_file
    wrapped_before = OrganizationKeyset.objects.get(pk=tenant.organization.pk).wrapped_keyset

    call_command("rotatekeys", "--master", stdout=open("/dev/null", "w"))  # noqa: SIM115

    master = json.loads(path.read_text())
    primary = master["primaryKeyId"]
    assert sorted(key["status"] for key in master["key"]) == ["DISABLED", "ENABLED"] or len(master["key"]) > 2
    assert all(
        wrapped_keyset_master_key_id(row.wrapped_keyset) == primary for row in OrganizationKeyset.objects.all()
    )
    fresh = Keyring(MasterKey(path, create=False))
    field = Credential._meta.get_field("values")
    for pk, values in expected.items():
        row = Credential.objects.get(pk=pk)
        assert json.loads(fresh.decrypt(row.organization_id, field.ciphertext(row), field.associated_data(row))) == values

    # A backup from before the rotation needs the old master key: disabled, but kept and re-enabled on demand.
    with pytest.raises(DecryptionError):
        fresh.unwrap(tenant.organization.pk, wrapped_before)
    call_command("rotatekeys", "--enable-master-keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Keyring(MasterKey(path, create=False)).unwrap(tenant.organization.pk, wrapped_before)

    # The server, which loaded the master key before all this, still serves and creates tenants' data.
    assert client.credentials.create(name="after-master", domain="example.com", values={"p": "after-1"}).has_values
    assert len(client.credentials.totp_code("c0").code) == 6
