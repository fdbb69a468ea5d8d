"""The hosted page's WebSocket: the flow's state on connect and on every change."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework import exceptions

from connections import tokens
from connections.authentication import hosted_principal
from connections.events import current_flow, reconcile_interval, watch
from connections.serializers import state_event

logger = logging.getLogger(__name__)


def _authorize(token: str, connection_id: str) -> bool:
    if not tokens.looks_like_token(token):
        return False
    try:
        hosted_principal(token, connection_id)
    except exceptions.APIException:
        return False
    return True


class ConnectionStateConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.connection_id = self.scope["url_route"]["kwargs"]["ref"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        token = (query.get("token") or [""])[0]
        self.pump: asyncio.Task[None] | None = None
        if not await database_sync_to_async(_authorize)(token, self.connection_id):
            await self.close(code=4401)
            return
        await self.accept()
        logger.info("hosted page connected to %s", self.connection_id)
        self.pump = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        last = None
        interval = reconcile_interval()
        async with watch(self.connection_id) as wait:
            while True:
                flow, key = await database_sync_to_async(current_flow)(self.connection_id)
                if key != last:
                    last = key
                    await self.send_json(state_event(flow))
                if flow is None or flow.is_finished:
                    await self.close()
                    return
                await wait(interval)

    async def disconnect(self, code: int) -> None:
        if self.pump is not None:
            self.pump.cancel()
