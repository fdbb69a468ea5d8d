"""Secrets go only where they belong: never typed or sent to a foreign host, never in events, logs,
screenshots or recordings."""

from __future__ import annotations

import json
import logging
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest

from connections.engine import ErrorCode, HostPolicy, Outcome
from tests.connections.engine.conftest import Person
from tests.sites import accounts

SECRET = "s3cret-never-leaves-7431"


@pytest.mark.parametrize(
    ("host", "allowed", "url", "ok"),
    [
        ("example.com", [], "https://example.com/login", True),
        ("example.com", [], "https://login.example.com/", True),
        ("example.com", [], "https://example.com.evil.net/", False),
        ("example.com", [], "https://notexample.com/", False),
        ("example.com", [], "https://accounts.google.com/signin", True),
        ("example.com", ["*.Corp-SSO.net"], "https://idp.corp-sso.net/", True),
        ("example.com", ["www.partner.org"], "https://partner.org/", True),
        ("app.localhost", [], "http://evil.localhost:8000/", False),
        ("app.localhost", ["localhost"], "http://evil.localhost:8000/", False),
        ("app.localhost", [], "http://app.localhost:8000/", True),
        ("example.com", [], "data:text/html,hi", False),
    ],
)
def test_hosts_are_matched_by_suffix_and_every_localhost_name_is_its_own_site(host, allowed, url, ok):
    assert HostPolicy(host, allowed).allows_url(url) is ok


def test_a_form_that_posts_to_a_foreign_host_gets_nothing_typed_into_it(login, sandbox):
    before = len(sandbox.received("collector.localhost"))
    result = login("evil.localhost", path="/login", values={"username": "alice", "password": SECRET})
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.DOMAIN_NOT_ALLOWED
    assert "collector.localhost" in result.error_message
    received = sandbox.received("collector.localhost")[before:]
    assert not any(SECRET in json.dumps(r) for r in received)


def test_a_script_that_beacons_typed_values_elsewhere_is_blocked(login, sandbox):
    before = len(sandbox.received("collector.localhost"))
    result = login("evil-js.localhost", path="/login", values={"email": accounts.EMAIL, "password": SECRET})
    assert result.outcome == Outcome.FAILED and result.error_code == ErrorCode.DOMAIN_NOT_ALLOWED
    received = sandbox.received("collector.localhost")[before:]
    assert not any(SECRET in json.dumps(r) or "s3cret" in json.dumps(r) for r in received)


def test_no_secret_in_step_events_logs_screenshots_or_recordings(login, caplog, engine_config):
    caplog.set_level(logging.DEBUG)
    person = Person(answers=[lambda pause: __import__("connections.engine", fromlist=["UserInput"]).UserInput(
        fields={"password": accounts.PASSWORD})])
    result = login("classic.localhost", path="/login", values={"username": "alice", "password": SECRET},
                   record=True, person=person)
    assert result.outcome == Outcome.SUCCESS
    events = json.dumps([asdict(e) for e in person.events] + [p.to_dict() for p in person.pauses], default=str)
    logs = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    for secret in (SECRET, accounts.PASSWORD):
        assert secret not in events
        assert secret not in logs
        assert secret not in repr(result)

    assert result.recording_path and Path(result.recording_path).stat().st_size > 1000
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                            result.recording_path], capture_output=True, text=True)
    assert probe.stdout.strip() == "h264"
    assert len(result.screenshots) >= 3
    stored = Path(result.recording_path).parent
    for path in stored.iterdir():
        data = path.read_bytes()
        for secret in (SECRET, accounts.PASSWORD):
            assert secret.encode() not in data, path
