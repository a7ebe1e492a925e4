"""The task worker is killed (SIGKILL) in the middle of a batch of e-mails.

Real processes: `manage.py db_worker` on the test database, e-mails through
SMTP to a local sink. The sink kills the worker while it is talking to it
(after the envelope, before the message is accepted), twice; a last worker
then runs the queue dry. Every e-mail arrives, none twice.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from habitat.core import outbox
from habitat.core.models import OutboxMail
from tests.core.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
MAILS = 40
KILL_AT = (12, 27)  # the worker dies on the envelope of these deliveries


class KillingSink(SmtpSink):
    """A sink that SIGKILLs `self.victim` on chosen RCPT commands."""

    def __init__(self):
        super().__init__()
        self.victim = None
        self.envelopes = 0
        self.kills = 0
        self.handler.handle_RCPT = self.handle_RCPT

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.envelopes += 1
        if self.envelopes in KILL_AT and self.victim is not None:
            os.killpg(self.victim.pid, signal.SIGKILL)
            self.kills += 1
        envelope.rcpt_tos.append(address)
        return "250 OK"


def worker(env, *extra):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_killed(process, timeout=120):
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail("the worker was never killed: it sent too few e-mails")
    assert process.returncode == -signal.SIGKILL, errors.decode()[-3000:]


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_nothing_and_sends_nothing_twice(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = [
        outbox.send_mail(f"Lettre {n}", f"Corps {n} é", None, [f"p{n}@example.org"])
        for n in range(MAILS)
    ]
    expected = {outbox.message_id(row) for row in rows}
    database = settings.DATABASES["default"]
    started = time.monotonic()

    with KillingSink() as sink:
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        for _kill in KILL_AT:
            sink.victim = worker(env)
            wait_killed(sink.victim)
            sent_before = len(sink.messages)
            # The killed worker's task stays RUNNING and its mail unsent.
            assert OutboxMail.objects.filter(sent_at__isnull=False).count() == (
                sent_before
            )
        sink.victim = None
        last = worker(env, "--batch")
        _, errors = last.communicate(timeout=180)
        assert last.returncode == 0, errors.decode()[-2000:]

    assert sink.kills == len(KILL_AT)
    received = Counter(message["message"]["Message-ID"] for message in sink.messages)
    assert set(received) == expected, "lost e-mails"
    assert max(received.values()) == 1, "e-mails sent twice"
    assert len(sink.messages) == MAILS
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
    print(f"\nworker kill run: {time.monotonic() - started:.1f} s")
