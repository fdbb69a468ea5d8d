"""Secrets are encrypted at rest, bound to their organization, record and field."""

from __future__ import annotations

import subprocess

import pytest
from django.conf import settings
from django.db import connection
from kernel import InternalServerError

from connections.models import Proxy
from credentials.crypto import DecryptionError, Keyring, MasterKey, ciphertext_key_id
from credentials.models import Credential, OrganizationKeyset

pytestmark = pytest.mark.usefixtures("live_db")


def database_bytes() -> bytes:
    """The database file, its WAL and shared memory, read by another process: closing a file descriptor
    of an open SQLite database in this process would drop SQLite's POSIX locks on it."""
    paths = sorted(str(path) for path in settings.AUTHHUB.data_dir.glob("authhub.sqlite3*"))
    return subprocess.run(["cat", *paths], capture_output=True, check=True).stdout


def reload(credential: Credential) -> Credential:
    return Credential.objects.get(pk=credential.pk)


def test_no_plaintext_secret_reaches_the_database_file(client):
    client.credentials.create(
        name="grep-me", domain="example.com",
        values={"username": "grep-user-7f3a9", "password": "grep-password-c41d2"},
        totp_secret="GREPTOTPSECRETQWERTYZXCV",
    )
    client.proxies.create(
        type="custom", name="grep-proxy",
        config={"host": "proxy.example.net", "port": 3128, "username": "pu", "password": "grep-proxy-pass-91b"},
    )
    raw = database_bytes()
    for secret in ("grep-user-7f3a9", "grep-password-c41d2", "GREPTOTPSECRETQWERTYZXCV", "grep-proxy-pass-91b"):
        assert secret.encode() not in raw
    assert b"grep-me" in raw, "sanity: the grep does see what is stored in the clear"


def test_each_organization_has_its_own_key(make_tenant):
    first, second = make_tenant(), make_tenant()
    a = first.client().credentials.create(name="a", domain="example.com", values={"password": "same-secret"})
    b = second.client().credentials.create(name="b", domain="example.com", values={"password": "same-secret"})
    key_a = ciphertext_key_id(Credential._meta.get_field("values").ciphertext(reload_any(a.id)))
    key_b = ciphertext_key_id(Credential._meta.get_field("values").ciphertext(reload_any(b.id)))
    assert key_a != key_b
    assert OrganizationKeyset.objects.get(pk=first.organization.pk).wrapped_keyset != (
        OrganizationKeyset.objects.get(pk=second.organization.pk).wrapped_keyset
    )


def reload_any(pk: str) -> Credential:
    return Credential.objects.get(pk=pk)


def _copy_ciphertext(column: str, source: str, target: str) -> None:
    column = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE credentials_credential SET {column} = (SELECT {column} FROM credentials_credential WHERE id = %s) "
            "WHERE id = %s",
            [source, target],
        )


def test_a_ciphertext_copied_to_another_record_does_not_decrypt(client):
    source = client.credentials.create(name="source", domain="example.com", values={"password": "copied-1"})
    target = client.credentials.create(name="target", domain="example.com", values={"password": "original-2"})
    _copy_ciphertext("values", source.id, target.id)
    with pytest.raises(DecryptionError):
        reload_any(target.id).values  # noqa: B018


def test_a_ciphertext_copied_to_another_tenant_does_not_decrypt(make_tenant):
    mine, theirs = make_tenant().client(), make_tenant().client()
    source = mine.credentials.create(name="s", domain="example.com", values={}, totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    target = theirs.credentials.create(name="t", domain="example.com", values={}, totp_secret="KRSXG5CTMVRXEZLUKRSXG5CT")
    _copy_ciphertext("totp_secret", source.id, target.id)
    with pytest.raises(DecryptionError):
        reload_any(target.id).totp_secret  # noqa: B018
    # Through the API the tampered record is a JSON 500 that reveals nothing.
    with pytest.raises(InternalServerError) as info:
        theirs.with_options(max_retries=0).credentials.totp_code("t")
    assert info.value.body == {"code": "internal_error", "message": "Internal server error."}


def test_a_value_moved_to_another_field_does_not_decrypt(tenant, client):
    created = client.credentials.create(name="f", domain="example.com", values={}, totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    with connection.cursor() as cursor:
        cursor.execute('UPDATE credentials_credential SET "values" = totp_secret WHERE id = %s', [created.id])
    with pytest.raises(DecryptionError):
        reload_any(created.id).values  # noqa: B018


def test_proxy_passwords_are_encrypted_too(client):
    created = client.proxies.create(
        type="custom", config={"host": "p.example.net", "port": 8080, "username": "u", "password": "proxy-pass-5"}
    )
    proxy = Proxy.objects.get(pk=created.id)
    assert proxy.password == "proxy-pass-5"
    assert b"proxy-pass-5" not in Proxy._meta.get_field("password").ciphertext(proxy)


def test_a_fresh_process_with_only_the_master_key_file_reads_everything(client):
    created = client.credentials.create(name="fresh", domain="example.com", values={"password": "fresh-proc-1"})
    keyring = Keyring(MasterKey(settings.AUTHHUB.master_key_file, create=False))
    row = reload_any(created.id)
    field = Credential._meta.get_field("values")
    plaintext = keyring.decrypt(row.organization_id, field.ciphertext(row), field.associated_data(row))
    assert plaintext == b'{"password":"fresh-proc-1"}'
