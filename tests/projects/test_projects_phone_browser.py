"""The sheet, its edit form and its photos page on a 375 px wide phone."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from habitat.projects import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Habitatparticipatifintergénérationnelécologiqueetsolidaire" * 2
WIDTH = 375


def photo_upload():
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), "green").save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": WIDTH, "height": 800},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


def overflowing(page) -> list[str]:
    """Elements sticking out of the viewport or of their own box on a phone."""
    return page.evaluate(
        """(width) => {
            const skip = '.leaflet-container, .visually-hidden, .hp-field, [hidden]';
            const controls = ['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'];
            const found = [...document.querySelectorAll('body *')].filter((el) => {
                if (el.closest(skip) || controls.includes(el.tagName)) return false;
                const box = el.getBoundingClientRect();
                const inline = getComputedStyle(el).display === 'inline';
                const spills = !inline && el.scrollWidth > el.clientWidth + 1;
                return box.right > width + 1 || spills;
            }).map((el) => `${el.tagName}.${el.className}`);
            if (document.documentElement.scrollWidth > width) found.push('page');
            return found;
        }""",
        WIDTH,
    )


def test_sheet_edit_form_and_photos_fit_a_phone(
    live_server, phone, make_project, alice
):
    project = make_project(
        editors=[alice],
        name=f"Le {LONG_WORD}",
        short_description=LONG_WORD,
        description=f"{LONG_WORD}\n\nhttps://example.org/{LONG_WORD}",
        website=f"https://example.org/{LONG_WORD}",
        open_to_visits=True,
        visit_info=LONG_WORD,
    )
    for caption in ("La maison commune", LONG_WORD):
        services.add_photo(
            project=project,
            upload=photo_upload(),
            caption=caption,
            credit=LONG_WORD,
            licence="CC BY 4.0",
            actor=alice,
        )
    client = Client()
    client.force_login(alice)
    phone.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )

    found = {}
    for path in ("", "modifier/", "photos/"):
        phone.goto(f"{live_server.url}/projets/{project.slug}/{path}")
        if os.environ.get("PHONE_SCREENSHOTS"):
            name = path.strip("/") or "fiche"
            phone.screenshot(
                path=f"{os.environ['PHONE_SCREENSHOTS']}/{name}.png", full_page=True
            )
        found[path or "fiche"] = overflowing(phone)

    assert found == {"fiche": [], "modifier/": [], "photos/": []}
