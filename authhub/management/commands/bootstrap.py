from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from authhub import services
from credentials.crypto import get_keyring


class Command(BaseCommand):
    help = "First-start setup: master key (development), default organization/project and a first API key."

    def handle(self, *args: Any, **options: Any) -> None:
        conf = settings.AUTHHUB
        get_keyring().master.handle  # creates the development master key on first start  # noqa: B018
        services.schedules_install()
        key = services.bootstrap()
        if key is None:
            return
        path = conf.data_dir / "dev-api-key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
        os.chmod(path, 0o600)
        self.stdout.write(
            "\n"
            f"  Your first API key (shown once; also saved to {path}, mode 0600):\n\n"
            f"      {key}\n\n"
            f"  Use it with the kernel SDK:  Kernel(api_key=..., base_url={conf.public_base_url!r})\n"
        )
