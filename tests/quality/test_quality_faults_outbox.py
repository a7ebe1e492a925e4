"""The outbox: every e-mail recorded, sent once, resumed after a failure."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from habitat.core import outbox
from habitat.core.models import OutboxMail

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")


def test_a_mail_is_recorded_then_sent_once_with_a_stable_message_id(db):
    row = outbox.send(
        EmailMessage(
            subject="Bonjour é",
            body="Corps",
            to=["camille@example.org"],
            reply_to=["lea@example.org"],
            headers={"List-Unsubscribe": "<https://example.org/u>"},
        )
    )

    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["camille@example.org"]
    assert sent.reply_to == ["lea@example.org"]
    assert sent.extra_headers["Message-ID"] == outbox.message_id(row)
    assert sent.extra_headers["List-Unsubscribe"] == "<https://example.org/u>"

    assert outbox.deliver(row.pk) is False
    assert outbox.resume() == 0
    assert len(mail.outbox) == 1


def test_send_mail_carries_the_html_part(db):
    outbox.send_mail("Sujet", "texte", None, ["a@example.org"], html_message="<p>x</p>")

    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_failed_send_stays_unsent_and_is_resumed(db, settings):
    settings.EMAIL_BACKEND = "tests.quality.test_quality_faults_outbox.FailingBackend"
    row = outbox.send_mail("Sujet", "texte", None, ["a@example.org"])
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.resume() == 1

    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    assert len(mail.outbox) == 1


def test_the_outbox_gives_up_after_a_few_attempts(db, settings):
    settings.EMAIL_BACKEND = "tests.quality.test_quality_faults_outbox.FailingBackend"
    row = outbox.send_mail("Sujet", "texte", None, ["a@example.org"])
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.resume()

    row.refresh_from_db()
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert row.gave_up_at is not None
    assert outbox.resume() == 0


def test_a_rolled_back_write_queues_no_mail(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.send_mail("Sujet", "texte", None, ["a@example.org"])
        raise RuntimeError

    assert not OutboxMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_resume_skips_mails_whose_task_is_still_waiting(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    waiting = outbox.send_mail("Attend", "texte", None, ["a@example.org"])
    orphan = outbox.send_mail("Orphelin", "texte", None, ["b@example.org"])
    # The worker that took the orphan's task was killed: RUNNING forever.
    orphan.refresh_from_db()
    DBTaskResult.objects.filter(pk=orphan.task_id).update(status="RUNNING")

    assert outbox.resume() == 1

    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert mail.outbox == []
    assert not OutboxMail.objects.filter(sent_at__isnull=False).exists()
    assert waiting.pk != orphan.pk


def test_notification_call_sites_go_through_the_outbox(
    db, alice, mona, django_capture_on_commit_callbacks
):
    from habitat.moderation import services
    from habitat.moderation.models import Status
    from habitat.projects.models import Project

    project = Project.objects.create(
        name="Les Lucioles",
        slug="les-lucioles",
        commune_id="75120",
        status=Status.PENDING,
        created_by=alice,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(obj=project, decision="approve", actor=mona)

    row = OutboxMail.objects.get()
    assert row.to == ["alice@example.org"] and row.sent_at is not None
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
