"""The hosted login page: what an end user sees when an agent needs them to sign in."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from connections.flows import code_problem, flow_for_code
from connections.models import AuthConnection


def _safe_redirect(url: str | None) -> str | None:
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def login_page(request: HttpRequest, ref: str) -> HttpResponse:
    code = request.GET.get("code", "")
    connection = AuthConnection.objects.select_related("profile").filter(pk=ref).first()
    flow, digest = flow_for_code(ref, code) if connection is not None and code else (None, "")
    problem = code_problem(flow, digest)
    if problem is not None:
        _, message, status = problem
        return render(request, "connections/link_problem.html", {"message": message}, status=status)
    assert connection is not None
    return render(request, "connections/hosted_login.html", {
        "connection": connection,
        "code": code,
        "success_url": _safe_redirect(request.GET.get("success_url")),
        "error_url": _safe_redirect(request.GET.get("error_url")),
    })
