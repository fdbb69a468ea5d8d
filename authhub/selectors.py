from __future__ import annotations

from typing import TypeVar

from django.db import models

from authhub.errors import NotFound

M = TypeVar("M", bound=models.Model)


def get_by_id_or_name(queryset: models.QuerySet[M], ref: str, label: str) -> M:
    """Kernel's ``{id_or_name}`` lookups: the id wins, then the name, within the given queryset."""
    found = queryset.filter(pk=ref).first() or queryset.filter(name=ref).first()
    if found is None:
        raise NotFound(f"{label} {ref!r} was not found.")
    return found
