"""Key rotation without downtime (``manage.py rotatekeys``).

Organization keys: a new key becomes primary (new writes use it at once, because every encryption
checks the keyset version), every secret is re-encrypted in small batches with conditional updates,
a last pass under the keyset's lock catches rows written meanwhile, and only then are the old keys
disabled. Disabled keys stay in the keyset until ``destroy_disabled_keys`` is run explicitly.

Master key: a new master key becomes primary in the key file, every organization keyset is
re-wrapped with it, and the old master keys are disabled (kept in the file) afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import tink
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from tink import aead

from credentials.crypto import (
    Keyring,
    ciphertext_key_id,
    get_keyring,
    keyset_add_primary,
    keyset_destroy_disabled,
    keyset_disable_secondaries,
    keyset_enable_disabled,
    organization_ad,
    wrapped_keyset_master_key_id,
)
from credentials.fields import encrypted_fields
from credentials.models import OrganizationKeyset

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]


def encrypted_models() -> list[type[models.Model]]:
    """Every model holding encrypted fields; each has an ``organization`` foreign key."""
    return [model for model in apps.get_models() if encrypted_fields(model)]


@dataclass
class RotationReport:
    organization_id: str
    new_key_id: int
    reencrypted: int = 0
    batches: int = 0
    disabled_key_ids: list[int] = field(default_factory=list)


def _reencrypt_batch(model: type[models.Model], rows: list[models.Model], primary: int) -> int:
    done = 0
    fields = encrypted_fields(model)
    for row in rows:
        stale = [f for f in fields if (ct := f.ciphertext(row)) is not None and ciphertext_key_id(ct) != primary]
        if not stale:
            continue
        old = {f.attname: f.ciphertext(row) for f in stale}
        new = {f.attname: f.encrypt(row, getattr(row, f.attname)) for f in stale}
        # Conditional: a row another process rewrote meanwhile is left to the final pass.
        done += model._base_manager.filter(pk=row.pk, **old).update(**new) * len(stale)
    return done


def _reencrypt_organization(organization_id: str, primary: int, batch_size: int, report: RotationReport | None) -> int:
    total = 0
    for model in encrypted_models():
        last_pk = ""
        while True:
            rows = list(
                model._base_manager.filter(organization_id=organization_id, pk__gt=last_pk).order_by("pk")[:batch_size]
            )
            if not rows:
                break
            with transaction.atomic():
                total += _reencrypt_batch(model, rows, primary)
            last_pk = rows[-1].pk
            if report is not None:
                report.batches += 1
    return total


def rotate_organization_key(
    organization_id: str, *, batch_size: int = 500, keyring: Keyring | None = None, progress: Progress | None = None
) -> RotationReport:
    keyring = keyring or get_keyring()
    say = progress or (lambda message: None)

    # 1. A new primary key: from this commit on, every process encrypts with it.
    with transaction.atomic():
        row = OrganizationKeyset.objects.select_for_update().filter(organization_id=organization_id).first()
        if row is None:
            row = OrganizationKeyset.create_for(organization_id, keyring)
        handle, new_key_id = keyset_add_primary(keyring.unwrap(organization_id, row.wrapped_keyset))
        row.wrapped_keyset = keyring.wrap(organization_id, handle)
        row.version += 1
        row.rotated_at = timezone.now()
        row.save(update_fields=["wrapped_keyset", "version", "rotated_at"])
    keyring.forget(organization_id)
    report = RotationReport(organization_id, new_key_id)
    say(f"{organization_id}: new primary key {new_key_id}; re-encrypting")

    # 2. Re-encrypt in batches, each its own short transaction.
    report.reencrypted = _reencrypt_organization(organization_id, new_key_id, batch_size, report)

    # 3. Under the keyset lock (and, on SQLite, the write lock): catch rows written meanwhile, then disable.
    with transaction.atomic():
        row = OrganizationKeyset.objects.select_for_update().get(organization_id=organization_id)
        report.reencrypted += _reencrypt_organization(organization_id, new_key_id, batch_size, None)
        handle, report.disabled_key_ids = keyset_disable_secondaries(keyring.unwrap(organization_id, row.wrapped_keyset))
        row.wrapped_keyset = keyring.wrap(organization_id, handle)
        row.version += 1
        row.save(update_fields=["wrapped_keyset", "version"])
    keyring.forget(organization_id)
    say(
        f"{organization_id}: re-encrypted {report.reencrypted} value(s) in {report.batches} batch(es); "
        f"disabled key(s) {', '.join(map(str, report.disabled_key_ids)) or 'none'}"
    )
    logger.info("rotated the key of organization %s (new key %s)", organization_id, new_key_id)
    return report


def rotate_all_organization_keys(*, batch_size: int = 500, progress: Progress | None = None) -> list[RotationReport]:
    from authhub.models import Organization

    return [
        rotate_organization_key(org_id, batch_size=batch_size, progress=progress)
        for org_id in Organization.objects.order_by("pk").values_list("pk", flat=True)
    ]


def _rewrap_all(keyring: Keyring, primary: int, unwrap_with: Callable[[str, str], object]) -> int:
    count = 0
    for organization_id in OrganizationKeyset.objects.order_by("pk").values_list("organization_id", flat=True):
        with transaction.atomic():
            row = OrganizationKeyset.objects.select_for_update().get(organization_id=organization_id)
            if wrapped_keyset_master_key_id(row.wrapped_keyset) == primary:
                continue
            handle = unwrap_with(organization_id, row.wrapped_keyset)
            row.wrapped_keyset = keyring.wrap(organization_id, handle)  # type: ignore[arg-type]
            row.save(update_fields=["wrapped_keyset"])
            count += 1
    return count


def rotate_master_key(*, keyring: Keyring | None = None, progress: Progress | None = None) -> tuple[int, list[int], int]:
    """Returns (new master key id, disabled master key ids, organization keysets re-wrapped)."""
    keyring = keyring or get_keyring()
    say = progress or (lambda message: None)
    master = keyring.master
    master.refresh()
    before = master.handle
    handle, new_id = keyset_add_primary(before)
    master.save(handle)
    say(f"master: new primary key {new_id}; re-wrapping organization keysets")

    rewrapped = _rewrap_all(keyring, new_id, keyring.unwrap)
    disabled_handle, disabled = keyset_disable_secondaries(master.handle)
    master.save(disabled_handle)
    # A process that wrapped with the old key just before the file changed is caught here: its keyset
    # still opens with the old and new keys together, which this process holds in memory.
    old_and_new = handle.primitive(aead.Aead)

    def unwrap_with_old(organization_id: str, wrapped: str) -> tink.KeysetHandle:
        return tink.json_proto_keyset_format.parse_encrypted(wrapped, old_and_new, organization_ad(organization_id))

    rewrapped += _rewrap_all(keyring, new_id, unwrap_with_old)
    say(f"master: re-wrapped {rewrapped} keyset(s); disabled master key(s) {', '.join(map(str, disabled)) or 'none'}")
    logger.info("rotated the master key (new key %s)", new_id)
    return new_id, disabled, rewrapped


def destroy_disabled_keys(*, keyring: Keyring | None = None, include_master: bool = True) -> dict[str, list[int]]:
    """Irreversibly remove the key material of disabled keys. Backups older than the rotation
    that disabled them can no longer be read afterwards."""
    keyring = keyring or get_keyring()
    destroyed: dict[str, list[int]] = {}
    for organization_id in OrganizationKeyset.objects.order_by("pk").values_list("organization_id", flat=True):
        with transaction.atomic():
            row = OrganizationKeyset.objects.select_for_update().get(organization_id=organization_id)
            handle, ids = keyset_destroy_disabled(keyring.unwrap(organization_id, row.wrapped_keyset))
            if ids:
                row.wrapped_keyset = keyring.wrap(organization_id, handle)
                row.version += 1
                row.save(update_fields=["wrapped_keyset", "version"])
                destroyed[organization_id] = ids
        keyring.forget(organization_id)
    if include_master:
        keyring.master.refresh()
        handle, ids = keyset_destroy_disabled(keyring.master.handle)
        if ids:
            keyring.master.save(handle)
            destroyed["master"] = ids
    return destroyed


def enable_disabled_master_keys(*, keyring: Keyring | None = None) -> list[int]:
    """Re-enable disabled master keys, e.g. to open a database backup taken before a master rotation."""
    keyring = keyring or get_keyring()
    keyring.master.refresh()
    handle, ids = keyset_enable_disabled(keyring.master.handle)
    if ids:
        keyring.master.save(handle)
    return ids
