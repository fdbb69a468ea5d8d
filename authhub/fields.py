from __future__ import annotations

import secrets
from typing import Any

from django.db import models

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u


def new_id(prefix: str) -> str:
    """A readable, prefixed random id such as ``cred_7k2m…`` (120 bits of randomness)."""
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class PrefixedIdField(models.CharField):
    """Primary key with a type prefix, generated in Python so it is known before the first save
    (encrypted fields bind their ciphertext to it)."""

    def __init__(self, *args: Any, prefix: str = "", **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def get_default(self) -> str:
        return new_id(self.prefix)

    def has_default(self) -> bool:
        return True

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        for key in ("max_length", "primary_key", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs
