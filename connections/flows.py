"""Login flows: started by the API, run by a browser runner, answered by people.

The database is the flow's source of truth. The web process writes requests (start, submit, cancel);
a runner claims flows with a conditional update, records every step, takes submitted input, and
finishes the flow. Every write here is one short transaction.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from authhub.errors import AppError, Conflict
from authhub.redaction import register_secrets
from connections import tokens
from connections.engine.types import Fingerprint, LoginPlan, Pause
from connections.flow_results import profile_state_merge, typed_values_save
from connections.models import AuthConnection, FlowInput, LoginFlow
from connections.services import learned_plan_get, learned_plan_save

logger = logging.getLogger(__name__)

FLOW_TTL = timedelta(minutes=20)
INPUT_TTL = timedelta(minutes=10)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def hosted_url(connection: AuthConnection, code: str | None = None) -> str:
    base = f"{settings.AUTHHUB.public_base_url}/login/{connection.pk}"
    return f"{base}?code={code}" if code else base


def active_flow(connection: AuthConnection) -> LoginFlow | None:
    return connection.flows.filter(status=LoginFlow.Status.IN_PROGRESS).order_by("-created_at").first()


# --- web side ---------------------------------------------------------------------------------------


@transaction.atomic
def flow_start(
    *, connection: AuthConnection, flow_type: str = LoginFlow.Type.LOGIN, options: dict[str, Any] | None = None
) -> tuple[LoginFlow, str]:
    """Start a login, or hand back the one in progress (with a fresh handoff code) so a person half-way
    through is never cut off. Returns the flow and its single-use handoff code."""
    AuthConnection.objects.select_for_update().filter(pk=connection.pk).first()  # one start at a time
    now = timezone.now()
    code = secrets.token_urlsafe(32)
    current = active_flow(connection)
    if current is not None and current.expires_at > now:
        current.handoff_code_hash = _hash(code)
        current.handoff_expires_at = current.expires_at
        current.save(update_fields=["handoff_code_hash", "handoff_expires_at"])
        return current, code
    if current is not None:
        _end(current.pk, LoginFlow.Status.EXPIRED, error_message="Superseded by a new login after it expired.")
    flow = LoginFlow.objects.create(
        connection=connection,
        flow_type=flow_type,
        options=options or {},
        expires_at=now + FLOW_TTL,
        handoff_code_hash=_hash(code),
        handoff_expires_at=now + FLOW_TTL,
        message="Waiting for a browser",
    )
    logger.info("flow %s (%s) started for connection %s", flow.pk, flow_type, connection.pk)
    return flow, code


def _end(flow_id: str, status: str, **fields: Any) -> bool:
    """Move an in-progress flow to a final status; False when it had already ended or no longer exists
    (deleted with its connection, profile, project or organization)."""
    now = timezone.now()
    updated = LoginFlow.objects.filter(pk=flow_id, status=LoginFlow.Status.IN_PROGRESS).update(
        status=status, step=LoginFlow.Step.COMPLETED, finished_at=now, updated_at=now, version=F("version") + 1,
        pause={}, **fields,
    )
    FlowInput.objects.filter(flow_id=flow_id).delete()
    return updated == 1


@transaction.atomic
def flows_cancel(*, connection_ids: list[str], reason: str) -> int:
    """Cancel every in-progress flow of these connections; returns how many were canceled.

    For deletes and unlinks that take away what a running login uses: the runner sees the flow end
    within its status poll and closes the browser before anything more is typed.
    """
    running = LoginFlow.objects.filter(connection_id__in=list(connection_ids), status=LoginFlow.Status.IN_PROGRESS)
    canceled = sum(_end(flow_id, LoginFlow.Status.CANCELED, error_message=reason[:1000])
                   for flow_id in running.values_list("pk", flat=True))
    if canceled:
        logger.info("canceled %d flow(s) of %s: %s", canceled, ", ".join(connection_ids), reason)
    return canceled


@transaction.atomic
def flow_cancel(*, connection: AuthConnection) -> LoginFlow:
    flow = active_flow(connection)
    if flow is None:
        raise AppError("This connection has no login in progress.", code="no_flow_in_progress")
    _end(flow.pk, LoginFlow.Status.CANCELED, error_message="Canceled.")
    flow.refresh_from_db()
    return flow


def build_answer(pause: Pause, data: dict[str, Any]) -> dict[str, Any]:
    """Check a submission against what the pause asked, in either of Kernel's forms."""
    interaction_id = data.get("interaction_id")  # checked against the pause by flow_submit
    canonical = "field_values" in data or "selected_choice_id" in data
    if canonical and not interaction_id:
        raise AppError("field_values and selected_choice_id need the interaction_id they answer.", code="invalid_request")

    fields: dict[str, str] = {}
    for key, value in (data.get("fields") or {}).items():
        if key not in pause.field_refs:
            raise AppError(f"The login did not ask for {key!r}; it asks for: {', '.join(sorted(pause.field_refs)) or 'no fields'}.",
                           code="unknown_field")
        fields[key] = value
    for key, value in (data.get("field_values") or {}).items():
        if key not in pause.field_ids and key not in pause.field_refs:
            raise AppError(f"The login did not ask for field {key!r}.", code="unknown_field")
        fields[key] = value

    choice = None
    for name, value, pool in (
        ("selected_choice_id", data.get("selected_choice_id"), pause.choice_ids),
        ("mfa_option_id", data.get("mfa_option_id"), pause.mfa_types),
        ("sign_in_option_id", data.get("sign_in_option_id"), pause.sign_in_ids),
        ("sso_provider", data.get("sso_provider"), pause.sso_providers),
    ):
        if value:
            if value not in pool:
                raise AppError(f"{name} {value!r} is not one of the options offered: {', '.join(sorted(pool)) or 'none'}.",
                               code="unknown_choice")
            choice = value
    selector = data.get("sso_button_selector")
    if selector and selector not in pause.sso_selectors:
        raise AppError("sso_button_selector is not one of the pending SSO buttons.", code="unknown_choice")
    if not fields and not choice and not selector:
        raise AppError("Nothing to submit: send the fields or the choice the login asks for.", code="invalid_request")
    return {"fields": fields, "choice": choice, "sso_button_selector": selector}


@transaction.atomic
def flow_submit(*, connection: AuthConnection, data: dict[str, Any]) -> LoginFlow:
    flow = active_flow(connection)
    if flow is None:
        raise AppError("This connection has no login in progress: start one with login first.", code="no_flow_in_progress")
    sent = data.get("interaction_id")
    pause = flow.current_pause
    if sent and sent != (pause.interaction_id if pause else None):
        raise AppError(
            "This interaction_id is stale: the login has moved on. Read the connection again and answer "
            "what it asks now.",
            code="stale_interaction",
        )
    if pause is None:
        raise AppError(f"The login is not waiting for input (it is {flow.step}).", code="flow_not_awaiting_input")
    answer = build_answer(pause, data)
    register_secrets(answer["fields"].values())
    row = FlowInput(organization_id=connection.organization_id, flow=flow, interaction_id=pause.interaction_id)
    row.payload = answer
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict("This step was already answered.", code="already_answered") from None
    return flow


def code_problem(flow: LoginFlow | None, digest: str) -> tuple[str, str, int] | None:
    """Why a handoff code cannot be used: (error code, message, HTTP status), or None when it can.

    A code works while its flow runs and for a few minutes after it ended (SUCCESS, FAILED, CANCELED),
    so a person who opens the link after a fast login still sees how it went.
    """
    if flow is None:
        return "invalid_code", "This sign-in link is not valid. Ask for a new one.", 401
    if flow.handoff_code_hash == "used:" + digest:
        return "code_used", "This sign-in link was already used. Ask for a new one.", 401
    now = timezone.now()
    recently_ended = flow.finished_at is not None and flow.status != LoginFlow.Status.EXPIRED and (
        (now - flow.finished_at).total_seconds() < tokens.READ_GRACE_SECONDS
    )
    if not (flow.is_active or recently_ended) or (flow.handoff_expires_at and flow.handoff_expires_at < now):
        return "code_expired", "This sign-in link has expired. Ask for a new one.", 410
    return None


def flow_for_code(connection_id: str, code: str) -> tuple[LoginFlow | None, str]:
    digest = _hash(code or "")
    flow = LoginFlow.objects.select_related("connection").filter(connection_id=connection_id).filter(
        Q(handoff_code_hash=digest) | Q(handoff_code_hash="used:" + digest)
    ).first()
    return flow, digest


def flow_exchange(*, connection_id: str, code: str) -> str:
    """Trade a handoff code for a hosted-page token. Codes are single-use."""
    flow, digest = flow_for_code(connection_id, code)
    problem = code_problem(flow, digest)
    if problem is not None:
        error, message, status = problem
        raise AppError(message, code=error, status=status)
    assert flow is not None
    consumed = LoginFlow.objects.filter(pk=flow.pk, handoff_code_hash=digest).update(handoff_code_hash="used:" + digest)
    if consumed != 1:
        raise AppError("This sign-in link was already used. Ask for a new one.", code="code_used", status=401)
    return tokens.issue(
        connection_id=connection_id, flow_id=flow.pk, project_id=flow.connection.project_id,
        expires_at=flow.expires_at.timestamp() + tokens.READ_GRACE_SECONDS,
    )


# --- runner side ------------------------------------------------------------------------------------


def flow_claim(*, runner_id: str, limit: int) -> list[str]:
    """Claim up to ``limit`` waiting flows; a conditional update per flow, so two runners never share one."""
    now = timezone.now()
    claimed = []
    candidates = LoginFlow.objects.filter(status=LoginFlow.Status.IN_PROGRESS, runner_id="", expires_at__gt=now)
    for flow_id in candidates.order_by("created_at").values_list("pk", flat=True)[: max(limit, 0)]:
        won = LoginFlow.objects.filter(pk=flow_id, runner_id="", status=LoginFlow.Status.IN_PROGRESS).update(
            runner_id=runner_id, claimed_at=now, heartbeat_at=now, message="Opening the browser",
            version=F("version") + 1, updated_at=now,
        )
        if won:
            claimed.append(flow_id)
    return claimed


def flow_heartbeat(*, runner_id: str) -> int:
    now = timezone.now()
    return LoginFlow.objects.filter(runner_id=runner_id, status=LoginFlow.Status.IN_PROGRESS).update(heartbeat_at=now)


def flows_expire_stale() -> int:
    """End flows past their expiry and flows whose runner stopped heart-beating. Idempotent."""
    now = timezone.now()
    stale = LoginFlow.objects.filter(status=LoginFlow.Status.IN_PROGRESS).filter(
        Q(expires_at__lte=now)
        | Q(input_deadline__lte=now)
        | (~Q(runner_id="") & Q(heartbeat_at__lt=now - timedelta(seconds=settings.AUTHHUB.runner_dead_after)))
    )
    count = 0
    for flow in stale:
        reason = "The login expired." if flow.expires_at <= now else (
            "Nobody answered in time." if flow.input_deadline and flow.input_deadline <= now
            else "The browser runner running this login stopped."
        )
        count += _end(flow.pk, LoginFlow.Status.EXPIRED, error_message=reason)
    return count


def flows_expire_runner(*, runner_id: str) -> int:
    """End the flows of a runner that is stopping: they cannot go on without its browser."""
    return sum(
        _end(flow.pk, LoginFlow.Status.EXPIRED, error_message="The browser runner stopped.")
        for flow in LoginFlow.objects.filter(runner_id=runner_id, status=LoginFlow.Status.IN_PROGRESS)
    )


def flow_record_step(*, flow_id: str, step: str, message: str = "", pause: Pause | None = None,
                     website_error: str | None = None, external_action_message: str | None = None) -> bool:
    """Save the step the engine reached; False when the flow has ended meanwhile (canceled, expired)."""
    now = timezone.now()
    return LoginFlow.objects.filter(pk=flow_id, status=LoginFlow.Status.IN_PROGRESS).update(
        step=step,
        message=message[:500],
        pause=pause.to_dict() if pause is not None else {},
        website_error=(website_error or "")[:500],
        external_action_message=(external_action_message or "")[:500],
        input_deadline=now + INPUT_TTL if step == LoginFlow.Step.AWAITING_INPUT else None,
        updated_at=now,
        version=F("version") + 1,
    ) == 1


@transaction.atomic
def flow_take_input(*, flow_id: str, interaction_id: str) -> dict[str, Any] | None:
    """The submitted answer for this pause, deleted as it is read (values never linger in the database)."""
    row = FlowInput.objects.filter(flow_id=flow_id, interaction_id=interaction_id).first()
    if row is None:
        return None
    payload = row.payload
    row.delete()
    # In the same transaction the pause is closed, so a second answer to it is refused as stale
    # instead of being accepted after this one was taken.
    now = timezone.now()
    LoginFlow.objects.filter(pk=flow_id, status=LoginFlow.Status.IN_PROGRESS).update(
        step=LoginFlow.Step.SUBMITTING, pause={}, message="Continuing with what you entered", input_deadline=None,
        updated_at=now, version=F("version") + 1,
    )
    return payload


# --- finishing --------------------------------------------------------------------------------------


def flow_finish(
    *, flow_id: str, outcome: str, error_code: str = "", error_message: str = "", website_error: str = "",
    post_login_url: str = "", state_before: dict[str, Any] | None = None, state_after: dict[str, Any] | None = None,
    plan: LoginPlan | None = None, typed_values: dict[str, str] | None = None,
    typed_hosts: dict[str, str] | None = None, recording_path: str = "", fingerprint: Fingerprint | None = None,
) -> bool:
    """Record a flow's end. On success the profile, connection, plan and credential are updated;
    on failure or cancel the profile is left as it was.

    False when the flow had already ended — canceled, expired, or deleted with its connection, profile,
    project or organization —, and then nothing is written.
    """
    if outcome == LoginFlow.Status.SUCCESS:
        with transaction.atomic():
            # Locked first, so a delete or cancel either happened before (nothing saved) or waits for this.
            flow = (
                LoginFlow.objects.select_for_update(of=("self",))
                .select_related("connection__profile", "connection__credential", "connection__project")
                .filter(pk=flow_id, status=LoginFlow.Status.IN_PROGRESS)
                .first()
            )
            if flow is None:
                return False
            connection = flow.connection
            if state_after is not None:
                profile_state_merge(profile_id=connection.profile_id, before=state_before, after=state_after)
            if plan is not None and flow.options.get("skill_mode", "enabled") != "disabled":
                learned_plan_save(project=connection.project, domain=connection.domain, plan=plan.to_dict())
            if typed_values and connection.save_credentials:
                typed_values_save(connection, typed_values, typed_hosts or {})
            now = timezone.now()
            AuthConnection.objects.filter(pk=connection.pk).update(
                status=AuthConnection.Status.AUTHENTICATED, post_login_url=post_login_url[:2048],
                last_auth_check_at=now, updated_at=now,
                session_fingerprint=fingerprint.to_dict() if fingerprint else connection.session_fingerprint,
            )
            if not connection.login_url and plan is not None and plan.login_url:
                AuthConnection.objects.filter(pk=connection.pk, login_url="").update(login_url=plan.login_url[:2048])
            ended = _end(flow_id, outcome, post_login_url=post_login_url[:2048], recording_path=recording_path[:1000],
                         typed_hosts=typed_hosts or {})
            if not ended:
                # Canceled or expired while saving: keep the profile as it was.
                transaction.set_rollback(True)
            return ended
    return _end(
        flow_id, outcome, error_code=error_code[:40], error_message=error_message[:1000],
        website_error=(website_error or "")[:500], recording_path=recording_path[:1000], typed_hosts=typed_hosts or {},
    )


def load_plan(connection: AuthConnection) -> LoginPlan | None:
    data = learned_plan_get(project=connection.project, domain=connection.domain)
    return LoginPlan.from_dict(data) if data else None
