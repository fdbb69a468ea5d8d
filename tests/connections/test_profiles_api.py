"""Browser profiles through the kernel SDK."""

from __future__ import annotations

import pytest
from kernel import BadRequestError, ConflictError, NotFoundError

pytestmark = pytest.mark.usefixtures("live_db")


def test_it_creates_retrieves_renames_lists_and_deletes_profiles(client):
    created = client.profiles.create(name="work-profile")
    assert created.id.startswith("prof_") and created.created_at is not None
    assert client.profiles.retrieve("work-profile").id == created.id
    assert client.profiles.retrieve(created.id).name == "work-profile"
    renamed = client.profiles.update(created.id, name="personal")
    assert renamed.name == "personal" and renamed.updated_at >= created.updated_at
    client.profiles.create(name="other")
    assert [p.name for p in client.profiles.list()] == ["personal", "other"]
    assert [p.name for p in client.profiles.list(name="other")] == ["other"]
    assert [p.name for p in client.profiles.list(query="erso")] == ["personal"]
    client.profiles.delete("personal")
    with pytest.raises(NotFoundError):
        client.profiles.retrieve(created.id)


def test_unnamed_profiles_are_allowed_and_names_are_unique(client):
    assert client.profiles.create().name is None
    assert client.profiles.create().name is None
    client.profiles.create(name="taken")
    with pytest.raises(ConflictError) as info:
        client.profiles.create(name="taken")
    assert info.value.body["code"] == "already_exists"
    client.profiles.create(name="free")
    with pytest.raises(ConflictError):
        client.profiles.update("free", name="taken")


@pytest.mark.parametrize("name", ["has space", "slash/no", "x" * 256, ""])
def test_it_rejects_invalid_profile_names(client, name):
    with pytest.raises(BadRequestError):
        client.profiles.create(name=name)
