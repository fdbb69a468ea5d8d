from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from rest_framework.request import Request
from rest_framework.views import APIView

from authhub.api.authentication import Principal
from authhub.api.exceptions import error_body
from authhub.models import Project


# Base for API views acting on the caller's project. (No docstring: drf-spectacular would show it as
# the description of every operation.)
class ProjectApi(APIView):
    request: Request

    @property
    def principal(self) -> Principal:
        return self.request.user  # type: ignore[return-value]

    @property
    def project(self) -> Project:
        return self.principal.project


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Any = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", f"No route for {request.method} {request.path}."), status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("internal_error", "Internal server error."), status=500)
