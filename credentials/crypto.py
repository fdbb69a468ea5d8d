"""Envelope encryption with Google Tink.

A master key (a cleartext Tink JSON keyset in ``AUTHHUB_MASTER_KEY_FILE``) wraps one AES-256-GCM
keyset per organization, stored in the database (``OrganizationKeyset``). Secrets are encrypted
with the organization's primary key and associated data naming the organization, record and field,
so a ciphertext copied to another row, field or tenant does not decrypt.

Rotation never stops the service: a new key becomes primary first (new writes use it), rows are
re-encrypted in batches, and only then are the old keys disabled. Processes that cached an older
keyset reload it when a decryption fails, and check the keyset version before every encryption.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tink
from django.db import transaction
from tink import aead, secret_key_access
from tink.proto import tink_pb2

logger = logging.getLogger(__name__)

aead.register()
KEY_TEMPLATE = aead.aead_key_templates.AES256_GCM
# Tink's TINK output prefix: one version byte, then the 4-byte id of the key that encrypted.
_PREFIX_SIZE = 5


class DecryptionError(Exception):
    """A ciphertext could not be decrypted: wrong tenant, record or field, or a missing key."""


class MasterKeyError(Exception):
    pass


# --- keyset helpers (Tink's Python API has no keyset manager) -----------------------------------------


def _to_proto(handle: tink.KeysetHandle) -> tink_pb2.Keyset:
    keyset = tink_pb2.Keyset()
    keyset.ParseFromString(tink.proto_keyset_format.serialize(handle, secret_key_access.TOKEN))
    return keyset


def _from_proto(keyset: tink_pb2.Keyset) -> tink.KeysetHandle:
    return tink.proto_keyset_format.parse(keyset.SerializeToString(), secret_key_access.TOKEN)


def keyset_add_primary(handle: tink.KeysetHandle) -> tuple[tink.KeysetHandle, int]:
    """A copy of ``handle`` with a fresh key made primary; the old keys stay enabled."""
    keyset = _to_proto(handle)
    fresh = _to_proto(tink.new_keyset_handle(KEY_TEMPLATE))
    taken = {key.key_id for key in keyset.key}
    while fresh.primary_key_id in taken:  # ids are random 32-bit numbers; collisions are rare
        fresh = _to_proto(tink.new_keyset_handle(KEY_TEMPLATE))
    keyset.key.append(fresh.key[0])
    keyset.primary_key_id = fresh.primary_key_id
    return _from_proto(keyset), fresh.primary_key_id


def _change_status(
    handle: tink.KeysetHandle, select: Callable[[tink_pb2.Keyset, tink_pb2.Keyset.Key], bool], status: int
) -> tuple[tink.KeysetHandle, list[int]]:
    keyset = _to_proto(handle)
    changed = []
    for key in keyset.key:
        if select(keyset, key):
            key.status = status
            if status == tink_pb2.DESTROYED:
                key.ClearField("key_data")
            changed.append(key.key_id)
    return _from_proto(keyset), changed


def keyset_disable_secondaries(handle: tink.KeysetHandle) -> tuple[tink.KeysetHandle, list[int]]:
    return _change_status(
        handle, lambda ks, key: key.key_id != ks.primary_key_id and key.status == tink_pb2.ENABLED, tink_pb2.DISABLED
    )


def keyset_enable_disabled(handle: tink.KeysetHandle) -> tuple[tink.KeysetHandle, list[int]]:
    return _change_status(handle, lambda ks, key: key.status == tink_pb2.DISABLED, tink_pb2.ENABLED)


def keyset_destroy_disabled(handle: tink.KeysetHandle) -> tuple[tink.KeysetHandle, list[int]]:
    return _change_status(handle, lambda ks, key: key.status == tink_pb2.DISABLED, tink_pb2.DESTROYED)


def keyset_summary(handle_or_info: tink.KeysetHandle | tink_pb2.KeysetInfo) -> list[tuple[int, str, bool]]:
    info = handle_or_info.keyset_info() if isinstance(handle_or_info, tink.KeysetHandle) else handle_or_info
    return [
        (key.key_id, tink_pb2.KeyStatusType.Name(key.status), key.key_id == info.primary_key_id)
        for key in info.key_info
    ]


def wrapped_keyset_master_key_id(wrapped: str) -> int | None:
    """Which master key wrapped an organization keyset (from its ciphertext prefix)."""
    import base64
    import json

    try:
        return ciphertext_key_id(base64.b64decode(json.loads(wrapped)["encryptedKeyset"]))
    except (ValueError, KeyError):
        return None


def ciphertext_key_id(ciphertext: bytes) -> int | None:
    if len(ciphertext) < _PREFIX_SIZE or ciphertext[0] != 1:
        return None
    return int.from_bytes(ciphertext[1:_PREFIX_SIZE], "big")


# --- master key ---------------------------------------------------------------------------------------


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with a 0600 file, so a crash never leaves half a key file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_master_key_file(path: Path) -> bool:
    """Create a new master keyset at ``path`` (mode 0600) unless one exists. True when created."""
    handle = tink.new_keyset_handle(KEY_TEMPLATE)
    text = tink.json_proto_keyset_format.serialize(handle, secret_key_access.TOKEN)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle_file:
        handle_file.write(text)
    return True


class MasterKey:
    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        self.create = create
        self._lock = threading.Lock()
        self._handle: tink.KeysetHandle | None = None
        self._aead: aead.Aead | None = None
        self._stamp: tuple[int, int] | None = None

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _load(self) -> None:
        if not self.path.exists():
            if not self.create:
                raise MasterKeyError(f"master key file {self.path} does not exist")
            if create_master_key_file(self.path):
                logger.warning("Created a development master key at %s (mode 0600). Back it up.", self.path)
        try:
            self._stamp = self._file_stamp()
            text = self.path.read_text()
            self._handle = tink.json_proto_keyset_format.parse(text, secret_key_access.TOKEN)
        except (OSError, tink.TinkError) as exc:
            raise MasterKeyError(f"cannot load master key {self.path}: {exc}") from None
        self._aead = self._handle.primitive(aead.Aead)

    @property
    def handle(self) -> tink.KeysetHandle:
        with self._lock:
            if self._handle is None:
                self._load()
            assert self._handle is not None
            return self._handle

    @property
    def aead(self) -> aead.Aead:
        with self._lock:
            if self._aead is None:
                self._load()
            assert self._aead is not None
            return self._aead

    def reload(self) -> None:
        with self._lock:
            self._load()

    def refresh(self) -> None:
        """Reload when the file changed (a master-key rotation by another process); a stat() otherwise."""
        with self._lock:
            if self._handle is None or self._file_stamp() != self._stamp:
                self._load()

    @property
    def primary_key_id(self) -> int:
        return self.handle.keyset_info().primary_key_id

    def save(self, handle: tink.KeysetHandle) -> None:
        _write_private(self.path, tink.json_proto_keyset_format.serialize(handle, secret_key_access.TOKEN))
        with self._lock:
            self._handle = handle
            self._aead = handle.primitive(aead.Aead)
            self._stamp = self._file_stamp()


# --- per-organization keysets -------------------------------------------------------------------------


@dataclass(frozen=True)
class _CachedKeyset:
    version: int
    primary_key_id: int
    primitive: aead.Aead


def organization_ad(organization_id: str) -> bytes:
    return f"authhub/keyset/v1|{organization_id}".encode()


class Keyring:
    """Encrypts and decrypts for organizations; safe to share between threads."""

    def __init__(self, master: MasterKey) -> None:
        self.master = master
        self._lock = threading.Lock()
        self._cache: dict[str, _CachedKeyset] = {}

    # wrapping
    def new_wrapped_keyset(self, organization_id: str) -> str:
        return self.wrap(organization_id, tink.new_keyset_handle(KEY_TEMPLATE))

    def wrap(self, organization_id: str, handle: tink.KeysetHandle) -> str:
        # Always wrap with the newest master key, even if another process rotated it.
        self.master.refresh()
        return tink.json_proto_keyset_format.serialize_encrypted(handle, self.master.aead, organization_ad(organization_id))

    def unwrap(self, organization_id: str, wrapped: str) -> tink.KeysetHandle:
        try:
            return tink.json_proto_keyset_format.parse_encrypted(wrapped, self.master.aead, organization_ad(organization_id))
        except tink.TinkError:
            # Another process may have rotated the master key since we read the file.
            self.master.reload()
            try:
                return tink.json_proto_keyset_format.parse_encrypted(
                    wrapped, self.master.aead, organization_ad(organization_id)
                )
            except tink.TinkError:
                raise DecryptionError(
                    f"the keyset of organization {organization_id} cannot be unwrapped with the master key"
                ) from None

    # loading
    def _row(self, organization_id: str, *, for_update: bool = False):  # noqa: ANN202
        from credentials.models import OrganizationKeyset

        queryset = OrganizationKeyset.objects.filter(organization_id=organization_id)
        if for_update:
            queryset = queryset.select_for_update()
        row = queryset.first()
        if row is None:
            row = OrganizationKeyset.create_for(organization_id, self)
        return row

    def _load(self, organization_id: str, row=None) -> _CachedKeyset:  # noqa: ANN001
        row = row or self._row(organization_id)
        handle = self.unwrap(organization_id, row.wrapped_keyset)
        cached = _CachedKeyset(row.version, handle.keyset_info().primary_key_id, handle.primitive(aead.Aead))
        with self._lock:
            self._cache[organization_id] = cached
        return cached

    def forget(self, organization_id: str | None = None) -> None:
        with self._lock:
            if organization_id is None:
                self._cache.clear()
            else:
                self._cache.pop(organization_id, None)

    def _current(self, organization_id: str) -> _CachedKeyset:
        """The keyset as the database has it now: one cheap query, a reload only when it changed.

        Runs inside the caller's transaction and locks the keyset row (PostgreSQL), so a rotation
        cannot disable a key between this check and the write that uses it. SQLite's IMMEDIATE
        transactions serialize writers already.
        """
        from credentials.models import OrganizationKeyset

        version = (
            OrganizationKeyset.objects.select_for_update()
            .filter(organization_id=organization_id)
            .values_list("version", flat=True)
            .first()
        )
        with self._lock:
            cached = self._cache.get(organization_id)
        if cached is not None and cached.version == version:
            return cached
        return self._load(organization_id)

    def primary_key_id(self, organization_id: str) -> int:
        with transaction.atomic():
            return self._current(organization_id).primary_key_id

    def encrypt(self, organization_id: str, plaintext: bytes, associated_data: bytes) -> bytes:
        with transaction.atomic():
            return self._current(organization_id).primitive.encrypt(plaintext, associated_data)

    def is_current(self, organization_id: str, ciphertext: bytes) -> bool:
        return ciphertext_key_id(ciphertext) == self.primary_key_id(organization_id)

    def decrypt(self, organization_id: str, ciphertext: bytes, associated_data: bytes) -> bytes:
        with self._lock:
            cached = self._cache.get(organization_id)
        if cached is None:
            cached = self._load(organization_id)
        try:
            return cached.primitive.decrypt(ciphertext, associated_data)
        except tink.TinkError:
            pass
        # The keyset may have changed under us (a rotation in another process): reload once.
        try:
            return self._load(organization_id).primitive.decrypt(ciphertext, associated_data)
        except tink.TinkError:
            raise DecryptionError("ciphertext does not decrypt for this organization, record and field") from None


_keyring: Keyring | None = None
_keyring_lock = threading.Lock()


def get_keyring() -> Keyring:
    global _keyring
    with _keyring_lock:
        if _keyring is None:
            from django.conf import settings

            conf = settings.AUTHHUB
            _keyring = Keyring(MasterKey(conf.master_key_file, create=not conf.production))
        return _keyring


__all__ = [
    "DecryptionError",
    "Keyring",
    "MasterKey",
    "MasterKeyError",
    "ciphertext_key_id",
    "create_master_key_file",
    "get_keyring",
]
