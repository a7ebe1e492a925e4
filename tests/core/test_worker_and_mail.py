"""Real parts: e-mail through SMTP to a local sink, tasks run by db_worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import send_mail

from habitat.moderation import services
from habitat.moderation.models import Status
from habitat.projects.models import Project
from tests.core.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


def test_mail_goes_through_smtp_to_the_local_sink(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port

        send_mail("Bonjour", "Corps du message é", None, ["camille@example.org"])

    assert len(sink.messages) == 1
    received = sink.messages[0]
    assert received["to"] == ["camille@example.org"]
    assert received["message"]["Subject"] == "Bonjour"
    assert "Corps du message é" in received["message"].get_content()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_db_worker_process_sends_the_moderation_notice(settings, alice, mona):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    project = Project.objects.create(
        name="Les Lucioles",
        slug="les-lucioles",
        commune_id="75120",
        status=Status.PENDING,
        created_by=alice,
    )
    services.decide(obj=project, decision="approve", actor=mona)
    database = settings.DATABASES["default"]

    with SmtpSink() as sink:
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "DEBUG": "0",
        }
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )

    assert [message["to"] for message in sink.messages] == [["alice@example.org"]]
    assert "Les Lucioles" in sink.messages[0]["message"]["Subject"]
