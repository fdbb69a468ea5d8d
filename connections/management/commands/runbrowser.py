from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand

from connections.runner import BrowserRunner

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the browser runner: one Chromium running many login flows (and health checks) at once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-flows", type=int, default=None, help="flows at once (default AUTHHUB_RUNNER_MAX_FLOWS)")

    def handle(self, *args: Any, max_flows: int | None, **options: Any) -> None:
        asyncio.run(self._run(max_flows))

    async def _run(self, max_flows: int | None) -> None:
        runner = BrowserRunner(max_flows=max_flows)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runner.stop)
        await runner.run()
        logger.info("browser runner %s stopped", runner.runner_id)
