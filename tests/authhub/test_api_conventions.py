"""What the kernel SDK expects of every endpoint: pagination headers, error bodies, retries, docs."""

from __future__ import annotations

import re

import httpx
import pytest
from kernel import BadRequestError

from credentials.models import Credential

pytestmark = pytest.mark.usefixtures("live_db")


def auth(tenant) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.key}"}


def test_the_sdk_iterates_every_page_in_a_stable_order(tenant, client):
    for i in range(45):
        client.credentials.create(name=f"page-{i:02d}", domain="example.com", values={})
    names = [credential.name for credential in client.credentials.list(limit=10)]
    assert names == [f"page-{i:02d}" for i in range(45)]


def test_pages_carry_has_more_and_next_offset_headers(tenant, client, server):
    for i in range(3):
        client.credentials.create(name=f"h{i}", domain="example.com", values={})
    first = httpx.get(f"{server.url}/credentials", params={"limit": 2}, headers=auth(tenant))
    assert (first.headers["X-Has-More"], first.headers["X-Next-Offset"]) == ("true", "2")
    assert isinstance(first.json(), list) and len(first.json()) == 2
    last = httpx.get(f"{server.url}/credentials", params={"limit": 2, "offset": 2}, headers=auth(tenant))
    assert (last.headers["X-Has-More"], last.headers["X-Next-Offset"]) == ("false", "0")


def test_the_default_page_is_20_and_limits_above_100_are_clamped(tenant, server):
    Credential.objects.bulk_create(
        Credential(organization=tenant.organization, project=tenant.project, name=f"bulk-{i:03d}", domain="example.com")
        for i in range(105)
    )
    assert len(httpx.get(f"{server.url}/credentials", headers=auth(tenant)).json()) == 20
    big = httpx.get(f"{server.url}/credentials", params={"limit": 500}, headers=auth(tenant))
    assert len(big.json()) == 100 and big.headers["X-Next-Offset"] == "100"


@pytest.mark.parametrize("params", [{"limit": "ten"}, {"limit": 0}, {"offset": -1}])
def test_bad_paging_parameters_are_a_400(client, params):
    with pytest.raises(BadRequestError) as info:
        client.credentials.list(**params)
    assert info.value.body["code"] == "invalid_request"


def test_client_errors_say_do_not_retry_and_are_json(tenant, server):
    response = httpx.get(f"{server.url}/credentials/nope", headers=auth(tenant))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Credential 'nope' was not found."}
    assert response.headers["x-should-retry"] == "false"


def test_unknown_routes_and_malformed_json_answer_json(tenant, server):
    missing = httpx.get(f"{server.url}/no/such/route", headers=auth(tenant))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    broken = httpx.post(
        f"{server.url}/credentials", content=b"{not json", headers={**auth(tenant), "Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_json"


def test_delete_answers_204(client, tenant, server):
    client.credentials.create(name="to-delete", domain="example.com", values={})
    assert httpx.delete(f"{server.url}/credentials/to-delete", headers=auth(tenant)).status_code == 204


def test_openapi_schema_docs_and_health_are_public(server):
    schema = httpx.get(f"{server.url}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/credentials", "/credentials/{ref}", "/credentials/{ref}/totp-code", "/proxies/{ref}/check", "/profiles"):
        assert path in paths
    docs = httpx.get(f"{server.url}/docs")
    assert docs.status_code == 200 and "redoc" in docs.text.lower()
    scripts = re.findall(r'<script src="([^"]+)"', docs.text)
    assert scripts, "the docs page loads Redoc from this server, not a CDN"
    for src in scripts:
        assert src.startswith("/static/")
        assert httpx.get(f"{server.url}{src}").status_code == 200
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
