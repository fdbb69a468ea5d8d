from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from authhub.conf import BASE_DIR

_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = (
        "Run AuthHub: the ASGI server (daphne), the django-q2 cluster and the browser runner, stopped together "
        "by Ctrl-C/SIGTERM."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        conf = settings.AUTHHUB
        python = sys.executable
        commands = {
            # Daphne's access log prints query strings (single-use codes); AccessLogMiddleware logs without.
            "web": [python, "-m", "daphne", "--access-log", os.devnull, "-b", conf.host, "-p", str(conf.port),
                    "authhub.asgi:application"],
            "jobs": [python, "manage.py", "qcluster"],
            "browser": [python, "manage.py", "runbrowser"],
        }
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            if not stopping:
                stopping = True
                self.stderr.write(f"\nStopping ({signal.Signals(signum).name})…")

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        for name, command in commands.items():
            # Own process groups: a terminal's Ctrl-C reaches us, and we stop the children in order.
            children[name] = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)
        self.stdout.write(
            f"AuthHub is running on {conf.public_base_url}  (API docs: {conf.public_base_url}/docs, "
            f"admin: {conf.public_base_url}/admin/)  data: {conf.data_dir}  — Ctrl-C to stop"
        )

        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{name} exited with code {child.returncode}; stopping the others")
                    exit_code = child.returncode or 1
                    stopping = True
                    break
            else:
                time.sleep(0.2)  # supervising loop, not a race workaround

        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + _GRACE_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {_GRACE_SECONDS}s; killing it")
                child.kill()
                child.wait()
        sys.exit(exit_code)
