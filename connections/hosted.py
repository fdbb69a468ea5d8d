"""The hosted login page: what an end user sees when an agent needs them to sign in."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from connections.models import AuthConnection, LoginFlow


def _safe_redirect(url: str | None) -> str | None:
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def login_page(request: HttpRequest, ref: str) -> HttpResponse:
    code = request.GET.get("code", "")
    digest = hashlib.sha256(code.encode()).hexdigest()
    connection = AuthConnection.objects.select_related("profile").filter(pk=ref).first()
    flow = None
    if connection is not None and code:
        flow = LoginFlow.objects.filter(connection=connection, handoff_code_hash__in=[digest, "used:" + digest]).first()
    problem = None
    status = 200
    if flow is None:
        problem, status = ("This sign-in link is not valid. Ask the app that sent you here for a new one.", 401)
    elif flow.handoff_code_hash.startswith("used:"):
        problem, status = ("This sign-in link was already used. Ask the app that sent you here for a new one.", 401)
    elif not flow.is_active or (flow.handoff_expires_at and flow.handoff_expires_at < timezone.now()):
        problem, status = ("This sign-in link has expired. Ask the app that sent you here for a new one.", 410)
    if problem:
        return render(request, "connections/link_problem.html", {"message": problem}, status=status)
    assert connection is not None
    return render(request, "connections/hosted_login.html", {
        "connection": connection,
        "code": code,
        "success_url": _safe_redirect(request.GET.get("success_url")),
        "error_url": _safe_redirect(request.GET.get("error_url")),
    })
