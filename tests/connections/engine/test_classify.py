"""Field and page classification on saved pages, read by the real collector in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from connections.engine import page_signals as signals
from connections.engine.classify import Frame, PageKind, Role
from connections.engine.snapshot import read_page

PAGES = Path(__file__).parent / "pages"


def saved(name: str, query: str = "") -> str:
    return f"https://saved.example/{name}{query}"


@pytest.fixture
def browse(loop, browser_host):
    """Opens a saved page and reads it once it has loaded, then again after each step: a selector to
    wait for, "click:<selector>" to click, or "call:<expression>" to run in the page."""

    async def _browse(name: str, steps: tuple[str, ...], query: str):
        context = await browser_host.browser.new_context()
        try:
            page = await context.new_page()
            # Served from a real-looking URL, so relative form actions resolve as on the site.
            html = (PAGES / name).read_text()
            await page.route("https://saved.example/**", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            await page.goto(saved(name, query))
            readings = [(await read_page(page))[0]]
            for step in steps:
                if step.startswith("click:"):
                    await page.click(step.removeprefix("click:"))
                elif step.startswith("call:"):
                    await page.evaluate(step.removeprefix("call:"))
                else:
                    await page.wait_for_selector(step, state="attached")
                readings.append((await read_page(page))[0])
            return readings
        finally:
            await context.close()

    return lambda name, *steps, query="": loop.run(_browse(name, steps, query))


@pytest.fixture
def read(browse):
    return lambda name, query="": browse(name, query=query)[0]


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


# --- interstitials: skippable prompts after the password -----------------------------------------


@pytest.mark.parametrize(
    ("page", "skip"),
    [
        ("interstitial_save_login.html", "Not now"),  # a div role=button
        ("interstitial_notifications.html", "Not Now"),
        ("interstitial_add_phone.html", "Remind me later"),
        ("interstitial_recovery_email.html", "Skip"),
        ("interstitial_passkey.html", "Skip for now"),
        ("interstitial_link_bank.html", "Not Now"),
        ("interstitial_secure_account.html", "Skip for now"),
    ],
)
def test_a_prompt_after_the_password_is_an_interstitial_skipped_without_enrolling(read, page, skip):
    analysis = read(page)
    assert analysis.kind == PageKind.INTERSTITIAL
    assert analysis.primary.text == skip


def test_the_save_login_info_prompt_is_skipped_through_its_div_button(read):
    primary = read("interstitial_save_login.html").primary
    assert primary.data["tag"] == "div" and primary.data["role"] == "button"


def test_an_interstitial_wins_over_the_signed_in_chrome_around_it(read):
    for page in ("interstitial_notifications.html", "interstitial_link_bank.html"):
        analysis = read(page)
        assert analysis.logged_in and analysis.kind == PageKind.INTERSTITIAL


def test_an_offer_to_set_up_a_second_factor_is_not_a_choice_of_second_factor(read):
    analysis = read("interstitial_secure_account.html")
    assert analysis.mfa_options == []


def test_a_recovery_email_prompt_is_not_an_identifier_step(read):
    analysis = read("interstitial_recovery_email.html")
    assert analysis.identifier is None


@pytest.mark.parametrize(
    ("page", "keep"),
    [("stay_signed_in.html", "Yes"), ("trust_device.html", "Trust"), ("stay_signed_in_not_now.html", "Stay signed in")],
)
def test_stay_signed_in_and_trust_this_device_are_answered_with_the_choice_that_keeps_the_session(read, page, keep):
    analysis = read(page)
    assert analysis.kind == PageKind.STAY_SIGNED_IN
    assert analysis.primary.text == keep


# --- cookie banners and consent walls ---------------------------------------------------------------


def test_a_blocking_onetrust_wall_is_rejected_and_the_step_under_it_still_read(read):
    analysis = read("consent_onetrust_identifier.html")
    assert analysis.kind == PageKind.IDENTIFIER, "the banner's 'allow our partners to access' is not OAuth consent"
    assert analysis.identifier.data["name"] == "email" and analysis.submit.text == "Continue"
    assert analysis.consent is not None and analysis.consent.text == "Reject All"


def test_a_modal_consent_dialog_is_rejected_and_its_buttons_are_not_accounts(read):
    analysis = read("consent_modal_picker.html")
    assert analysis.kind == PageKind.ACCOUNT_PICKER
    assert [label for label, _, _ in analysis.accounts] == ["Alice Example", "Use another account"]
    assert analysis.consent.text == "Reject all"


def test_a_cookie_bar_that_leaves_the_form_clickable_is_left_alone(read):
    analysis = read("cookie_bar_login.html")
    assert analysis.kind == PageKind.LOGIN and analysis.consent is None


def test_a_page_without_a_cookie_banner_has_no_consent_to_give(read):
    assert read("login_classic.html").consent is None


# --- SSO-only pages ------------------------------------------------------------------------------


def test_a_page_with_only_provider_buttons_is_an_identifier_step_offering_them(read):
    analysis = read("sso_only.html")
    assert analysis.kind == PageKind.IDENTIFIER
    assert [name for name, _ in analysis.sso_buttons] == ["google", "apple", "sso"]


def test_icon_only_provider_buttons_are_named_by_their_aria_label_or_title(read):
    analysis = read("sso_icons.html")
    assert analysis.kind == PageKind.IDENTIFIER
    assert [name for name, _ in analysis.sso_buttons] == ["google", "microsoft", "github", "sso"]


# --- entry points ----------------------------------------------------------------------------------


def test_a_greeting_split_over_two_lines_is_still_the_sign_in_entry(read):
    analysis = read("entry_amazon.html")
    assert analysis.kind == PageKind.ENTRY and analysis.primary.data["id"] == "nav-link-accountList"
    assert not analysis.primary_opens_menu


def test_sign_in_as_its_own_link_inside_a_greeting_is_the_entry_and_register_is_not(read):
    analysis = read("entry_greeting.html")
    assert analysis.kind == PageKind.ENTRY and analysis.primary.text == "Sign in"
    assert analysis.entries == ["Sign in"]


def test_an_icon_only_header_entry_is_preferred_to_a_footer_link(read):
    analysis = read("entry_icon_footer.html")
    assert analysis.primary.data["href"] == "/account/login"


def test_a_label_nested_in_divs_inside_a_button_is_an_entry(read):
    analysis = read("entry_nested_button.html")
    assert analysis.kind == PageKind.ENTRY and analysis.primary.data["id"] == "login-button"


@pytest.mark.parametrize(("page", "trigger"), [("entry_hover_menu.html", "My profile"), ("entry_hamburger.html", "Menu")])
def test_a_sign_in_hidden_in_a_menu_is_reached_by_opening_the_menu(read, page, trigger):
    analysis = read(page)
    assert analysis.kind == PageKind.ENTRY and analysis.primary_opens_menu
    assert analysis.primary.data["aria"] == trigger


def test_the_submit_button_of_a_login_form_is_not_an_entry_point(read):
    assert read("login_classic.html").entries == []
    assert read("home_with_login_link.html").entries == ["Log in"]


# --- forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "kind"),
    [("form_hash_action.html", PageKind.LOGIN), ("form_no_action_outside_submit.html", PageKind.LOGIN),
     ("form_disabled_submit.html", PageKind.LOGIN), ("form_fetch_spa.html", PageKind.LOGIN),
     ("formless_spa.html", PageKind.IDENTIFIER)],
)
def test_a_form_without_a_usable_action_is_sent_to_the_document_url_by_script(read, page, kind):
    analysis = read(page)
    assert analysis.kind == kind
    assert analysis.form_action == saved(page)
    assert analysis.form_scripted


def test_a_form_with_an_action_is_not_scripted(read):
    analysis = read("login_classic.html")
    assert analysis.form_action == "https://saved.example/session" and not analysis.form_scripted


def test_a_div_role_button_submits_a_form_whose_action_is_a_hash(read):
    analysis = read("form_hash_action.html")
    assert analysis.kind == PageKind.LOGIN
    assert analysis.submit.text == "Log in" and analysis.submit.data["role"] == "button"


def test_a_submit_outside_the_form_tied_by_its_form_attribute_is_the_forms_submit(read):
    analysis = read("form_no_action_outside_submit.html")
    assert analysis.submit.text == "Continue" and analysis.submit.group == analysis.password.group


def test_a_submit_disabled_until_the_fields_are_filled_is_still_the_submit(read):
    analysis = read("form_disabled_submit.html")
    assert analysis.submit.text == "Log in" and analysis.submit.data["disabled"]


def test_of_two_copies_of_a_form_only_the_visible_one_is_used(read):
    analysis = read("form_cognito.html")
    assert analysis.kind == PageKind.LOGIN
    assert analysis.identifier.group == analysis.password.group == analysis.submit.group
    assert analysis.form_action.startswith("https://saved.example/login?client_id=abc123") and not analysis.form_scripted
    assert analysis.website_error is None, "the hidden error template is not an error"


# --- the site's own error messages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "error"),
    [
        ("error_keycloak.html", "Invalid username or password."),  # aria-invalid + aria-describedby
        ("error_okta.html", "Unable to sign in"),  # o-form-error-container
        ("error_with_link.html", "The password you entered is incorrect. Reset your password"),  # a link and a close button inside
        ("error_ebay.html", "Oops, that's not a match."),  # inline-notice
        ("error_snackbar.html", "Wrong email or password"),  # role=status snackbar
        ("error_live_assertive.html", "Your email or password is incorrect. Try again or reset your password."),  # aria-live
        ("error_toast_class.html", "Sign in failed. Please check your credentials."),  # a toast by class, next to a welcome one
    ],
)
def test_the_sites_error_message_is_read_in_each_common_shape(read, page, error):
    assert read(page).website_error == error


def test_help_text_status_messages_hidden_templates_and_success_toasts_are_not_errors(read):
    assert read("error_free_login.html").website_error is None


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?error=access_denied&error_description=The+user+denied+the+request.", "The user denied the request."),
        ("?error=invalid_credentials", "Invalid credentials"),
        ("?login=failed", "Login failed"),
        ("?authError=1", "Authentication failed"),
    ],
)
def test_an_error_carried_in_the_url_is_read_when_the_page_shows_none(read, query, error):
    assert read("login_classic.html", query=query).website_error == error


def test_the_pages_own_error_wins_over_the_one_in_the_url(read):
    assert read("error_okta.html", query="?error=1").website_error == "Unable to sign in"


@pytest.mark.parametrize("query", ["?error=login_required&state=x", "?error=0", "?login=1", "?next=%2Ferror"])
def test_a_url_that_reports_no_failure_is_no_error(query):
    assert signals.url_error(saved("login_classic.html", query)) is None


@pytest.mark.parametrize(
    ("buttons", "chosen"),
    [
        (["Cookies Settings", "Reject All", "Accept All Cookies"], "Reject All"),
        (["Accept all", "Use necessary cookies only"], "Use necessary cookies only"),
        (["Manage options", "Only essential", "Agree"], "Only essential"),
        (["Customize", "Accept"], "Accept"),
        (["Learn more", "Got it"], "Got it"),
    ],
)
def test_a_blocking_banner_is_cleared_by_rejecting_when_it_offers_to_else_by_accepting(buttons, chosen):
    clickables = [{"ref": str(n), "text": text, "banner": "b"} for n, text in enumerate(buttons)]
    frame = Frame(0, "https://saved.example/", {"banners": [{"ref": "b", "blocking": True}], "clickables": clickables})
    assert signals.consent_button([frame])[1]["text"] == chosen
    frame.data["banners"][0]["blocking"] = False
    assert signals.consent_button([frame]) is None, "a banner that leaves the page usable is left alone"


# --- pages still loading -----------------------------------------------------------------------------


def test_a_skeleton_page_is_busy_and_the_form_rendered_later_reads_normally(browse):
    loading, _, rendered = browse("spa_skeleton.html", "call:dataArrived()", "input[type=password]")
    assert loading.busy and loading.kind == PageKind.UNKNOWN
    assert not rendered.busy and rendered.kind == PageKind.LOGIN


def test_requests_still_in_flight_make_a_page_busy(read):
    analysis = read("pending_fetch.html")
    assert analysis.busy and analysis.kind == PageKind.LOGIN
    assert not read("login_classic.html").busy


# --- MFA factor rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "types"),
    [
        ("mfa_rows_select.html", ["email", "sms", "totp"]),  # li rows, a generic "Select" each
        ("mfa_okta_rows.html", ["push", "totp", "sms", "passkey"]),  # "Select" links described by aria-label
        ("mfa_keycloak.html", ["totp", "passkey", "email"]),  # the row is the button; recovery codes are no method
        ("mfa_table_rows.html", ["passkey", "call", "sms"]),  # table rows with arrows, listitem cards
        ("mfa_options_listbox.html", ["push", "totp", "sms", "call"]),  # role=option tiles that say what they do
    ],
)
def test_mfa_method_rows_are_typed_by_their_heading(read, page, types):
    analysis = read(page)
    assert analysis.kind == PageKind.MFA_CHOICE
    assert [t for t, _, _ in analysis.mfa_options] == types


def test_each_mfa_row_is_labelled_by_its_heading_and_chosen_through_its_own_control(read):
    options = read("mfa_rows_select.html").mfa_options
    assert [label for _, label, _ in options] == ["Email", "Text message", "Authenticator app"]
    assert {el.text for _, _, el in options} == {"Select"} and len({el.ref for _, _, el in options}) == 3
    rows = read("mfa_keycloak.html").mfa_options
    assert [label for _, label, _ in rows] == ["Authenticator Application", "Security Key", "Email"]
    assert all(el.data["tag"] == "button" for _, _, el in rows)


# --- the step's signature --------------------------------------------------------------------------


def test_the_signature_stays_the_same_when_a_single_page_app_renders_the_same_form_again(browse):
    first, _, again = browse("rerender_login.html", "call:dataArrived()", "#root[data-renders='2']")
    assert first.password.ref != again.password.ref, "the form was rendered again"
    assert first.signature == again.signature


def test_the_signature_changes_when_another_step_replaces_the_form(browse):
    sms, _, app = browse("step_swap.html", "click:button[type=submit]", "form[action='/challenge/totp']")
    assert sms.kind == app.kind == PageKind.OTP
    assert sms.signature != app.signature


# --- session evidence, on every page ---------------------------------------------------------------


def test_session_evidence_is_read_on_every_page(read):
    menu = read("logged_in_menu.html")
    assert menu.logout == ["Sign out"] and "alice" in menu.account and menu.entries == []
    avatar = read("logged_in_avatar.html")
    assert avatar.account == ["AS", "Alice Smith"], "the initials button and the avatar, not the Products menu"
    assert avatar.logout == [] and avatar.entries == []
    home = read("home_with_login_link.html")
    assert home.entries == ["Log in"] and home.account == [] and home.logout == []
    assert "The best anvils" in home.text and not home.password_visible
    assert read("login_classic.html").password_visible
