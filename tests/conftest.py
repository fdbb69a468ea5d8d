"""Shared fixtures: a migrated database, a live AuthHub server and tenants with kernel SDK clients.

Each pytest-xdist worker has its own data directory (tests/settings.py), database and server.
Tests isolate themselves by tenant: every ``tenant`` is a fresh organization with its own key.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from kernel import Kernel

from authhub import services
from authhub.models import ApiKey, Organization, Project
from tests.sites.server import SITE_CLASSES, SandboxServer
from tests.support.servers import AuthHubServer, BrowserRunnerProcess, ForwardProxy, start_target

_counter = itertools.count()


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker) -> None:  # noqa: ANN001
    """Use the real (per-worker) SQLite file, migrated, so a live server can share it."""
    with django_db_blocker.unblock():
        call_command("migrate", verbosity=0)


@pytest.fixture
def live_db(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    """ORM access with no wrapping transaction: what a test writes, the live server sees."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="session")
def http_target():
    server = start_target()
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def upstream_proxy() -> Iterator[ForwardProxy]:
    """The forward proxy the operator maps the 'isp' proxy type to."""
    proxy = ForwardProxy()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """The sandbox login sites (tests/sites), one per pattern, on *.localhost hosts."""
    sites = SandboxServer().start()
    yield sites
    sites.stop()


EGRESS_NAMES = ("acme.okta.com", "evil.okta.com", "bank.example.com")


def sandbox_ports(sandbox: SandboxServer) -> str:
    return json.dumps({host: sandbox.port for cls in SITE_CLASSES for host in cls.hosts})


@pytest.fixture(scope="session")
def server(django_db_setup, upstream_proxy, http_target, sandbox) -> Iterator[AuthHubServer]:  # noqa: ANN001
    live = AuthHubServer(
        settings.AUTHHUB.data_dir,
        env={
            "AUTHHUB_LOG_LEVEL": "debug",
            "AUTHHUB_PROXY_UPSTREAMS": json.dumps({"isp": f"http://127.0.0.1:{upstream_proxy.port}"}),
            "AUTHHUB_PROXY_CHECK_URL": f"http://127.0.0.1:{http_target.server_address[1]}/generate_204",
            "AUTHHUB_SITE_PORTS": sandbox_ports(sandbox),
        },
    ).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def runner(server, sandbox) -> Iterator[BrowserRunnerProcess]:  # noqa: ANN001
    """A real browser runner (``manage.py runbrowser``) sharing the live server's database."""
    process = BrowserRunnerProcess(settings.AUTHHUB.data_dir, env={
        "AUTHHUB_SITE_PORTS": sandbox_ports(sandbox),
        # Sandbox sites under real-world names (tenants of a shared identity-provider root).
        "AUTHHUB_EGRESS_HOSTS": json.dumps(dict.fromkeys(EGRESS_NAMES, "127.0.0.1")),
    }).start()
    yield process
    process.stop()


@dataclass
class Tenant:
    organization: Organization
    project: Project
    api_key: ApiKey
    key: str
    base_url: str

    def client(self, **kwargs: object) -> Kernel:
        return Kernel(api_key=self.key, base_url=self.base_url, **kwargs)


@pytest.fixture
def make_tenant(live_db, server) -> Callable[..., Tenant]:  # noqa: ANN001
    def make(*, org_wide: bool = False, name: str | None = None) -> Tenant:
        organization = services.organization_create(name=name or f"org-{os.getpid()}-{next(_counter)}")
        project = organization.default_project()
        api_key, key = services.apikey_create(organization=organization, project=None if org_wide else project)
        return Tenant(organization, project, api_key, key, server.url)

    return make


@pytest.fixture
def tenant(make_tenant) -> Tenant:  # noqa: ANN001
    return make_tenant()


@pytest.fixture
def client(tenant: Tenant) -> Kernel:
    return tenant.client()


def pytest_sessionfinish(session, exitstatus):  # noqa: ANN001
    """Remove this worker's data directory after a green run; keep it (logs, database) to debug a red one."""
    import shutil

    if exitstatus == 0 and not os.environ.get("AUTHHUB_TEST_DATA_DIR"):
        shutil.rmtree(settings.AUTHHUB.data_dir, ignore_errors=True)
