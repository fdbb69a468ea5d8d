"""Settings come from the environment and fail loudly; production mode insists on real secrets."""

from __future__ import annotations

import subprocess
import sys

from tests.support.servers import ROOT, child_env

PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.AUTHHUB.env)"
)


def run(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(tmp_path), **env}
    for name in ("AUTHHUB_ENV", "AUTHHUB_SECRET_KEY", "AUTHHUB_MASTER_KEY_FILE"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=full, capture_output=True, text=True)


def test_development_is_the_default(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False", "development"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(tmp_path, AUTHHUB_ENV="production")
    assert result.returncode != 0 and "AUTHHUB_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_master_key(tmp_path):
    result = run(tmp_path, AUTHHUB_ENV="production", AUTHHUB_SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "AUTHHUB_MASTER_KEY_FILE" in result.stderr
    missing = run(tmp_path, AUTHHUB_ENV="production", AUTHHUB_SECRET_KEY="x" * 50,
                  AUTHHUB_MASTER_KEY_FILE=str(tmp_path / "nope.json"))
    assert missing.returncode != 0 and "no such file" in missing.stderr


def test_production_turns_debug_off_and_cookies_secure(tmp_path):
    key = tmp_path / "master.json"
    created = subprocess.run(
        [sys.executable, "manage.py", "rotatekeys", "--create-master-key", str(key)],
        cwd=ROOT, env={**child_env(), "AUTHHUB_DATA_DIR": str(tmp_path)}, capture_output=True, text=True,
    )
    assert created.returncode == 0, created.stderr
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    result = run(tmp_path, AUTHHUB_ENV="production", AUTHHUB_SECRET_KEY="x" * 50, AUTHHUB_MASTER_KEY_FILE=str(key))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "production"]


def test_a_bad_value_names_the_variable(tmp_path):
    for env, fragment in (
        ({"AUTHHUB_PORT": "eighty"}, "AUTHHUB_PORT='eighty': expected a whole number"),
        ({"AUTHHUB_ENV": "staging"}, "AUTHHUB_ENV='staging': use one of development, production"),
        ({"AUTHHUB_PROXY_UPSTREAMS": "{oops"}, "AUTHHUB_PROXY_UPSTREAMS: not valid JSON"),
        ({"AUTHHUB_PROXY_UPSTREAMS": '{"custom": "http://x"}'}, "mapping proxy types"),
    ):
        result = run(tmp_path, **env)
        assert result.returncode != 0 and fragment in result.stderr, result.stderr
