"""The login engine: Playwright drives Chromium through a site's login. Django-free by design:
dataclasses in (``LoginRequest``) and out (``LoginResult``), so it can be tested alone."""

from connections.engine.engine import BrowserHost, EngineConfig, LoginEngine
from connections.engine.hosts import HostPolicy
from connections.engine.types import (
    Choice,
    DiscoveredField,
    ErrorCode,
    Field,
    FlowStep,
    LoginPlan,
    LoginRequest,
    LoginResult,
    MfaOption,
    Mode,
    Outcome,
    Pause,
    SignInOption,
    SsoButton,
    StepEvent,
    UserInput,
)

__all__ = [
    "BrowserHost", "Choice", "DiscoveredField", "EngineConfig", "ErrorCode", "Field", "FlowStep", "HostPolicy",
    "LoginEngine", "LoginPlan", "LoginRequest", "LoginResult", "MfaOption", "Mode", "Outcome", "Pause",
    "SignInOption", "SsoButton", "StepEvent", "UserInput",
]
