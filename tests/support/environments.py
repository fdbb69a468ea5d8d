"""Whole AuthHub instances for tests that need one to themselves (failures, scale-out settings)."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from kernel import Kernel

from tests.support.servers import ROOT, AuthHubServer, BrowserRunnerProcess, child_env, free_port, wait_until


class Isolated:
    """An AuthHub of its own: data directory, database, API key, live server, and runners on demand."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.env = env
        env = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(data_dir), **env}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run([sys.executable, "manage.py", "createapikey", "--project", "p"], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        self.key = out.strip().splitlines()[-1]
        self.server = AuthHubServer(data_dir, env=self.env).start()
        self.runners: list[BrowserRunnerProcess] = []
        self.client = Kernel(api_key=self.key, base_url=self.server.url)

    def latest_flow(self, connection_id: str) -> tuple[str, float]:
        """(step, updated_at as a Unix time) of a connection's newest flow, read straight from the database
        the runner writes, in a connection of its own (not this process's Django database)."""
        with closing(sqlite3.connect(self.data_dir / "authhub.sqlite3")) as db:
            step, updated = db.execute(
                "SELECT step, updated_at FROM connections_loginflow WHERE connection_id = ? "
                "ORDER BY created_at DESC LIMIT 1",
                (connection_id,),
            ).fetchone()
        # Django stores UTC; SQLite returns it without an offset.
        stamp = datetime.fromisoformat(updated)
        return step, (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()

    def runner(self) -> BrowserRunnerProcess:
        process = BrowserRunnerProcess(self.data_dir, env=self.env).start()
        self.runners.append(process)
        return process

    def stop(self) -> None:
        for runner in self.runners:
            runner.stop()
        self.server.stop()


class RedisServer:
    """Debian's redis-server on a free port, with no persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        wait_until(self._ping, 10, what="redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
