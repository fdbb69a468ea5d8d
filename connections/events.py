"""Live flow updates: the SSE stream (kernel SDK ``follow``) and what the WebSocket consumer shares.

The database is the truth. Watchers re-read the flow when told it changed — through the channel layer,
when it crosses processes (Redis) — and at a short interval anyway, so the default single-machine
setup (whose in-memory channel layer cannot reach another process) works, and a lost message never
leaves a page stale.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from rest_framework import exceptions

from authhub.api.authentication import ApiKeyAuthentication, Principal
from authhub.api.exceptions import error_body
from connections import tokens
from connections.authentication import hosted_principal
from connections.models import AuthConnection, LoginFlow
from connections.serializers import state_event

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
# How often watchers re-read the database when nothing told them about a change: often when nothing can
# tell them (in-memory channel layer), rarely when the runner pushes changes through Redis.
RECONCILE_SECONDS = 0.1
RECONCILE_SECONDS_WITH_PUSH = 2.0


def reconcile_interval() -> float:
    return RECONCILE_SECONDS_WITH_PUSH if _crosses_processes() else RECONCILE_SECONDS


def group_name(connection_id: str) -> str:
    return f"connection.{connection_id}"


def _crosses_processes() -> bool:
    layer = get_channel_layer()
    return layer is not None and "InMemory" not in type(layer).__name__


async def announce(connection_id: str) -> None:
    """Tell watchers in every process that a connection's flow changed (a no-op without Redis)."""
    if not _crosses_processes():
        return
    try:
        await get_channel_layer().group_send(group_name(connection_id), {"type": "flow.changed"})
    except Exception:  # noqa: BLE001 - a lost push is reconciled from the database
        logger.warning("could not announce a change of %s", connection_id, exc_info=True)


@asynccontextmanager
async def watch(connection_id: str) -> AsyncIterator[Any]:
    """Yields ``wait(timeout)``: returns when a change is announced, or after ``timeout``."""
    layer = get_channel_layer() if _crosses_processes() else None
    channel = None
    if layer is not None:
        channel = await layer.new_channel()
        await layer.group_add(group_name(connection_id), channel)

    async def wait(timeout: float) -> None:
        if layer is None or channel is None:
            await asyncio.sleep(timeout)  # polling interval of the reconcile loop
            return
        try:
            await asyncio.wait_for(layer.receive(channel), timeout)
        except TimeoutError:
            pass

    try:
        yield wait
    finally:
        if layer is not None and channel is not None:
            await layer.group_discard(group_name(connection_id), channel)


def current_flow(connection_id: str) -> tuple[LoginFlow | None, tuple[Any, ...]]:
    flow = LoginFlow.objects.filter(connection_id=connection_id).order_by("-created_at", "-id").first()
    return flow, ((flow.pk, flow.version) if flow else (None, None))


def authenticate(request: HttpRequest, connection_id: str) -> Principal:
    """API key, or the hosted-page token of this very connection."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    token = header.partition(" ")[2].strip() or request.GET.get("token", "")
    if tokens.looks_like_token(token):
        return hosted_principal(token, connection_id)
    result = ApiKeyAuthentication().authenticate(request)  # type: ignore[arg-type]
    if result is None:
        raise exceptions.NotAuthenticated("Use 'Authorization: Bearer <api key>'.")
    return result[0]


def _open(request: HttpRequest, connection_id: str) -> AuthConnection:
    principal = authenticate(request, connection_id)
    connection = AuthConnection.objects.filter(pk=connection_id, project=principal.project).first()
    if connection is None:
        raise exceptions.NotFound(f"Auth connection {connection_id!r} was not found.")
    return connection


def sse(data: dict[str, Any]) -> bytes:
    return f"event: {data['event']}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def connection_events(request: HttpRequest, ref: str) -> HttpResponse:
    """``GET /auth/connections/{id}/events``: the current state, then every change, heartbeats, and
    the connection closed after the terminal state."""
    if request.method != "GET":
        return JsonResponse(error_body("method_not_allowed", "Use GET."), status=405)
    try:
        connection = await sync_to_async(_open)(request, ref)
    except exceptions.APIException as exc:
        code = {401: "unauthorized", 404: "not_found"}.get(exc.status_code, "invalid_request")
        response = JsonResponse(error_body(code, str(exc.detail)), status=exc.status_code)
        return response

    async def stream() -> AsyncIterator[bytes]:
        last_key: tuple[Any, ...] | None = None
        last_beat = time.monotonic()
        interval = min(reconcile_interval(), HEARTBEAT_SECONDS)
        async with watch(connection.pk) as wait:
            while True:
                try:
                    flow, key = await sync_to_async(current_flow)(connection.pk)
                except Exception:  # noqa: BLE001 - tell the client, then end the stream
                    logger.exception("events stream of %s failed", connection.pk)
                    yield sse({"event": "error", "timestamp": state_event(None)["timestamp"],
                               "error": {"code": "internal_error", "message": "The event stream failed; reconnect."}})
                    return
                if key != last_key:
                    last_key = key
                    yield sse(state_event(flow))
                if flow is None or flow.is_finished:
                    return
                if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    last_beat = time.monotonic()
                    yield sse({"event": "sse_heartbeat", "timestamp": state_event(None)["timestamp"]})
                await wait(interval)

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
