"""The whole path in Chromium: a seeker logs in, sees explained matches,
writes to a group through the relay, and the group's editor answers."""

import pytest
from playwright.sync_api import expect

from habitat.matching import engine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', "correct-horse-battery")
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url(lambda url: "/comptes/login/" not in url)


def test_seeker_writes_to_a_group_and_the_editor_answers(
    live_server, browser, page, alice, bob, make_group, make_seeker
):
    search = make_group(editors=[alice], price_min=200_000, tenures=["social_rental"])
    search.project.name = "Les Lucioles"
    search.project.save()
    profile = make_seeker(
        bob, budget_purchase=250_000, tenures=["ownership"], pseudonym="Hirondelle"
    )
    engine.recompute_for_seeker(profile)
    problems = []
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "404" not in msg.text
            else None
        ),
    )

    log_in(page, live_server, "bob@example.org")
    page.goto(f"{live_server.url}/mise-en-lien/mes-correspondances/")
    match = page.locator(".match").filter(has_text="Les Lucioles")
    expect(match).to_contain_text("budget compatible")
    expect(match).to_contain_text(
        "le groupe cherche en location sociale, vous en accession"
    )
    match.get_by_role("link", name="Écrire au groupe").click()
    page.get_by_label("Votre message").fill("Bonjour, pourrions-nous visiter ?")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("h1")).to_have_text("Conversation avec Les Lucioles")

    editor_context = browser.new_context(locale="fr-FR")
    editor = editor_context.new_page()
    log_in(editor, live_server, "alice@example.org")
    editor.goto(f"{live_server.url}/mise-en-lien/messages/")
    editor.get_by_role("link", name="Bob").click()
    expect(editor.locator(".thread")).to_contain_text("pourrions-nous visiter")
    expect(editor.locator("body")).not_to_contain_text("bob@example.org")
    editor.get_by_label("Votre message").fill("Avec plaisir, samedi à 10 h.")
    editor.get_by_role("button", name="Répondre").click()
    expect(editor.locator(".thread")).to_contain_text("samedi à 10 h")
    editor_context.close()

    page.goto(f"{live_server.url}/mise-en-lien/messages/")
    expect(page.locator(".inbox")).to_contain_text("nouveau")
    page.get_by_role("link", name="Les Lucioles").click()
    expect(page.locator(".thread")).to_contain_text("Avec plaisir, samedi à 10 h.")
    expect(page.locator("body")).not_to_contain_text("alice@example.org")
    assert problems == []
