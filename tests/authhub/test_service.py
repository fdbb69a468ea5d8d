"""`make run`'s pieces: first-start bootstrap, the serve supervisor (daphne + django-q2), side-by-side instances."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from kernel import AuthenticationError, Kernel

from tests.support.servers import ROOT, child_env, free_port, wait_until

pytestmark = pytest.mark.slow


def manage(data_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True, **kwargs
    )


class Instance:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        self.bootstrap_output = manage(data_dir, "bootstrap").stdout
        env = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(data_dir),
               "AUTHHUB_PORT": str(self.port)}
        self.log = open(data_dir / "serve.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, "manage.py", "serve"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

        def up() -> bool:
            assert self.process.poll() is None, (data_dir / "serve.log").read_text()
            try:
                return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 30, what="serve")
        wait_until(lambda: "ready (up to" in (data_dir / "serve.log").read_text(), 30, what="the browser runner")

    @property
    def key(self) -> str:
        return (self.data_dir / "dev-api-key").read_text().strip()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


@pytest.fixture
def instance(tmp_path):
    started = Instance(tmp_path / "a")
    yield started
    if started.process.poll() is None:
        started.stop()


def test_first_start_creates_a_key_file_and_a_master_key_readable_only_by_the_owner(instance):
    assert instance.key in instance.bootstrap_output
    for name in ("dev-api-key", "master-key.json"):
        assert stat.S_IMODE((instance.data_dir / name).stat().st_mode) == 0o600
    schedules = manage(instance.data_dir, "shell", "-c",
                       "from django_q.models import Schedule; print(list(Schedule.objects.values_list('func', flat=True)))").stdout
    assert "connections.flows.flows_expire_stale" in schedules, "django-q2 sweeps stale flows"
    again = manage(instance.data_dir, "bootstrap").stdout
    assert again == "" and instance.key == (instance.data_dir / "dev-api-key").read_text().strip()
    client = Kernel(api_key=instance.key, base_url=instance.url)
    assert client.credentials.create(name="first", domain="example.com", values={"password": "x1234"}).has_values


def test_serve_runs_a_real_django_q2_cluster(instance):
    script = (
        "from django_q.tasks import async_task, result\n"
        "task = async_task('math.floor', 2.5)\n"
        "print(result(task, wait=20000))\n"
    )
    assert manage(instance.data_dir, "shell", "-c", script, timeout=60).stdout.strip().splitlines()[-1] == "2"


def test_sigterm_stops_the_web_server_the_cluster_and_the_browser_runner_cleanly(instance):
    children = subprocess.run(["pgrep", "-P", str(instance.process.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) == 3, "the web server, the django-q2 cluster and the browser runner"
    assert instance.stop() == 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    log = (instance.data_dir / "serve.log").read_text()
    assert "Stopping (SIGTERM)" in log and "has stopped" in log and "browser runner" in log


def test_two_instances_with_their_own_data_dirs_run_side_by_side(instance, tmp_path):
    other = Instance(tmp_path / "b")
    try:
        assert other.key != instance.key
        Kernel(api_key=other.key, base_url=other.url).credentials.create(name="b-only", domain="b.example", values={})
        with pytest.raises(AuthenticationError):
            Kernel(api_key=instance.key, base_url=other.url).credentials.list()
        assert list(Kernel(api_key=instance.key, base_url=instance.url).credentials.list()) == []
    finally:
        assert other.stop() == 0
