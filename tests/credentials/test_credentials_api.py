"""The credentials vault through the official kernel SDK, against a live server."""

from __future__ import annotations

import json

import pytest
from kernel import BadRequestError, ConflictError, NotFoundError

from credentials import totp
from credentials.models import Credential

pytestmark = pytest.mark.usefixtures("live_db")

SECRET = "TOTPSECRETBASE32ABCDEFGH"


def test_it_creates_a_credential_and_never_returns_its_values(client):
    created = client.credentials.create(
        name="github-main", domain="GitHub.com", values={"username": "octo", "password": "pw-never-returned-1"}
    )
    assert created.id.startswith("cred_")
    assert created.domain == "github.com"
    assert created.has_values is True
    assert created.value_keys == ["password", "username"]
    assert created.has_totp_secret is False
    assert "pw-never-returned-1" not in created.to_json()
    assert "values" not in created.to_dict()


def test_it_retrieves_by_id_and_by_name(client):
    created = client.credentials.create(name="by name", domain="example.com", values={"email": "a@b.c"})
    assert client.credentials.retrieve(created.id).name == "by name"
    assert client.credentials.retrieve("by name").id == created.id


def test_it_merges_values_removes_keys_and_renames_on_update(client, tenant):
    client.credentials.create(name="merge", domain="example.com", values={"username": "u", "password": "old-pass-1"})
    updated = client.credentials.update(
        "merge", name="merged", values={"password": "new-pass-2", "company_id": "42"}, remove_value_keys=["username"]
    )
    assert updated.name == "merged"
    assert updated.value_keys == ["company_id", "password"]
    stored = Credential.objects.get(pk=updated.id)
    assert stored.values == {"password": "new-pass-2", "company_id": "42"}


def test_it_lists_with_domain_and_query_filters(client):
    for name, domain in [("alpha", "a.example.com"), ("beta", "b.example.com"), ("gamma", "a.example.com")]:
        client.credentials.create(name=name, domain=domain, values={"username": name})
    assert [c.name for c in client.credentials.list(domain="a.example.com")] == ["alpha", "gamma"]
    assert [c.name for c in client.credentials.list(query="ET")] == ["beta"]
    listed = list(client.credentials.list())
    assert all(c.value_keys is None for c in listed), "value_keys are left out of lists, as in Kernel"


def test_it_deletes_and_then_answers_not_found(client):
    created = client.credentials.create(name="gone", domain="example.com", values={"username": "x"})
    client.credentials.delete(created.id)
    with pytest.raises(NotFoundError):
        client.credentials.retrieve(created.id)
    with pytest.raises(NotFoundError):
        client.credentials.delete("gone")


def test_it_refuses_a_duplicate_name_with_a_conflict_sent_only_once(client, server):
    client.credentials.create(name="dup", domain="example.com", values={"username": "x"})
    before = server.log_text().count("authhub.access: POST /credentials ")
    with pytest.raises(ConflictError) as info:
        client.credentials.create(name="dup", domain="example.com", values={"username": "y"})
    assert info.value.body["code"] == "already_exists"
    assert info.value.response.headers["x-should-retry"] == "false"
    assert server.log_text().count("authhub.access: POST /credentials ") == before + 1, "the SDK must not retry a 409"


def test_it_returns_a_totp_code_when_a_secret_is_set_and_from_totp_code(client):
    created = client.credentials.create(name="otp", domain="example.com", values={}, totp_secret=SECRET)
    assert created.has_totp_secret is True
    assert created.totp_code is not None and created.totp_code_expires_at is not None
    got = client.credentials.totp_code("otp")
    expected = {totp.generate(SECRET, at=got.expires_at.timestamp() - 1)[0]}
    assert got.code in expected
    assert client.credentials.retrieve("otp").totp_code is None, "codes come only with the write that set the secret"


def test_it_reads_totp_parameters_from_an_otpauth_uri(client):
    uri = f"otpauth://totp/Example:me?secret={SECRET}&issuer=Example&algorithm=SHA256&digits=8&period=60"
    created = client.credentials.create(name="uri", domain="example.com", values={}, totp_secret=uri, totp_digits=6)
    assert (created.totp_algorithm, created.totp_digits, created.totp_period) == ("SHA256", 8, 60)
    code = client.credentials.totp_code("uri")
    assert len(code.code) == 8
    assert code.code == totp.generate(SECRET, algorithm="SHA256", digits=8, period=60, at=code.expires_at.timestamp() - 1)[0]


def test_rotating_a_raw_secret_keeps_parameters_and_a_new_uri_resets_them(client):
    client.credentials.create(name="rot", domain="example.com", values={}, totp_secret=SECRET, totp_digits=8)
    rotated = client.credentials.update("rot", totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    assert rotated.totp_digits == 8 and rotated.totp_code is not None
    reset = client.credentials.update("rot", totp_secret=f"otpauth://totp/x?secret={SECRET}")
    assert (reset.totp_algorithm, reset.totp_digits, reset.totp_period) == ("SHA1", 6, 30)
    removed = client.credentials.update("rot", totp_secret="")
    assert removed.has_totp_secret is False and removed.totp_digits is None


def test_it_removes_the_sso_provider_with_null(client):
    client.credentials.create(name="sso", domain="example.com", values={}, sso_provider="google")
    assert client.credentials.retrieve("sso").sso_provider == "google"
    assert client.credentials.update("sso", sso_provider=None).sso_provider is None


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"totp_secret": "not base32!!"}, "base32"),
        ({"totp_secret": "ABC"}, "16 to 128"),
        ({"totp_secret": "otpauth://hotp/x?secret=" + SECRET}, "otpauth://totp/"),
        ({"totp_digits": 8}, "need a totp_secret"),
        ({"values": {"bad key!": "x"}}, "Keys must be"),
        ({"values": {"password": 5}}, "must be a string"),
        ({"values": {"blob": "x" * 70_000}}, "64 KiB"),
        ({"name": "with/slash"}, "without '/'"),
        ({"name": " padded"}, "spaces"),
        ({"domain": "https://example.com/login"}, "not a URL"),
        ({"domain": "exa mple.com"}, "not a valid hostname"),
        ({"extra_body": {"colour": "blue"}}, "colour: Unknown field"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message_and_stores_nothing(client, tenant, kwargs, fragment):
    params = {"name": "bad", "domain": "example.com", "values": {"password": "do-not-echo-me"}} | kwargs
    with pytest.raises(BadRequestError) as info:
        client.credentials.create(**params)
    body = info.value.body
    assert set(body) >= {"code", "message"}
    assert fragment in body["message"]
    assert "do-not-echo-me" not in json.dumps(body)
    assert not Credential.objects.filter(project=tenant.project).exists()


def test_a_failed_update_changes_nothing(client, tenant):
    client.credentials.create(name="keep", domain="example.com", values={"password": "unchanged-1"})
    with pytest.raises(BadRequestError):
        client.credentials.update("keep", values={"password": "changed-2"}, totp_secret="!!invalid!!")
    stored = Credential.objects.get(project=tenant.project, name="keep")
    assert stored.values == {"password": "unchanged-1"}
