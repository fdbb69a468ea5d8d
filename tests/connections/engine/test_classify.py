"""Field and page classification on saved pages, read by the real collector in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from connections.engine.classify import PageKind, Role
from connections.engine.snapshot import read_page

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def read(loop, browser_host):
    async def _read(name: str):
        context = await browser_host.browser.new_context()
        try:
            page = await context.new_page()
            # Served from a real-looking URL, so relative form actions resolve as on the site.
            html = (PAGES / name).read_text()
            await page.route("https://saved.example/**", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            await page.goto(f"https://saved.example/{name}")
            analysis, _ = await read_page(page)
            return analysis
        finally:
            await context.close()

    return lambda name: loop.run(_read(name))


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("login_classic.html", PageKind.LOGIN),
        ("identifier_first.html", PageKind.IDENTIFIER),
        ("totp.html", PageKind.OTP),
        ("email_code_split.html", PageKind.OTP),
        ("mfa_choice.html", PageKind.MFA_CHOICE),
        ("account_picker.html", PageKind.ACCOUNT_PICKER),
        ("stay_signed_in.html", PageKind.STAY_SIGNED_IN),
        ("consent.html", PageKind.CONSENT),
        ("captcha.html", PageKind.CAPTCHA),
        ("logged_in_menu.html", PageKind.LOGGED_IN),
        ("blog.html", PageKind.UNKNOWN),
        ("home_with_login_link.html", PageKind.ENTRY),
        ("push.html", PageKind.PUSH),
        ("passkey.html", PageKind.PASSKEY),
        ("shadow_login.html", PageKind.LOGIN),
        ("formless_spa.html", PageKind.IDENTIFIER),
    ],
)
def test_it_recognises_the_kind_of_page(read, page, kind):
    assert read(page).kind == kind


def test_a_classic_form_pairs_the_username_with_the_password_and_ignores_search_and_newsletter(read):
    analysis = read("login_classic.html")
    assert analysis.identifier.data["name"] == "login"
    assert analysis.identifier.role == Role.USERNAME
    assert analysis.password.data["name"] == "password"
    assert analysis.submit.data["name"] == "commit"
    assert analysis.remember is not None and analysis.remember.data["name"] == "remember_me"
    assert analysis.form_action == "https://saved.example/session"


def test_a_form_with_two_passwords_is_not_a_login_form(read):
    assert read("signup.html").kind != PageKind.LOGIN


def test_an_authenticator_page_is_a_totp_page_and_an_email_code_page_is_a_delivered_code(read):
    totp = read("totp.html")
    assert not totp.otp_delivered and len(totp.otp) == 1
    email = read("email_code_split.html")
    assert email.otp_delivered and len(email.otp) == 6


def test_mfa_choices_are_typed(read):
    analysis = read("mfa_choice.html")
    assert [t for t, _, _ in analysis.mfa_options] == ["totp", "sms", "email"]


def test_account_picker_options_have_labels_and_descriptions(read):
    analysis = read("account_picker.html")
    assert [(label, desc) for label, desc, _ in analysis.accounts] == [
        ("Acme Corp", "acme.example.com · 12 members"), ("Globex", "globex.example.com · 4 members"),
    ]


def test_shadow_dom_fields_are_found(read):
    analysis = read("shadow_login.html")
    assert analysis.identifier.data["name"] == "userid" and analysis.password.data["name"] == "pw"
    assert analysis.submit.text == "Log on"


def test_formless_single_page_app_uses_the_role_button(read):
    analysis = read("formless_spa.html")
    assert analysis.submit.text == "Continue"
    assert [name for name, _ in analysis.sso_buttons] == ["google"]


def test_a_logout_control_hidden_in_a_menu_still_means_logged_in(read):
    analysis = read("logged_in_menu.html")
    assert analysis.logged_in
