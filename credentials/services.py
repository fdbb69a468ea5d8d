"""Credential workflows. Every write is one transaction and leaves an audit event; no value is ever logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from authhub.errors import AppError, Conflict
from authhub.models import Project
from authhub.selectors import get_by_id_or_name
from credentials import totp
from credentials.models import Credential, CredentialAuditEvent

logger = logging.getLogger(__name__)

UNSET: Any = object()


def credential_get(*, project: Project, ref: str) -> Credential:
    return get_by_id_or_name(Credential.objects.filter(project=project), ref, "Credential")


def _audit(credential: Credential, action: str, actor: str, **detail: Any) -> None:
    CredentialAuditEvent.objects.create(
        organization_id=credential.organization_id,
        project_id=credential.project_id,
        credential_id=credential.pk,
        credential_name=credential.name,
        action=action,
        actor=actor,
        detail=detail,
    )


def _totp_spec(
    secret: str,
    algorithm: str | None,
    digits: int | None,
    period: int | None,
    previous: Credential | None = None,
) -> totp.TotpSpec:
    try:
        totp.validate_parameters(algorithm, digits, period)
        spec = totp.parse_secret(secret)
    except totp.TotpError as exc:
        raise AppError(str(exc), code="invalid_totp_secret") from None
    if spec.from_uri:
        # The URI's own parameters win; what it leaves out comes from the request or the defaults.
        return totp.TotpSpec(spec.secret, spec.algorithm or algorithm, spec.digits or digits, spec.period or period)
    if previous is not None and previous.has_totp_secret:
        # A raw secret rotated in place keeps the parameters the caller did not send.
        algorithm = algorithm or previous.totp_algorithm or None
        digits = digits or previous.totp_digits
        period = period or previous.totp_period
    return totp.TotpSpec(spec.secret, algorithm, digits, period)


def _save(credential: Credential) -> None:
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        raise Conflict(
            f"A credential named {credential.name!r} already exists in this project.", code="already_exists"
        ) from None


@transaction.atomic
def credential_create(
    *,
    project: Project,
    actor: str,
    name: str,
    domain: str,
    values: dict[str, str],
    sso_provider: str | None = None,
    totp_secret: str | None = None,
    totp_algorithm: str | None = None,
    totp_digits: int | None = None,
    totp_period: int | None = None,
) -> Credential:
    from connections.engine.hosts import too_broad

    if broad := too_broad(domain):
        # A credential's secrets are typed only on its own domain: that must name one owner's site.
        raise AppError(f"domain: {broad}.", code="domain_too_broad")
    spec = None
    if totp_secret:
        spec = _totp_spec(totp_secret, totp_algorithm, totp_digits, totp_period)
    elif totp_algorithm or totp_digits or totp_period:
        raise AppError("totp_algorithm, totp_digits and totp_period need a totp_secret", code="invalid_request")
    if Credential.objects.filter(project=project, name=name).exists():
        raise Conflict(f"A credential named {name!r} already exists in this project.", code="already_exists")
    now = timezone.now()
    credential = Credential(
        created_at=now,
        updated_at=now,
        organization_id=project.organization_id,
        project=project,
        name=name,
        domain=domain,
        sso_provider=sso_provider or "",
    )
    credential.set_values(values)
    credential.set_totp(spec)
    _save(credential)
    _audit(credential, CredentialAuditEvent.Action.CREATED, actor, value_keys=credential.value_keys, totp=spec is not None)
    logger.info("credential %s created by %s (keys: %s)", credential.pk, actor, ", ".join(credential.value_keys))
    return credential


@transaction.atomic
def credential_update(
    *,
    credential: Credential,
    actor: str,
    name: str = UNSET,
    values: dict[str, str] = UNSET,
    remove_value_keys: list[str] = UNSET,
    sso_provider: str | None = UNSET,
    totp_secret: str | None = UNSET,
    totp_algorithm: str | None = UNSET,
    totp_digits: int | None = UNSET,
    totp_period: int | None = UNSET,
) -> tuple[Credential, bool]:
    """Apply only what was sent. Returns the credential and whether a TOTP secret was (re)set."""
    # Re-read under the write lock: two concurrent merges must not lose each other's keys.
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    changed: list[str] = []

    if name is not UNSET and name != credential.name:
        credential.name = name
        changed.append("name")

    if values is not UNSET or remove_value_keys is not UNSET:
        added = {} if values is UNSET else values
        current = dict(credential.values or {})
        removed = [key for key in ([] if remove_value_keys is UNSET else remove_value_keys) if key in current]
        for key in removed:
            del current[key]
        current.update(added)
        credential.set_values(current)
        changed += [f"values.{key}" for key in sorted(added)] + [f"removed.{key}" for key in removed]

    if sso_provider is not UNSET:
        credential.sso_provider = sso_provider or ""
        changed.append("sso_provider")

    totp_set = False
    params = {"algorithm": totp_algorithm, "digits": totp_digits, "period": totp_period}
    sent_params = {key: value for key, value in params.items() if value is not UNSET}
    if totp_secret is not UNSET and not totp_secret:
        credential.set_totp(None)
        changed.append("totp_secret.removed")
    elif totp_secret is not UNSET:
        credential.set_totp(
            _totp_spec(totp_secret, sent_params.get("algorithm"), sent_params.get("digits"), sent_params.get("period"), credential)
        )
        totp_set = True
        changed.append("totp_secret")
    elif sent_params:
        if not credential.has_totp_secret:
            raise AppError("totp_algorithm, totp_digits and totp_period need a totp_secret", code="invalid_request")
        try:
            totp.validate_parameters(sent_params.get("algorithm"), sent_params.get("digits"), sent_params.get("period"))
        except totp.TotpError as exc:
            raise AppError(str(exc), code="invalid_request") from None
        if "algorithm" in sent_params:
            credential.totp_algorithm = sent_params["algorithm"] or ""
        if "digits" in sent_params:
            credential.totp_digits = sent_params["digits"]
        if "period" in sent_params:
            credential.totp_period = sent_params["period"]
        changed.append("totp_parameters")

    credential.updated_at = timezone.now()
    _save(credential)
    _audit(credential, CredentialAuditEvent.Action.UPDATED, actor, changed=changed)
    logger.info("credential %s updated by %s (%s)", credential.pk, actor, ", ".join(changed) or "no changes")
    return credential, totp_set


@transaction.atomic
def credential_delete(*, credential: Credential, actor: str) -> None:
    _audit(credential, CredentialAuditEvent.Action.DELETED, actor)
    credential.delete()
    logger.info("credential %s deleted by %s", credential.pk, actor)


def credential_totp_code(*, credential: Credential, actor: str) -> tuple[str, datetime]:
    if not credential.has_totp_secret:
        raise AppError("This credential has no TOTP secret.", code="no_totp_secret")
    code, expires = credential.totp_code()
    _audit(credential, CredentialAuditEvent.Action.TOTP_CODE_READ, actor)
    return code, datetime.fromtimestamp(expires, tz=UTC)


def credential_record_use(*, credential: Credential, actor: str, purpose: str) -> None:
    """Called by whatever reads a credential's values to act on them (the login engine)."""
    _audit(credential, CredentialAuditEvent.Action.USED, actor, purpose=purpose)
