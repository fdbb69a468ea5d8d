"""The hosted login page, driven in a real Chromium by a simulated person while the runner drives the site."""

from __future__ import annotations

import re

import httpx
import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from connections.engine.engine import BASE_ARGS
from connections.models import LoginFlow
from tests.connections.flow_helpers import PASSWORD, awaiting_input, connect, wait_for, wait_until_finished
from tests.sites import accounts

pytestmark = [pytest.mark.usefixtures("live_db", "runner"), pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(BASE_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_person_signs_in_on_the_hosted_page_and_is_sent_back(client, sandbox, page, http_target, server):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    login = client.auth.connections.login(connection.id)
    back = f"http://127.0.0.1:{http_target.server_address[1]}/done"
    page.goto(f"{login.hosted_url}&success_url={back}")

    password = page.get_by_label("Password")
    expect(password).to_be_visible(timeout=30_000)
    expect(password).to_be_focused()
    assert page.locator("label[for]").first.get_attribute("for") == password.get_attribute("id")
    password.fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="You're signed in")).to_be_visible(timeout=30_000)
    page.wait_for_url(re.compile(r"/done\?"), timeout=10_000)
    assert "profile_name=" in page.url and "domain=classic.localhost" in page.url
    assert PASSWORD not in page.content()
    assert client.auth.connections.retrieve(connection.id).status == "AUTHENTICATED"
    log = server.log_text()
    assert f"GET /login/{connection.id} 200" in log, "the access log has the request…"
    assert login.handoff_code not in log, "…but not its single-use code"


def test_the_page_shows_the_sites_error_and_asks_again(client, sandbox, page):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": "wrong-horse"})
    login = client.auth.connections.login(connection.id)
    page.goto(login.hosted_url)
    expect(page.get_by_role("alert")).to_contain_text("Incorrect username or password", timeout=30_000)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="You're signed in")).to_be_visible(timeout=30_000)


def test_the_page_offers_mfa_choices_and_takes_the_sent_code(client, sandbox, page):
    connection = connect(client, sandbox, "mfa.localhost", "/login", values={"email": accounts.EMAIL, "password": PASSWORD})
    login = client.auth.connections.login(connection.id)
    page.goto(login.hosted_url)
    expect(page.get_by_role("heading", name="How do you want to verify it's you?")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name=re.compile("Email")).click()
    code_box = page.get_by_role("textbox")
    expect(code_box).to_be_visible(timeout=30_000)
    code_box.fill(sandbox.sent_codes("mfa.localhost")[-1])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="You're signed in")).to_be_visible(timeout=30_000)


def test_a_reused_or_expired_link_gets_a_friendly_page(client, sandbox, server, page, tenant):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    login = client.auth.connections.login(connection.id)
    wait_for(client, connection.id, awaiting_input)
    exchange = f"{server.url}/auth/connections/{connection.id}/exchange"
    assert httpx.post(exchange, json={"code": login.handoff_code}).status_code == 200
    reused = httpx.post(exchange, json={"code": login.handoff_code})
    assert reused.status_code == 401 and reused.json()["code"] == "code_used"
    assert httpx.post(exchange, json={"code": "made-up"}).status_code == 401

    response = page.goto(login.hosted_url)
    assert response.status == 401
    expect(page.get_by_role("heading", name="This link can't be used")).to_be_visible()

    fresh = client.auth.connections.login(connection.id)
    LoginFlow.objects.filter(connection_id=connection.id, status="IN_PROGRESS").update(
        status="EXPIRED", step="COMPLETED", finished_at=timezone.now())
    expired = httpx.post(exchange, json={"code": fresh.handoff_code})
    assert expired.status_code == 410 and expired.json()["code"] == "code_expired"
    assert page.goto(fresh.hosted_url).status == 410


def test_a_page_token_opens_its_own_connection_and_nothing_else(client, sandbox, server):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    other = client.auth.connections.create(domain="other.example", profile_name="p2")
    login = client.auth.connections.login(connection.id)
    token = httpx.post(f"{server.url}/auth/connections/{connection.id}/exchange", json={"code": login.handoff_code}).json()["jwt"]
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/auth/connections/{connection.id}", headers=auth).status_code == 200
    assert httpx.get(f"{server.url}/auth/connections/{other.id}", headers=auth).status_code == 404
    assert httpx.get(f"{server.url}/credentials", headers=auth).status_code == 403
    assert httpx.delete(f"{server.url}/auth/connections/{connection.id}", headers=auth).status_code == 403
    assert httpx.post(f"{server.url}/auth/connections/{connection.id}/login", headers=auth).status_code == 403
    wait_for(client, connection.id, awaiting_input)
    submitted = httpx.post(f"{server.url}/auth/connections/{connection.id}/submit", headers=auth,
                           json={"fields": {"password": PASSWORD}})
    assert submitted.json() == {"accepted": True}
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    bad = httpx.get(f"{server.url}/auth/connections/{connection.id}", headers={"Authorization": f"Bearer {token[:-3]}abc"})
    assert bad.status_code == 401


def test_a_failed_login_shows_why_and_returns_to_the_error_url(client, sandbox, page, http_target):
    client.credentials.create(name="cap", domain="captcha.localhost", values={"username": "alice", "password": PASSWORD})
    connection = client.auth.connections.create(domain="captcha.localhost", profile_name="cap", credential={"name": "cap"},
                                                login_url=sandbox.url("captcha.localhost", "/login"))
    login = client.auth.connections.login(connection.id)
    back = f"http://127.0.0.1:{http_target.server_address[1]}/failed"
    page.goto(f"{login.hosted_url}&error_url={back}&success_url=javascript:alert(1)")
    expect(page.get_by_role("heading", name="Sign-in didn't work")).to_be_visible(timeout=30_000)
    assert "CAPTCHA" in page.locator("#done").inner_text()
    page.wait_for_url(re.compile(r"/failed\?"), timeout=10_000)
    assert "code=captcha_blocked" in page.url


def test_a_link_opened_after_a_fast_login_shows_how_it_went(client, sandbox, page):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": PASSWORD})
    login = client.auth.connections.login(connection.id)
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    page.goto(login.hosted_url)
    expect(page.get_by_role("heading", name="You're signed in")).to_be_visible(timeout=30_000)
