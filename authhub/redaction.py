"""Keeps secrets out of logs and error reports.

Services register every secret value they handle (credential values, TOTP secrets, proxy passwords)
with ``register_secret``. A log-record factory rewrites any record whose message or exception text
contains one, before any handler, formatter or test capture can see it; a handler filter does the
same as a second line of defence, and mapping arguments under secret-looking keys are masked.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

MASK = "[REDACTED]"
# Shorter values would mask ordinary words; they are still never logged by AuthHub itself.
MIN_SECRET_LENGTH = 4
_TTL_SECONDS = 6 * 3600
_MAX_SECRETS = 20_000
SECRET_KEY_PATTERN = re.compile(r"pass|secret|token|totp|otp|api[_-]?key|authorization|cookie|ca_bundle|handoff|jwt", re.I)


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: OrderedDict[str, float] = OrderedDict()
        self._pattern: re.Pattern[str] | None = None

    def add(self, values: Iterable[str]) -> None:
        now = time.monotonic()
        with self._lock:
            changed = False
            for value in values:
                if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
                    continue
                if value not in self._secrets:
                    changed = True
                self._secrets[value] = now + _TTL_SECONDS
                self._secrets.move_to_end(value)
            while len(self._secrets) > _MAX_SECRETS:
                self._secrets.popitem(last=False)
                changed = True
            if changed:
                self._pattern = None

    def pattern(self) -> re.Pattern[str] | None:
        with self._lock:
            now = time.monotonic()
            expired = [value for value, until in self._secrets.items() if until < now]
            for value in expired:
                del self._secrets[value]
            if expired:
                self._pattern = None
            if self._pattern is None and self._secrets:
                # Longest first, so a secret containing another is masked whole.
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(value) for value in ordered))
            return self._pattern if self._secrets else None


_registry = _Registry()


def register_secret(*values: str | None) -> None:
    _registry.add(value for value in values if value)


def register_secrets(values: Iterable[str | None]) -> None:
    _registry.add(value for value in values if value)


def redact(text: str) -> str:
    pattern = _registry.pattern()
    return pattern.sub(MASK, text) if pattern and text else text


def _mask_mapping(args: Any) -> Any:
    if isinstance(args, dict):
        return {
            key: MASK if isinstance(key, str) and SECRET_KEY_PATTERN.search(key) else value
            for key, value in args.items()
        }
    return args


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_authhub_scrubbed", False):
        return record
    record._authhub_scrubbed = True  # type: ignore[attr-defined]
    if isinstance(record.args, dict):
        record.args = _mask_mapping(record.args)
    pattern = _registry.pattern()
    if pattern is None:
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string must not break logging
        message = str(record.msg)
    if pattern.search(message):
        record.msg, record.args = pattern.sub(MASK, message), ()
    if record.exc_info and record.exc_info[1] is not None:
        formatted = logging.Formatter().formatException(record.exc_info)
        if pattern.search(formatted):
            record.exc_text = pattern.sub(MASK, formatted)
    if record.exc_text and pattern.search(record.exc_text):
        record.exc_text = pattern.sub(MASK, record.exc_text)
    return record


def install_record_factory() -> None:
    current = logging.getLogRecordFactory()
    if getattr(current, "_authhub", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(current(*args, **kwargs))

    factory._authhub = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record._authhub_scrubbed = False  # type: ignore[attr-defined]
        scrub_record(record)
        return True


class SecretExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django error reports: hide every request body field and secret-looking settings and locals."""

    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|AUTHORIZATION|MASTER", flags=re.I)

    def get_post_parameters(self, request: Any) -> Any:
        params = super().get_post_parameters(request)
        if params is None:
            return params
        cleansed = params.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [(name, self.cleansed_substitute) for name, _ in super().get_traceback_frame_variables(request, tb_frame)]
