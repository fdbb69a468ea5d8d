from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, JsonResponse

from authhub.api.exceptions import error_body

logger = logging.getLogger("authhub.api")
_RETRYABLE = {408, 429}


def _mark(response: HttpResponse) -> HttpResponse:
    # The kernel SDK retries 409 (and other 4xx we'd rather it didn't) unless told not to.
    if 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE:
        response.headers.setdefault("x-should-retry", "false")
    return response


class ApiErrorMiddleware:
    """Adds ``x-should-retry: false`` to final 4xx answers and turns stray exceptions into JSON 500s."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):  # noqa: ANN204
        if self.is_async:
            return self.__acall__(request)
        return _mark(self.get_response(request))  # type: ignore[arg-type]

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        return _mark(await self.get_response(request))  # type: ignore[misc]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/admin/"):
            return None
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return JsonResponse(error_body("internal_error", "Internal server error."), status=500)


access_logger = logging.getLogger("authhub.access")


class AccessLogMiddleware:
    """One log line per request, without the query string: query strings can carry single-use codes
    and tokens (the hosted page's ``?code=``), so the server's own access log is switched off."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def _log(self, request: HttpRequest, response: HttpResponse, started: float) -> None:
        access_logger.info(
            "%s %s %s %.0fms", request.method, request.path, response.status_code, (time.perf_counter() - started) * 1000
        )

    def __call__(self, request: HttpRequest):  # noqa: ANN204
        if self.is_async:
            return self.__acall__(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self._log(request, response, started)  # type: ignore[arg-type]
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = await self.get_response(request)  # type: ignore[misc]
        self._log(request, response, started)
        return response
