"""A model field that stores its value encrypted under the owning organization's keyset.

The model names its organization through ``encryption_organization_id`` (a column). Values are
decrypted lazily, on first access, and encrypted in ``pre_save`` with associated data binding the
ciphertext to organization, model, primary key and field. ``queryset.update()`` with a plaintext is
refused: it would bypass encryption.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from authhub.redaction import register_secret
from credentials.crypto import get_keyring


class Sealed:
    """A ciphertext as loaded from the database, with its plaintext once decrypted."""

    __slots__ = ("ciphertext", "plaintext", "opened")

    def __init__(self, ciphertext: bytes) -> None:
        self.ciphertext = ciphertext
        self.plaintext: Any = None
        self.opened = False

    def __repr__(self) -> str:
        return "<Sealed>"


class Plain:
    """A value assigned in Python and not yet saved."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<Plain [REDACTED]>"


def _register(value: Any) -> None:
    """Tell the log redactor about every string inside a decrypted value, however nested."""
    if isinstance(value, str):
        register_secret(value)
    elif isinstance(value, dict):
        for item in value.values():
            _register(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _register(item)


class _Descriptor:
    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        raw = instance.__dict__.get(self.field.attname)
        if raw is None:
            return None
        if isinstance(raw, Plain):
            return raw.value
        if not raw.opened:
            raw.plaintext = self.field.decrypt(instance, raw.ciphertext)
            raw.opened = True
        return raw.plaintext

    def __set__(self, instance: models.Model, value: Any) -> None:
        if value is None or isinstance(value, Sealed):
            instance.__dict__[self.field.attname] = value
        elif isinstance(value, Plain):
            instance.__dict__[self.field.attname] = value
        else:
            _register(value)
            instance.__dict__[self.field.attname] = Plain(value)


class EncryptedField(models.BinaryField):
    """``kind="text"`` stores a string, ``kind="json"`` any JSON value (e.g. a dict of secrets)."""

    def __init__(self, *args: Any, kind: str = "text", **kwargs: Any) -> None:
        if kind not in ("text", "json"):
            raise ValueError("kind must be 'text' or 'json'")
        self.kind = kind
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)  # "no value" is NULL, never an encryption of b""
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        kwargs.pop("editable", None)
        kwargs.pop("null", None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _Descriptor(self))

    # --- crypto ---
    def associated_data(self, instance: models.Model) -> bytes:
        if instance.pk is None:
            # The ciphertext is bound to the primary key, so it must exist before the first save.
            raise ValueError(f"{instance._meta.label}: encrypted fields need a primary key generated in Python")
        org_id = instance.encryption_organization_id  # type: ignore[attr-defined]
        return f"authhub/v1|{org_id}|{instance._meta.label_lower}|{instance.pk}|{self.name}".encode()

    def _encode(self, value: Any) -> bytes:
        if self.kind == "json":
            return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        if not isinstance(value, str):
            raise TypeError(f"{self.name} holds text")
        return value.encode()

    def _decode(self, data: bytes) -> Any:
        return json.loads(data) if self.kind == "json" else data.decode()

    def encrypt(self, instance: models.Model, value: Any) -> bytes:
        org_id = instance.encryption_organization_id  # type: ignore[attr-defined]
        return get_keyring().encrypt(org_id, self._encode(value), self.associated_data(instance))

    def decrypt(self, instance: models.Model, ciphertext: bytes) -> Any:
        org_id = instance.encryption_organization_id  # type: ignore[attr-defined]
        value = self._decode(get_keyring().decrypt(org_id, ciphertext, self.associated_data(instance)))
        _register(value)
        return value

    def ciphertext(self, instance: models.Model) -> bytes | None:
        raw = instance.__dict__.get(self.attname)
        return raw.ciphertext if isinstance(raw, Sealed) else None

    # --- Django plumbing ---
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(bytes(value))

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        raw = model_instance.__dict__.get(self.attname)
        if raw is None:
            return None
        org_id = model_instance.encryption_organization_id  # type: ignore[attr-defined]
        if isinstance(raw, Sealed) and get_keyring().is_current(org_id, raw.ciphertext):
            return raw.ciphertext
        value = raw.value if isinstance(raw, Plain) else getattr(model_instance, self.attname)
        sealed = Sealed(self.encrypt(model_instance, value))
        sealed.plaintext, sealed.opened = value, True
        model_instance.__dict__[self.attname] = sealed
        return sealed.ciphertext

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if isinstance(value, Sealed):
            value = value.ciphertext
        if value is not None and not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(f"{self.name} is encrypted: assign it on a model instance and save()")
        return super().get_db_prep_value(value, connection, prepared)

    def value_to_string(self, obj: models.Model) -> str:
        return "[encrypted]"


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedField)]
