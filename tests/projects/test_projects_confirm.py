"""The yearly confirmation: the e-mail's link shows a button, its POST confirms."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from habitat.projects import services
from habitat.projects.models import Project

pytestmark = pytest.mark.django_db


def link(project, token=None) -> str:
    return f"/projets/{project.slug}/confirmer/{token or services.confirmation_token(project)}/"


def test_opening_the_link_does_not_confirm(client, make_project):
    project = make_project(last_verified_at=None)

    response = client.get(link(project))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post">' in html
    assert "Oui, la fiche est à jour" in html
    assert Project.objects.get(pk=project.pk).last_verified_at is None


def test_the_button_confirms_without_login_and_with_csrf(make_project):
    project = make_project(last_verified_at=None)
    browser = Client(enforce_csrf_checks=True)
    browser.get(link(project))

    response = browser.post(
        link(project), {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    )

    assert response.status_code == 200
    assert "Merci, la fiche est confirmée à jour" in response.content.decode()
    assert Project.objects.get(pk=project.pk).last_verified_at is not None


def test_post_without_csrf_token_changes_nothing(make_project):
    project = make_project(last_verified_at=None)

    response = Client(enforce_csrf_checks=True).post(link(project))

    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).last_verified_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_token_is_refused(client, make_project, method):
    project = make_project(last_verified_at=None)

    response = getattr(client, method)(link(project, token="forged"))

    assert response.status_code == 400
    assert "Lien de confirmation invalide ou expiré" in response.content.decode()
    assert Project.objects.get(pk=project.pk).last_verified_at is None


def test_token_of_another_sheet_is_404(client, make_project):
    project, other = make_project(), make_project(last_verified_at=None)
    token = services.confirmation_token(project)

    response = client.post(link(other, token=token))

    assert response.status_code == 404
    assert Project.objects.get(pk=other.pk).last_verified_at is None


def test_expired_token_is_refused(client, make_project, monkeypatch):
    project = make_project(last_verified_at=None)
    token = services.confirmation_token(project)
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)

    response = client.post(link(project, token=token))

    assert response.status_code == 400


def test_yearly_e_mail_explains_the_button_and_links_to_it(client, make_project):
    due = make_project(
        last_verified_at=timezone.now() - timedelta(days=400),
        contact_email="g@prive.example",
    )

    call_command("send_confirmation_requests", stdout=None)

    body = mail.outbox[0].body
    assert "cliquez sur « Oui, la fiche est à jour »" in body
    url = body.split(f"/projets/{due.slug}/confirmer/")[1].split("/")[0]
    assert client.get(link(due, token=url)).status_code == 200
    assert Project.objects.get(pk=due.pk).last_verified_at < timezone.now() - timedelta(
        days=399
    )
