import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def test_keyboard_picks_saint_etienne_in_the_profile_form(live_server, page, alice):
    log_in(page, live_server, alice)
    errors = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/espace/profil/")
    field = page.get_by_role("combobox", name="Commune")

    field.fill("st etienne")
    listbox = page.get_by_role("listbox", name="Communes proposées")
    expect(listbox.get_by_role("option").first).to_contain_text("Saint-Étienne (42)")
    expect(page.get_by_role("status")).to_contain_text("communes trouvées")
    field.press("ArrowDown")
    expect(field).to_have_attribute(
        "aria-activedescendant", "commune-picker-1-option-0"
    )
    field.press("Enter")

    expect(field).to_have_value("Saint-Étienne (42)")
    expect(field).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{live_server.url}/espace/")
    alice.refresh_from_db()
    assert alice.commune_id == "42218"
    assert errors == []


def test_escape_closes_the_list_and_typed_text_is_resolved_by_the_server(
    live_server, page, alice
):
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/espace/profil/")
    field = page.get_by_role("combobox", name="Commune")

    field.fill("Belley")
    expect(page.get_by_role("option").first).to_contain_text("Belley (01)")
    field.press("Escape")
    expect(field).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url(f"{live_server.url}/espace/")
    alice.refresh_from_db()
    assert alice.commune_id == "01034"


def test_a_phone_user_taps_a_commune_and_the_list_passes_axe(
    live_server, browser, alice
):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/espace/profil/")
    field = page.get_by_role("combobox", name="Commune")

    field.fill("l isle d abeau")
    option = page.get_by_role("option", name="L'Isle-d'Abeau (38)")
    expect(option).to_be_visible()
    results = Axe().run(page, context=".commune-picker")
    option.tap()

    expect(field).to_have_value("L'Isle-d'Abeau (38)")
    expect(page.locator("input[type=hidden][name=commune]")).to_have_value("38193")
    assert results.violations_count == 0, results.generate_report()
    context.close()


def test_picked_commune_whose_insee_code_is_a_postal_code_stays_itself(
    live_server, page, alice
):
    # Ampuis's INSEE code 69007 is also Lyon 7e's postal code: the picker
    # marks it as picked, so the server reads it as an INSEE code, and the
    # saved commune comes back by name, not by a code read as a postal code.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/espace/profil/")
    field = page.get_by_role("combobox", name="Commune")

    field.fill("Ampuis")
    page.get_by_role("option", name="Ampuis (69)").click()
    expect(page.locator("input[name=commune_picked]")).to_have_value("1")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{live_server.url}/espace/")
    page.goto(f"{live_server.url}/espace/profil/")
    expect(field).to_have_value("Ampuis (69)")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{live_server.url}/espace/")

    alice.refresh_from_db()
    assert alice.commune_id == "69007"
