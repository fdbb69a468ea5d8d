"""The embedded SQLite database holds up under several writing processes (web, jobs, browser runner)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from credentials.models import Credential
from tests.support.servers import ROOT, child_env

pytestmark = [pytest.mark.usefixtures("live_db"), pytest.mark.slow]

WRITERS, EACH = 4, 40


def test_the_database_uses_wal_a_busy_timeout_and_immediate_transactions():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_concurrent_writer_processes_never_see_database_is_locked(tenant, client):
    env = {**child_env(), "AUTHHUB_DATA_DIR": str(settings.AUTHHUB.data_dir)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.authhub.sqlite_writer", tenant.project.pk, str(EACH), f"w{n}"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for n in range(WRITERS)
    ]
    # The live server writes at the same time, through the API.
    for i in range(EACH):
        client.credentials.create(name=f"api-{i}", domain="example.com", values={"password": f"p{i}"})
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]

    for writer, output in zip(writers, outputs, strict=True):
        assert "database is locked" not in output
        assert writer.returncode == 0, output
    assert Credential.objects.filter(project=tenant.project).count() == (WRITERS + 1) * EACH
    sample = Credential.objects.get(project=tenant.project, name="w3-7")
    assert sample.values == {"password": "concurrent-w3-7", "extra": "7"}
