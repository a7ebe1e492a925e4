"""Production settings: `check --deploy` clean and the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "HABITAT_PRODUCTION": "1",
    "SECRET_KEY": "a-long-random-production-like-key-" + "x7Qz9!kP2mVr4" * 4,
    "ALLOWED_HOSTS": "habitat-ensemble.fr",
    "SITE_URL": "https://habitat-ensemble.fr",
    "DEBUG": "0",
}


def run_check_deploy(tmp_path):
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    # Set by the browser tests' fixtures in this process, never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def issues(output):
    return [
        line.strip()
        for line in output.splitlines()
        if line.strip().startswith("?:") or ": (" in line
    ]


def test_check_deploy_reports_no_security_or_settings_issue(tmp_path):
    result = run_check_deploy(tmp_path)
    found = [
        issue
        for issue in issues(result.stdout + result.stderr)
        if "drf_spectacular" not in issue
    ]
    assert found == []


def test_check_deploy_reports_nothing_at_all(tmp_path):
    result = run_check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def secure_get(client, path):
    return client.get(path, secure=True)


PUBLIC_PAGES = ["/", "/a-propos/", "/comptes/login/", "/comptes/signup/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_the_security_headers(client, production, path):
    response = secure_get(client, path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp or "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}


@pytest.mark.django_db
def test_login_sets_secure_httponly_session_cookie(client, production, bob):
    response = client.post(
        "/comptes/login/",
        {"login": "bob@example.org", "password": "correct-horse-battery"},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    csrf = client.get("/comptes/login/", secure=True).cookies.get("csrftoken")
    if csrf is not None:
        assert csrf["secure"] is True


def embed_paths():
    """Every URL pattern whose route contains 'embed' (they may be framed)."""
    from django.urls import get_resolver

    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif (
                "embed" in route
                and "<" not in route
                and not route.startswith(("cms/", "admin/", "documents/"))
            ):
                found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return found


def frame_ancestors(csp):
    for directive in csp.split(";"):
        parts = directive.split()
        if parts and parts[0] == "frame-ancestors":
            return parts[1:]
    return []


@pytest.mark.django_db
def test_only_embed_routes_may_be_framed_by_other_sites(client, production):
    home = secure_get(client, "/")
    assert home["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert set(frame_ancestors(home["Content-Security-Policy"])) <= {
        "'self'",
        "'none'",
    }
    for path in embed_paths():
        response = secure_get(client, path)
        assert response.status_code == 200, path
        assert "X-Frame-Options" not in response, path
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp, path
        sources = frame_ancestors(csp)
        assert "*" in sources or any(s.startswith("https:") for s in sources), path


@pytest.mark.django_db
def test_embed_routes_do_not_combine_none_with_other_frame_sources(client, production):
    for path in embed_paths():
        sources = frame_ancestors(secure_get(client, path)["Content-Security-Policy"])
        assert "'none'" not in sources, path
