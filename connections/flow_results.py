"""What a successful login leaves behind: the profile's browser state, merged, and what the person
typed, saved to a credential for the site it was typed on. Called by ``flows.flow_finish`` inside its
transaction."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from connections.engine.hosts import IDENTIFIER_KEYS, host_matches, normalize_root
from connections.models import AuthConnection, Profile

logger = logging.getLogger(__name__)

SAVE_ACTOR = "system:login-flow"  # who the audit trail names for what save_credentials writes


def _cookie_key(cookie: dict[str, Any]) -> tuple[str, str, str]:
    return cookie.get("domain", ""), cookie.get("name", ""), cookie.get("path", "/")


def profile_state_merge(*, profile_id: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """Fold what a login changed into the profile, under the profile's lock.

    Only cookies (by domain, name, path) and origins that changed since the login started are written,
    so two logins of one profile on different domains never undo each other.
    """
    before = before or {}
    old_cookies = {_cookie_key(c): c for c in before.get("cookies", [])}
    old_origins = {o["origin"]: o for o in before.get("origins", [])}
    changed_cookies = [c for c in after.get("cookies", []) if old_cookies.get(_cookie_key(c)) != c]
    changed_origins = [o for o in after.get("origins", []) if old_origins.get(o["origin"]) != o]
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile_id)
        current = profile.state or {}
        cookies = {_cookie_key(c): c for c in current.get("cookies", [])}
        cookies.update({_cookie_key(c): c for c in changed_cookies})
        origins = {o["origin"]: o for o in current.get("origins", [])}
        origins.update({o["origin"]: o for o in changed_origins})
        profile.state = {"cookies": list(cookies.values()), "origins": list(origins.values())}
        profile.updated_at = profile.last_used_at = timezone.now()
        profile.save(update_fields=["state", "updated_at", "last_used_at"])


def _save_for_site(connection: AuthConnection, host: str, values: dict[str, str], *, sso_provider: str = "") -> Any:
    """Merge ``values`` into this connection's profile's credential for ``host`` — the one AuthHub named
    for it earlier, when it is still for that host — or into a new one. Returns the credential."""
    from credentials import services as credential_services
    from credentials.models import Credential

    base = f"{host} ({connection.profile.name or connection.profile_id})"
    name, n = base, 2
    while (existing := Credential.objects.filter(project=connection.project, name=name).first()) is not None:
        if existing.domain == host:
            return credential_services.credential_update(credential=existing, actor=SAVE_ACTOR, values=values)[0]
        # Someone named a credential for another site like this: never merge into it.
        name, n = f"{base} {n}", n + 1
    return credential_services.credential_create(
        project=connection.project, actor=SAVE_ACTOR, name=name, domain=host, values=values,
        sso_provider=sso_provider or None,
    )


def typed_values_save(connection: AuthConnection, typed: dict[str, str], hosts: dict[str, str]) -> None:
    """Save what a person typed, each value to a credential for the site it was typed on.

    The next re-authentication types a stored credential's secrets only on that credential's domain, so
    a secret saved under another site's credential would be useless there — or worse, typed where it does
    not belong. Secrets are grouped by the host they were typed on and no credential ever receives two
    sites' secrets; identifiers (username, email) go with every group, since each site needs them beside
    its own secrets.
    """
    from credentials import services as credential_services

    identifiers = {key: value for key, value in typed.items() if key in IDENTIFIER_KEYS}
    groups: dict[str, dict[str, str]] = {}
    for key, value in typed.items():
        if key in IDENTIFIER_KEYS:
            continue
        host = (hosts.get(key) or "").lower().rstrip(".")
        if not host:
            # Where it was typed is what decides where it may be saved: without it, keep nothing.
            logger.warning("connection %s: %r was typed on an unreported host; not saved", connection.pk, key)
            continue
        groups.setdefault(host, {})[key] = value

    linked = connection.credential
    if not groups and not identifiers:
        return
    if not groups:
        # Only identifiers: they may go with any site's credential, so the linked one (or a new one for
        # the connection's own domain) takes them.
        if linked is not None:
            credential_services.credential_update(credential=linked, actor=SAVE_ACTOR, values=identifiers)
        else:
            created = _save_for_site(connection, normalize_root(connection.domain), identifiers)
            AuthConnection.objects.filter(pk=connection.pk).update(credential=created)
        return

    linked_root = normalize_root(linked.domain) if linked is not None else ""
    saved: dict[str, Any] = {}
    for host, secrets_ in groups.items():
        values = {**identifiers, **secrets_}
        if linked is not None and host_matches(host, linked_root):
            saved[host] = credential_services.credential_update(credential=linked, actor=SAVE_ACTOR, values=values)[0]
        else:
            # Should it replace the link, it keeps what the login needs beyond values (which SSO button).
            saved[host] = _save_for_site(connection, host, values, sso_provider=linked.sso_provider if linked else "")

    if linked is None or all(credential.pk != linked.pk for credential in saved.values()):
        # The linked credential covers none of the sites typed on (or there is none): link the one of the
        # site that took the password, so the next re-auth has it.
        password_host = (hosts.get("password") or "").lower().rstrip(".")
        chosen = saved.get(password_host) or next(iter(saved.values()))
        AuthConnection.objects.filter(pk=connection.pk).update(credential=chosen)


