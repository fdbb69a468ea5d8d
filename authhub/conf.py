"""AuthHub's own settings: one typed, namespaced object read from the environment.

Django settings stay in ``authhub/settings.py``; everything specific to AuthHub lives in
``settings.AUTHHUB`` (an ``AuthHubSettings``), built once by ``load()``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from authhub.env import env_bool, env_choice, env_int, env_json, env_list, env_path, env_secret, env_str
from authhub.netpolicy import PRODUCTION as PRODUCTION_NETWORK
from authhub.netpolicy import NetworkPolicy

BASE_DIR = Path(__file__).resolve().parent.parent
PROXY_POOL_TYPES = ("datacenter", "isp", "residential", "mobile")


@dataclass(frozen=True)
class AuthHubSettings:
    env: str
    data_dir: Path
    host: str
    port: int
    public_base_url: str
    master_key_file: Path
    secret_key: str
    log_level: str
    database_url: str
    redis_url: str
    # Proxy types other than "custom" need a pool this self-hosted service does not have; an operator
    # may map each one to an upstream proxy URL (http://user:pass@host:port).
    proxy_upstreams: dict[str, str] = field(default_factory=dict)
    # Which addresses AuthHub and its browsers may reach (AUTHHUB_ALLOW_PRIVATE_NETWORK, _ALLOW).
    network: NetworkPolicy = PRODUCTION_NETWORK
    # host -> IP the browsers' egress guard uses instead of DNS (split-horizon names; the sandbox in tests).
    egress_hosts: dict[str, str] = field(default_factory=dict)
    proxy_check_timeout: float = 10.0
    proxy_check_url: str = ""
    chromium_path: str = "/usr/bin/chromium"
    chromium_args: tuple[str, ...] = ()
    # Host -> port for discovery from a bare domain (tests serve sandbox sites on one port).
    site_ports: dict[str, int] = field(default_factory=dict)
    runner_max_flows: int = 50
    runner_poll_seconds: float = 0.05
    # A runner silent for this long is considered dead and its flows end EXPIRED.
    runner_dead_after: float = 30.0

    @property
    def production(self) -> bool:
        return self.env == "production"


def _private_file(path: Path, make: callable) -> str:  # type: ignore[valid-type]
    """Read a development-only generated secret, creating it (mode 0600) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    return path.read_text().strip()


def load() -> AuthHubSettings:
    env = env_choice("AUTHHUB_ENV", "development", ("development", "production"))
    production = env == "production"
    data_dir = env_path("AUTHHUB_DATA_DIR", BASE_DIR / ".authhub")
    # Private: it holds the database, keys and recordings.
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    port = env_int("AUTHHUB_PORT", 8000, minimum=1, maximum=65535)
    host = env_str("AUTHHUB_HOST", "127.0.0.1")

    public_base_url = env_str("AUTHHUB_PUBLIC_URL", f"http://{host}:{port}").rstrip("/")
    if urlsplit(public_base_url).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"AUTHHUB_PUBLIC_URL={public_base_url!r}: must be an http(s) URL")

    master_key_file = env_path("AUTHHUB_MASTER_KEY_FILE", data_dir / "master-key.json")
    secret_key = env_secret("AUTHHUB_SECRET_KEY")
    if production:
        if not secret_key or len(secret_key) < 32:
            raise ImproperlyConfigured(
                "AUTHHUB_ENV=production needs AUTHHUB_SECRET_KEY (or AUTHHUB_SECRET_KEY_FILE), 32+ characters"
            )
        if not env_str("AUTHHUB_MASTER_KEY_FILE"):
            raise ImproperlyConfigured(
                "AUTHHUB_ENV=production needs AUTHHUB_MASTER_KEY_FILE: a Tink JSON keyset "
                "(create one with `python manage.py rotatekeys --create-master-key PATH`)"
            )
        if not master_key_file.is_file():
            raise ImproperlyConfigured(f"AUTHHUB_MASTER_KEY_FILE={master_key_file}: no such file")
    elif not secret_key:
        secret_key = _private_file(data_dir / "secret-key", lambda: secrets.token_urlsafe(48))

    upstreams = env_json("AUTHHUB_PROXY_UPSTREAMS", {})
    if not isinstance(upstreams, dict) or not all(
        key in PROXY_POOL_TYPES and isinstance(value, str) and urlsplit(value).scheme in ("http", "https")
        for key, value in upstreams.items()
    ):
        raise ImproperlyConfigured(
            "AUTHHUB_PROXY_UPSTREAMS: expected a JSON object mapping proxy types "
            f"({', '.join(PROXY_POOL_TYPES)}) to http(s) proxy URLs"
        )

    return AuthHubSettings(
        env=env,
        data_dir=data_dir,
        host=host,
        port=port,
        public_base_url=public_base_url,
        master_key_file=master_key_file,
        secret_key=secret_key,
        log_level=env_choice("AUTHHUB_LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
        database_url=env_str("DATABASE_URL"),
        redis_url=env_str("REDIS_URL"),
        proxy_upstreams=upstreams,
        network=_network(production),
        egress_hosts=_egress_hosts(env_json("AUTHHUB_EGRESS_HOSTS", {})),
        proxy_check_url=env_str("AUTHHUB_PROXY_CHECK_URL"),
        proxy_check_timeout=float(env_int("AUTHHUB_PROXY_CHECK_TIMEOUT", 10, minimum=1, maximum=60)),
        chromium_path=env_str("AUTHHUB_CHROMIUM", "/usr/bin/chromium"),
        chromium_args=tuple(env_str("AUTHHUB_CHROMIUM_ARGS").split()),
        site_ports=_site_ports(env_json("AUTHHUB_SITE_PORTS", {})),
        runner_max_flows=env_int("AUTHHUB_RUNNER_MAX_FLOWS", 50, minimum=1, maximum=1000),
        runner_poll_seconds=env_int("AUTHHUB_RUNNER_POLL_MS", 50, minimum=5, maximum=5000) / 1000,
        runner_dead_after=float(env_int("AUTHHUB_RUNNER_DEAD_AFTER", 30, minimum=2, maximum=600)),
    )


def _network(production: bool) -> NetworkPolicy:
    try:
        return NetworkPolicy.from_entries(
            allow_private=env_bool("AUTHHUB_ALLOW_PRIVATE_NETWORK", not production),
            entries=env_list("AUTHHUB_PRIVATE_NETWORK_ALLOW"),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"AUTHHUB_PRIVATE_NETWORK_ALLOW: {exc}") from None


def _egress_hosts(value: object) -> dict[str, str]:
    import ipaddress

    try:
        if not isinstance(value, dict):
            raise ValueError
        return {str(host).lower().rstrip("."): str(ipaddress.ip_address(ip)) for host, ip in value.items()}
    except ValueError:
        raise ImproperlyConfigured("AUTHHUB_EGRESS_HOSTS: expected a JSON object mapping host names to IP addresses") from None


def _site_ports(value: object) -> dict[str, int]:
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise ImproperlyConfigured("AUTHHUB_SITE_PORTS: expected a JSON object mapping host names to ports")
    return {str(k).lower(): int(v) for k, v in value.items()}
