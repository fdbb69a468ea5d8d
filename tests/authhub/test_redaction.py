"""No secret reaches a log line: in this process (every record captured) and in the live server's log."""

from __future__ import annotations

import logging

import pytest
from kernel import BadRequestError, InternalServerError

from credentials import services
from credentials.models import Credential

pytestmark = pytest.mark.usefixtures("live_db")

PASSWORD = "log-leak-password-5b1e"
TOTP_SECRET = "LOGLEAKTOTPSECRETABCDEFG"


def all_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(message)s")
    return "\n".join(formatter.format(record) for record in records)


def test_no_secret_in_any_log_record_during_credential_operations(tenant, caplog):
    caplog.set_level(logging.DEBUG)
    credential = services.credential_create(
        project=tenant.project, actor="test", name="logged", domain="example.com",
        values={"username": "someone", "password": PASSWORD}, totp_secret=TOTP_SECRET,
    )
    services.credential_update(credential=credential, actor="test", values={"password": PASSWORD + "-2"})
    services.credential_totp_code(credential=Credential.objects.get(pk=credential.pk), actor="test")
    logger = logging.getLogger("some.library")
    # What careless code or a third-party library might do with a secret in hand:
    logger.debug("connecting with password %s", PASSWORD)
    logger.info("payload: %(password)s", {"password": "masked-by-key-name"})
    try:
        raise ValueError(f"bad credentials {PASSWORD} for someone")
    except ValueError:
        logger.exception("login failed")
    services.credential_delete(credential=credential, actor="test")

    text = all_text(caplog.records)
    assert caplog.records, "sanity: records were captured"
    for secret in (PASSWORD, TOTP_SECRET, "masked-by-key-name"):
        assert secret not in text
    assert "[REDACTED]" in text


def test_no_secret_in_the_live_server_log(tenant, client, server):
    client.credentials.create(name="srv", domain="example.com", values={"password": PASSWORD}, totp_secret=TOTP_SECRET)
    client.credentials.update("srv", values={"password": PASSWORD + "-new"})
    client.credentials.totp_code("srv")
    for bad in (
        {"totp_secret": PASSWORD},
        {"values": {"password": PASSWORD}, "extra_body": {"unknown": PASSWORD}},
        {"values": {PASSWORD + "!": "as-a-key"}},
    ):
        with pytest.raises(BadRequestError) as info:
            client.credentials.update("srv", **bad)
        assert PASSWORD not in str(info.value.body)
    Credential.objects.filter(project=tenant.project, name="srv").update(totp_secret=b"\x01tampered")
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).credentials.totp_code("srv")

    log = server.log_text()
    assert "Unhandled error" in log, "sanity: the server logged the 500 with its traceback"
    for secret in (PASSWORD, TOTP_SECRET):
        assert secret not in log
