"""Helpers of the load and fault runs: gunicorn, browser-like clients, timing.

A `Visitor` is one browser: its own cookies (session, CSRF), forms fetched
then posted back with every field the page holds, redirects not followed
(a 302 after a POST is the acknowledgement of a write).
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests
from bs4 import BeautifulSoup
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(database: dict) -> str:
    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database)


class Gunicorn:
    """The portal under gunicorn, 2 sync workers, as `bench/run.py` starts it."""

    def __init__(self, database_url: str, *, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            # The test process's key: its sessions (session_key_for) hold.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
            "DB_CONN_MAX_AGE": "0",
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.workers = workers
        self.process = None
        # A file, not a pipe: a full pipe would block the workers' logging.
        self.log = tempfile.TemporaryFile()

    def log_tail(self, size=3000) -> str:
        self.log.flush()
        self.log.seek(0, os.SEEK_END)
        self.log.seek(max(0, self.log.tell() - size))
        return self.log.read().decode(errors="replace")

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "habitat.wsgi:application",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_tail())
            try:
                if requests.get(self.url + "/healthz", timeout=5).status_code:
                    return self
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def alive(self) -> bool:
        return self.process.poll() is None

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Visitor:
    def __init__(self, base_url: str, *, session_key: str | None = None):
        self.base = base_url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "fr"
        if session_key:
            self.http.cookies.set("sessionid", session_key)

    def get(self, path: str, **kwargs):
        return self.http.get(
            self.base + path, timeout=90, allow_redirects=False, **kwargs
        )

    def submit(self, path: str, changes: dict):
        """GET the page's form holding `changes`' first field, POST it back."""
        page = self.get(path)
        if page.status_code != 200:
            return page
        fields = form_fields(page.text, next(iter(changes)))
        fields.update(changes)
        return self.http.post(
            self.base + path,
            data=fields,
            headers={"Referer": self.base + path},
            timeout=90,
            allow_redirects=False,
        )

    def login(self, email: str, password: str):
        return self.submit("/comptes/login/", {"login": email, "password": password})


def acknowledged(response) -> bool:
    """A POST answered by a redirect elsewhere than the login page."""
    return (
        response is not None
        and response.request.method == "POST"
        and response.status_code == 302
        and "/comptes/login/" not in response.headers.get("Location", "")
    )


def form_fields(html: str, marker: str) -> dict:
    """What a browser would submit from the POST form holding `marker`."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [
        form
        for form in soup.find_all("form")
        if (form.get("method") or "").lower() == "post"
    ]
    form = next(
        (f for f in forms if f.find(attrs={"name": marker})),
        forms[0] if forms else None,
    )
    if form is None:
        return {}
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "input":
            kind = (field.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                continue
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    data.setdefault(name, []).append(field.get("value", "on"))
                continue
            data[name] = field.get("value", "")
        elif field.name == "textarea":
            data[name] = field.text
        else:
            options = field.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not field.has_attr("multiple"):
                chosen = options[:1]
            if field.has_attr("multiple"):
                data[name] = [o.get("value", o.text) for o in chosen]
            elif chosen:
                data[name] = chosen[0].get("value", chosen[0].text)
    return data


class Recorder:
    """Statuses and latencies of every request, by kind, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)
        self.latencies = defaultdict(list)
        self.errors = []
        self.timeline = []  # (monotonic, kind, status)

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds)
            self.timeline.append((time.monotonic(), kind, status))

    def call(self, kind, function, *args):
        started = time.monotonic()
        try:
            response = function(*args)
        except requests.RequestException as error:
            with self.lock:
                self.errors.append(f"{kind}: {type(error).__name__}: {error}")
                self.timeline.append((time.monotonic(), kind, 0))
            return None
        self.record(kind, response.status_code, time.monotonic() - started)
        return response

    def server_errors(self):
        return {
            kind: {s: n for s, n in counts.items() if s >= 500}
            for kind, counts in self.statuses.items()
            if any(s >= 500 for s in counts)
        }

    def summary(self, seconds: float) -> str:
        lines = []
        total = sum(sum(c.values()) for c in self.statuses.values())
        lines.append(f"{total} requests in {seconds:.0f} s ({total / seconds:.1f}/s)")
        for kind in sorted(self.statuses):
            values = sorted(self.latencies[kind])
            p50 = values[len(values) // 2] if values else 0
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))] if values else 0
            lines.append(
                f"  {kind:14} {dict(self.statuses[kind])} "
                f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
            )
        return "\n".join(lines)


def session_key_for(user) -> str:
    """A signed-in session in the database, as after a login form."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
