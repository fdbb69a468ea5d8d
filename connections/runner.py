"""The browser runner: one asyncio process, one Chromium, many login flows at once.

A flow waiting ten minutes for a person costs a browser context and a few coroutines, not a worker.
Runners share work through the database: they claim flows with a conditional update, heart-beat their
claims, and expire the flows of runners that stopped heart-beating. One loop polls the database for
everything the runner waits on (new flows, submitted input, cancellations), so the cost does not grow
with the number of waiting flows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from typing import Any
from urllib.parse import unquote, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from connections import events, flows
from connections.domains import connection_problem
from connections.engine import (
    BrowserHost,
    EngineConfig,
    LoginEngine,
    LoginRequest,
    LoginResult,
    Mode,
    Outcome,
    Pause,
    StepEvent,
    UserInput,
)
from connections.models import AuthConnection, FlowInput, LoginFlow, Proxy
from connections.services import proxy_url

logger = logging.getLogger(__name__)

STATUS_EVERY = 0.25


def engine_config() -> EngineConfig:
    conf = settings.AUTHHUB
    return EngineConfig(
        executable_path=conf.chromium_path,
        extra_args=conf.chromium_args,
        site_ports=dict(conf.site_ports),
        recordings_dir=conf.data_dir / "recordings",
        network=conf.network,
        static_hosts=dict(conf.egress_hosts),
    )


class FlowProblem(Exception):
    """Why a flow cannot run as asked; it fails with this code and message and no browser is opened."""

    def __init__(self, connection_id: str, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.connection_id, self.code, self.message = connection_id, code, message


def playwright_proxy(proxy: Proxy | None) -> dict[str, str] | None:
    """A proxy in Playwright's form. ``<-loopback>`` makes Chromium send even local hosts through it."""
    if proxy is None:
        return None
    parts = urlsplit(proxy_url(proxy))
    host = parts.hostname or ""
    # urlsplit drops the brackets of an IPv6 literal; Chromium needs them back (http://[::1]:3128).
    server = f"{parts.scheme}://{f'[{host}]' if ':' in host else host}"
    if parts.port:
        server += f":{parts.port}"
    spec = {"server": server, "bypass": ",".join(["<-loopback>", *proxy.bypass_hosts])}
    if parts.username:
        spec["username"] = unquote(parts.username)
    if parts.password:
        spec["password"] = unquote(parts.password)
    return spec


def _flow_proxy(flow: LoginFlow, connection: AuthConnection) -> dict[str, str] | None:
    """The proxy this login goes through, in Playwright's form; None for direct.

    A login's own ``browser.proxy`` wins over the connection's, and ``mode: direct`` (stored as a None
    proxy_id) means direct even when the connection has a proxy. A proxy that is gone fails the flow:
    running direct instead would quietly show the sites this machine's address.
    """
    if "proxy_id" in flow.options:
        if flow.options["proxy_id"] is None:
            return None
        proxy = Proxy.objects.alive().filter(pk=flow.options["proxy_id"], project=connection.project).first()
        if proxy is None:
            raise FlowProblem(connection.pk, "proxy_unavailable", (
                f"The proxy chosen for this login ({flow.options['proxy_id']}) was deleted before the login started. "
                "Start the login again with another proxy, or with browser.proxy.mode direct."
            ))
    else:
        proxy = connection.proxy
        if proxy is not None and proxy.deleted_at is not None:
            raise FlowProblem(connection.pk, "proxy_unavailable", (
                f"The connection's proxy ({proxy.pk}) was deleted. Set another proxy on the connection."
            ))
    if proxy is None:
        return None
    try:
        return playwright_proxy(proxy)
    except KeyError:  # a pool type whose upstream the operator no longer maps (AUTHHUB_PROXY_UPSTREAMS)
        raise FlowProblem(connection.pk, "proxy_unavailable", (
            f"The proxy {proxy.pk} is of type {proxy.type}, which this AuthHub no longer has an upstream for."
        )) from None


def _flow_request(flow_id: str) -> tuple[LoginFlow, LoginRequest, dict[str, Any] | None] | None:
    """Everything the engine needs for a flow, read (and decrypted) in one go; None when the flow ended
    or was deleted before it started. Raises FlowProblem when it must fail without a browser."""
    flow = (
        LoginFlow.objects.select_related("connection__profile", "connection__credential", "connection__proxy")
        .filter(pk=flow_id)
        .first()
    )
    if flow is None or flow.is_finished:
        return None
    connection: AuthConnection = flow.connection
    credential = connection.credential
    # Rows written before today's rules (or edited around the API) meet them here, before anything is typed.
    problem = connection_problem(
        domain=connection.domain, allowed_domains=list(connection.allowed_domains),
        credential_domain=credential.domain if credential is not None else None,
    )
    if problem is not None:
        raise FlowProblem(connection.pk, *problem)
    proxy = _flow_proxy(flow, connection)
    state = connection.profile.state
    plan = flows.load_plan(connection)
    record = flow.options.get("record_session", connection.record_session)
    request = LoginRequest(
        domain=connection.domain,
        login_url=connection.login_url or None,
        values=dict(credential.values or {}) if credential else {},
        totp_secret=credential.totp_secret if credential else None,
        sso_provider=(credential.sso_provider or None) if credential else None,
        credential_domain=credential.domain if credential else None,
        allowed_domains=list(connection.allowed_domains),
        storage_state=state,
        proxy=proxy,
        record=bool(record),
        plan=plan,
        use_plan=flow.options.get("skill_mode", "enabled") != "disabled",
        mode=Mode.UNATTENDED if flow.flow_type == LoginFlow.Type.REAUTH else Mode.INTERACTIVE,
        fingerprint=connection.fingerprint,
    )
    if credential is not None:
        request.totp_algorithm = credential.totp_algorithm or "SHA1"
        request.totp_digits = credential.totp_digits or 6
        request.totp_period = credential.totp_period or 30
        from credentials.services import credential_record_use

        credential_record_use(credential=credential, actor=f"system:runner:{flow.pk}", purpose=flow.flow_type.lower())
    return flow, request, state


class BrowserRunner:
    def __init__(self, *, runner_id: str | None = None, max_flows: int | None = None, config: EngineConfig | None = None) -> None:
        conf = settings.AUTHHUB
        self.runner_id = runner_id or f"{socket.gethostname()}:{os.getpid()}"
        self.max_flows = max_flows or conf.runner_max_flows
        self.poll = conf.runner_poll_seconds
        self.config = config or engine_config()
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.connections: dict[str, str] = {}  # flow -> connection, for announcing changes
        self.waiting: dict[str, tuple[str, asyncio.Future[dict[str, Any]]]] = {}  # flow -> (interaction, answer)
        self.stopping = asyncio.Event()
        self.engine: LoginEngine | None = None
        # Heart-beat (and sweep dead runners' flows) three times per dead-runner timeout.
        self.heartbeat_every = conf.runner_dead_after / 3

    # --- the main loop ----------------------------------------------------------------------------

    async def run(self) -> None:
        host = BrowserHost(self.config)
        await host.start()
        assert host.browser is not None
        self.engine = LoginEngine(host.browser, self.config)
        logger.info("browser runner %s ready (up to %d flows at once)", self.runner_id, self.max_flows)
        last_status = last_heartbeat = 0.0
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                await self._claim()
                if self.waiting:
                    await self._deliver_inputs()
                if now - last_status >= STATUS_EVERY and self.tasks:
                    last_status = now
                    await self._cancel_ended()
                if now - last_heartbeat >= self.heartbeat_every:
                    last_heartbeat = now
                    await sync_to_async(flows.flow_heartbeat)(runner_id=self.runner_id)
                    expired = await sync_to_async(flows.flows_expire_stale)()
                    if expired:
                        logger.info("expired %d stale flow(s)", expired)
                try:
                    await asyncio.wait_for(self.stopping.wait(), self.poll)
                except TimeoutError:
                    pass
        finally:
            await self._shutdown()
            await host.stop()

    def stop(self) -> None:
        self.stopping.set()

    async def _shutdown(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        # Flows this runner held cannot go on without it.
        await sync_to_async(flows.flows_expire_runner)(runner_id=self.runner_id)

    async def _claim(self) -> None:
        free = self.max_flows - len(self.tasks)
        if free <= 0:
            return
        for flow_id in await sync_to_async(flows.flow_claim)(runner_id=self.runner_id, limit=free):
            self.tasks[flow_id] = asyncio.create_task(self._run_flow(flow_id), name=f"flow {flow_id}")

    async def _deliver_inputs(self) -> None:
        def take() -> dict[str, dict[str, Any]]:
            found = {}
            rows = FlowInput.objects.filter(flow_id__in=list(self.waiting)).values_list("flow_id", "interaction_id")
            for flow_id, interaction_id in list(rows):
                expected = self.waiting.get(flow_id)
                if expected and expected[0] == interaction_id:
                    payload = flows.flow_take_input(flow_id=flow_id, interaction_id=interaction_id)
                    if payload is not None:
                        found[flow_id] = payload
            return found

        for flow_id, payload in (await sync_to_async(take)()).items():
            interaction_id, future = self.waiting.pop(flow_id)
            if not future.done():
                future.set_result(payload)

    async def _cancel_ended(self) -> None:
        ids = list(self.tasks)
        running = await sync_to_async(
            lambda: set(LoginFlow.objects.filter(pk__in=ids, status=LoginFlow.Status.IN_PROGRESS).values_list("pk", flat=True))
        )()
        # A row that is gone counts as ended: deleting a connection's profile, project or organization
        # deletes its flows, and the browser must stop then too.
        for flow_id in ids:
            task = self.tasks.get(flow_id)
            if flow_id not in running and task is not None and not task.done():
                logger.info("flow %s ended outside the runner (canceled, expired or deleted): closing its browser", flow_id)
                task.cancel()

    # --- one flow ---------------------------------------------------------------------------------

    async def _run_flow(self, flow_id: str) -> None:
        try:
            try:
                prepared = await sync_to_async(_flow_request)(flow_id)
            except FlowProblem as problem:
                self.connections[flow_id] = problem.connection_id
                logger.info("flow %s cannot run: %s", flow_id, problem.code)
                await sync_to_async(flows.flow_finish)(
                    flow_id=flow_id, outcome=LoginFlow.Status.FAILED, error_code=problem.code, error_message=problem.message,
                )
                return
            if prepared is None:
                logger.info("flow %s ended before its browser opened", flow_id)
                return
            flow, request, state_before = prepared
            self.connections[flow_id] = flow.connection_id
            request.inputs = lambda pause: self._wait_for_input(flow_id, pause)
            request.on_step = lambda event: self._on_step(flow_id, event)
            remaining = max(1.0, flow.expires_at.timestamp() - time.time())
            request.input_timeout = min(request.input_timeout, remaining)
            assert self.engine is not None
            try:
                result = await asyncio.wait_for(self.engine.login(request), timeout=remaining)
            except TimeoutError:
                result = LoginResult(Outcome.EXPIRED, error_message="The login expired.")
            await sync_to_async(self._finish)(flow_id, result, state_before)
        except asyncio.CancelledError:
            logger.info("flow %s stopped", flow_id)
        except Exception:
            logger.exception("flow %s crashed", flow_id)
            try:
                await sync_to_async(flows.flow_finish)(
                    flow_id=flow_id, outcome=LoginFlow.Status.FAILED, error_code="browser_error",
                    error_message="AuthHub hit an internal error running this login.",
                )
            except Exception:
                # Nobody awaits this task: an error escaping here would only surface, unhandled, at exit.
                logger.exception("flow %s: could not record its failure", flow_id)
        finally:
            self.tasks.pop(flow_id, None)
            self.waiting.pop(flow_id, None)
            connection_id = self.connections.pop(flow_id, None)
            if connection_id:
                await events.announce(connection_id)
            await sync_to_async(close_old_connections)()

    def _finish(self, flow_id: str, result: LoginResult, state_before: dict[str, Any] | None) -> None:
        recorded = flows.flow_finish(
            flow_id=flow_id,
            outcome=result.outcome.value,
            error_code=result.error_code.value if result.error_code else "",
            error_message=result.error_message or "",
            website_error=result.website_error or "",
            post_login_url=result.post_login_url or "",
            state_before=state_before,
            state_after=result.storage_state,
            plan=result.plan,
            typed_values=result.typed_values,
            typed_hosts=result.typed_hosts,
            recording_path=result.recording_path or "",
            fingerprint=result.fingerprint,
        )
        if not recorded:
            # Canceled, expired or deleted while the engine was finishing: the earlier end stands.
            logger.info("flow %s had already ended; its %s result was dropped", flow_id, result.outcome.value)
            return
        logger.info("flow %s finished: %s %s%s", flow_id, result.outcome.value, result.error_code or "",
                    f" (proved by {result.verification})" if result.verification else "")

    async def _wait_for_input(self, flow_id: str, pause: Pause) -> UserInput:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[flow_id] = (pause.interaction_id, future)
        payload = await future
        return UserInput(
            fields=payload.get("fields") or {}, choice=payload.get("choice"),
            sso_button_selector=payload.get("sso_button_selector"),
        )

    async def _on_step(self, flow_id: str, event: StepEvent) -> None:
        if event.step.value == LoginFlow.Step.COMPLETED:
            return  # the final state is written by _finish, in the same transaction as the profile
        recorded = await sync_to_async(flows.flow_record_step)(
            flow_id=flow_id, step=event.step.value, message=event.message, pause=event.pause,
            website_error=event.website_error, external_action_message=event.external_action_message,
        )
        if recorded and flow_id in self.connections:
            await events.announce(self.connections[flow_id])
