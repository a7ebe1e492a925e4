"""`make bench` / `make bench-quick`: data, floors, wrk runs, one table.

    python -m bench.run            # full: < 15 minutes
    python -m bench.run --quick    # small: < 2 minutes

Steps: build (or reuse) scale databases under var/bench/ (SQLite) and in
PostgreSQL ("habitat_bench", "habitat_bench_big") when 127.0.0.1:5432
answers; a database is reused while the hash of the migrations and of the
generator (see BASE_INPUTS, DATA_INPUTS) is the one stamped next to it, and
`--fresh` rebuilds it anyway; start nginx serving the floor bytes and the portal under gunicorn (2
workers, DEBUG off, production settings but plain http); drive every endpoint
with wrk (1 client: service time; 32 clients: throughput); measure the
in-process figures (search, feeds, matching, map rebuild); print the table,
write bench/results/latest.{md,json} and compare with baseline.json.
Every process started here is stopped on exit, even on Ctrl-C.
"""

import argparse
import atexit
import gzip
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.endpoints import ENDPOINTS
from bench.floor import floor_bytes

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
VAR = ROOT / "var" / "bench"
RESULTS = BENCH_DIR / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"
PORT_PORTAL = 8107
PORT_NGINX = 8108
PG_DSN = "postgres://postgres@127.0.0.1:5432/"
REGRESSION = 0.15
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (bench only)

_children: list[subprocess.Popen] = []


# --------------------------------------------------------------- processes
def start(cmd, *, env=None, log=None):
    handle = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _children.append(process)
    return process


def run_tracked(cmd, *, env=None, timeout=None, capture=False):
    """subprocess.run, but stopped with the rest on Ctrl-C, SIGTERM or failure."""
    process = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
        text=True,
        start_new_session=True,
    )
    _children.append(process)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)
        out, err = process.communicate()
        return subprocess.CompletedProcess(cmd, -9, out, err)
    except BaseException:  # Ctrl-C, SIGTERM (SystemExit), failure
        stop(process)
        raise
    finally:
        if process in _children:
            _children.remove(process)
    return subprocess.CompletedProcess(cmd, process.returncode, out, err)


def run_checked(cmd, *, env=None):
    result = run_tracked(cmd, env=env)
    if result.returncode != 0:
        raise SystemExit(f"! {' '.join(map(str, cmd))} exited with {result.returncode}")
    return result


def stop(process, timeout=10):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process in _children:
        _children.remove(process)


def stop_all(*_args):
    for process in list(_children):
        stop(process)


def _on_signal(signum, _frame):
    """Signal every child, then unwind: waiting here could deadlock with a
    wait() the main thread is in; run_tracked and atexit reap them."""
    for process in list(_children):
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    raise SystemExit(128 + signum)


def install_handlers():
    """Stop every child on exit, Ctrl-C or SIGTERM (set by main, not on import)."""
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)


def wait_port(port, timeout=60.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def say(message=""):
    print(message, flush=True)


# --------------------------------------------------------------- databases
# What the base database (schema + geography) and the generated data depend
# on: when one of these files changes, the database is rebuilt.
BASE_INPUTS = ["habitat/*/migrations/*.py", "habitat/territories/**/*.py"]
DATA_INPUTS = [
    "bench/generate.py",
    "bench/text.py",
    "habitat/core/search.py",
    "habitat/core/text.py",
]


def fingerprint(patterns, extra="") -> str:
    """Hash of the files matching `patterns` (names and contents)."""
    digest = hashlib.sha256(extra.encode())
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern)})
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def keys() -> tuple[str, str]:
    """(base key, data key): the data key covers the base key too."""
    base = fingerprint(BASE_INPUTS)
    return base, fingerprint(DATA_INPUTS, extra=base)


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((HOST, 5432), timeout=1):
            pass
    except OSError:
        return False
    try:
        import psycopg

        with psycopg.connect(PG_DSN + "postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def pg_execute(sql, database="postgres"):
    import psycopg

    with psycopg.connect(PG_DSN + database, autocommit=True) as connection:
        connection.execute(sql)


def analyze(url, marker: Path):
    """Planner statistics and visibility map after the bulk load, as a live
    site's autovacuum would have them (once per generated database)."""
    if marker.exists():
        return
    started = time.monotonic()
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute("ANALYZE")
    else:
        pg_execute("VACUUM ANALYZE", database=url.rsplit("/", 1)[1])
    marker.write_text("analyzed")
    say(f"  analyzed in {time.monotonic() - started:.0f} s")


def pg_exists(name) -> bool:
    import psycopg

    with psycopg.connect(PG_DSN + "postgres") as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return row is not None


def generate(url, profile, label):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    report = VAR / f"generate-{label}.json"
    report.unlink(missing_ok=True)
    say(f"- generating {label} ({profile}) ...")
    started = time.monotonic()
    run_checked(
        [PYTHON, "-m", "bench.generate", "--profile", profile, "--report", report],
        env=env,
    )
    data = json.loads(report.read_text())
    data["wall_seconds"] = round(time.monotonic() - started, 1)
    report.write_text(json.dumps(data, indent=2, default=str))
    return data


def build_base(env):
    for command in (
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["load_geography", "--no-outlines"],
    ):
        run_checked([PYTHON, "manage.py", *command, "-v0"], env=env)


def prepare_sqlite(profile, keys_, fresh=False) -> tuple[str, dict]:
    """var/bench/<profile>.sqlite3, reused while the fingerprint holds."""
    base_key, key = keys_
    path = VAR / f"{profile}.sqlite3"
    stamp = VAR / f"{profile}.sqlite3.key"
    url = f"sqlite:///{path}"
    if fresh:
        stamp.unlink(missing_ok=True)
    elif path.exists() and stamp.exists() and stamp.read_text() == key:
        say(f"- reusing {path.relative_to(ROOT)} (fingerprint {key})")
        analyze(url, VAR / f"{profile}.sqlite3.analyzed")
        return url, json.loads((VAR / f"generate-sqlite-{profile}.json").read_text())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    base = VAR / "base.sqlite3"
    base_stamp = VAR / "base.sqlite3.key"
    if fresh or not (
        base.exists() and base_stamp.exists() and base_stamp.read_text() == base_key
    ):
        base.unlink(missing_ok=True)
        base_stamp.unlink(missing_ok=True)
        say("- building the base SQLite (schema + geography) ...")
        build_base({**os.environ, "DATABASE_URL": f"sqlite:///{base}", "DEBUG": "0"})
        # Fold the WAL into the file before copying it.
        import sqlite3

        with sqlite3.connect(base) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        base_stamp.write_text(base_key)
    shutil.copyfile(base, path)
    (VAR / f"{profile}.sqlite3.analyzed").unlink(missing_ok=True)
    report = generate(url, profile, f"sqlite-{profile}")
    analyze(url, VAR / f"{profile}.sqlite3.analyzed")
    stamp.write_text(key)
    return url, report


def prepare_postgres(profile, keys_, fresh=False) -> tuple[str, dict]:
    base_key, key = keys_
    name = "habitat_bench" if profile == "main" else f"habitat_bench_{profile}"
    stamp = VAR / f"pg-{name}.key"
    url = PG_DSN + name
    if fresh:
        stamp.unlink(missing_ok=True)
    elif stamp.exists() and stamp.read_text() == key and pg_exists(name):
        say(f"- reusing PostgreSQL database {name} (fingerprint {key})")
        analyze(url, VAR / f"pg-{name}.analyzed")
        return url, json.loads((VAR / f"generate-pg-{profile}.json").read_text())
    base = "habitat_bench_base"
    base_stamp = VAR / "pg-base.key"
    if fresh or not (
        base_stamp.exists() and base_stamp.read_text() == base_key and pg_exists(base)
    ):
        say("- building the base PostgreSQL database (schema + geography) ...")
        base_stamp.unlink(missing_ok=True)
        pg_execute(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)')
        pg_execute(f'CREATE DATABASE "{base}"')
        build_base({**os.environ, "DATABASE_URL": PG_DSN + base, "DEBUG": "0"})
        base_stamp.write_text(base_key)
    stamp.unlink(missing_ok=True)
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    (VAR / f"pg-{name}.analyzed").unlink(missing_ok=True)
    report = generate(url, profile, f"pg-{profile}")
    analyze(url, VAR / f"pg-{name}.analyzed")
    stamp.write_text(key)
    return url, report


# --------------------------------------------------------------- servers
def ensure_tools() -> dict:
    """wrk and nginx from Debian; installed when missing and root."""
    missing = [tool for tool in ("wrk", "nginx") if not find_tool(tool)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"- installing {' '.join(missing)} with apt-get ...")
        # RUNLEVEL=1: the packages must not start a system nginx.
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
        run_tracked(["apt-get", "update", "-qq"], env=env)
        run_tracked(["apt-get", "install", "-y", "-qq", *missing], env=env)
        missing = [tool for tool in ("wrk", "nginx") if not find_tool(tool)]
    if missing:
        say(
            "! missing: "
            + ", ".join(missing)
            + " — install them with `sudo apt-get install wrk nginx`"
        )
    return {tool: find_tool(tool) for tool in ("wrk", "nginx")}


def find_tool(name):
    return shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)),
        None,
    )


def start_nginx(nginx_bin):
    root = VAR / "nginx"
    (root / "www").mkdir(parents=True, exist_ok=True)
    (root / "www" / "floor.html").write_bytes(floor_bytes())
    for sub in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    user_line = "user root;" if os.geteuid() == 0 else ""
    conf = f"""
{user_line}
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {root}/tmp/client;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    gzip on;
    gzip_min_length 200;
    server {{
        listen {HOST}:{PORT_NGINX};
        root {root}/www;
        location = /floor.html {{ charset utf-8; }}
    }}
}}
"""
    (root / "nginx.conf").write_text(conf)
    process = start(
        [nginx_bin, "-p", str(root), "-c", str(root / "nginx.conf")],
        log=root / "stdout.log",
    )
    if not wait_port(PORT_NGINX, 10, process):
        say(f"! nginx did not start: see {root / 'error.log'}")
        stop(process)
        return None
    return process


REDIS_BENCH = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        with socket.create_connection((HOST, 6379), timeout=1):
            return True
    except OSError:
        return False


def cache_settings(database_url) -> dict:
    """Redis as the shared cache when it answers, as in the national
    deployment (docs/deployment.md); else the database cache. Keys carry a
    prefix per database, emptied before each use: a regenerated data set never
    meets pages cached from the previous one."""
    if not redis_reachable():
        return {}
    prefix = "bench-" + hashlib.sha256(database_url.encode()).hexdigest()[:8]
    try:
        import redis

        client = redis.Redis.from_url(REDIS_BENCH)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception as error:  # noqa: BLE001 (fall back to the database cache)
        say(f"! Redis unusable ({error}): database cache")
        return {}
    return {"REDIS_URL": REDIS_BENCH, "CACHE_KEY_PREFIX": prefix}


def portal_env(database_url):
    return {
        **os.environ,
        **cache_settings(database_url),
        "DATABASE_URL": database_url,
        "HABITAT_BENCH_FLOOR": "1",
        "HABITAT_PRODUCTION": "1",
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "STATIC_ROOT": str(VAR / "static"),
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def collectstatic(env):
    stamp = VAR / "static.key"
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("habitat/**/static/**/*")):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(str(path.stat().st_mtime_ns).encode())
    key = digest.hexdigest()[:16]
    if stamp.exists() and stamp.read_text() == key:
        return
    say("- collecting static files for the production storage ...")
    run_checked([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    stamp.write_text(key)


def start_portal(database_url, label):
    env = portal_env(database_url)
    collectstatic(env)
    log = VAR / f"gunicorn-{label}.log"
    process = start(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "habitat.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT_PORTAL}",
            "--worker-class",
            "sync",
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
            "--access-logfile",
            "-" if False else "/dev/null",
        ],
        env=env,
        log=log,
    )
    if not wait_port(PORT_PORTAL, 60, process):
        say(f"! gunicorn did not start: see {log}")
        stop(process)
        return None
    # Warm both workers (imports, URL resolver, template loaders).
    for _ in range(6):
        fetch(f"http://{HOST}:{PORT_PORTAL}/_bench/floor")
    return process


# --------------------------------------------------------------- measuring
def fetch(url, gzip_ok=False, timeout=30):
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except OSError as error:
        return 0, str(error).encode(), {}


def expand(path):
    today = date.today()
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    return path.format(month_start=month_start, month_end=month_end)


def probe(base, spec):
    """First candidate path answering 200, with raw and gzipped sizes."""
    tried = []
    for candidate in spec["paths"]:
        path = expand(candidate)
        status, body, headers = fetch(base + path)
        tried.append(f"{path} -> {status}")
        if status != 200:
            continue
        gz_status, gz_body, gz_headers = fetch(base + path, gzip_ok=True)
        encoding = gz_headers.get("Content-Encoding", "")
        return {
            "path": path,
            "bytes_raw": len(body),
            "bytes_gzip": len(gz_body) if encoding == "gzip" else None,
            "gzip_negotiated": encoding == "gzip",
        }
    return {"skipped": "route not yet built (" + "; ".join(tried) + ")"}


def wrk(wrk_bin, url, *, connections, seconds, bust):
    threads = 1 if connections == 1 else 2
    env = {**os.environ, "BENCH_BUST": "1" if bust else "0"}
    result = run_tracked(
        [
            wrk_bin,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH_DIR / "wrk_stats.lua"),
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture=True,
        env=env,
        timeout=seconds + 30,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            stats = json.loads(line[len("BENCHJSON ") :])
            seconds_run = stats["duration_us"] / 1e6 or 1
            stats["rps"] = round(stats["requests"] / seconds_run, 1)
            stats["bytes_per_response"] = (
                round(stats["bytes"] / stats["requests"]) if stats["requests"] else 0
            )
            return stats
    return {"error": (result.stderr or result.stdout)[-300:]}


def measure(wrk_bin, base, spec, seconds):
    info = probe(base, spec)
    if "skipped" in info:
        return info
    url = base + info["path"]
    bust = spec.get("bust", False)
    # Warm-up, discarded: every gunicorn worker loads what it keeps in memory
    # (map arrays, templates, filter choices) before the measured runs. wrk
    # corrects for coordinated omission, so one cold 800 ms request would
    # otherwise stand in for 160 slow samples of a 5 ms endpoint's p99.
    # Quick runs (1 s per run) warm each worker with a few requests instead.
    if seconds >= 5:
        wrk(wrk_bin, url, connections=4, seconds=1, bust=bust)
    else:
        for n in range(4):
            fetch(f"{url}{'&' if '?' in url else '?'}_w={n}" if bust else url)
    single = wrk(wrk_bin, url, connections=1, seconds=seconds, bust=bust)
    many = wrk(wrk_bin, url, connections=32, seconds=seconds, bust=bust)
    if "error" in single or "error" in many:
        return {
            **info,
            "skipped": "wrk failed: " + single.get("error", many.get("error", "")),
        }
    errors = sum(many[k] for k in many if k.startswith("errors_")) + sum(
        single[k] for k in single if k.startswith("errors_")
    )
    return {
        **info,
        "rps": many["rps"],
        "rps_1": single["rps"],
        "p50_ms": round(single["p50_us"] / 1000, 2),
        "p99_ms": round(single["p99_us"] / 1000, 2),
        "p99_ms_32": round(many["p99_us"] / 1000, 2),
        "wire_bytes_per_response": many["bytes_per_response"],
        "gzip_on_wire": gzip_on_wire(info, many["bytes_per_response"]),
        "errors": errors,
        "bust": bust,
    }


# Status line and headers of a response, at most (wrk counts them in bytes).
HEADER_ALLOWANCE = 2048


def gzip_on_wire(info, wire_bytes) -> bool | None:
    """Did wrk really read gzipped bodies? None when gzip does not apply.

    The probe saw gzip negotiated; wrk's bytes read per response must then be
    near the gzipped size, not the raw one.
    """
    if not info.get("gzip_negotiated") or not info.get("bytes_gzip"):
        return None
    if info["bytes_raw"] - info["bytes_gzip"] < HEADER_ALLOWANCE:
        return None  # too small to tell
    return wire_bytes <= info["bytes_gzip"] + HEADER_ALLOWANCE


def in_process(database_url, profile, quick, only=None):
    env = {**portal_env(database_url), "HABITAT_BENCH_FLOOR": "0"}
    out = VAR / f"inprocess-{profile}.json"
    out.unlink(missing_ok=True)
    command = [PYTHON, "-m", "bench.inprocess", "--out", str(out)]
    if quick:
        command.append("--quick")
    if only:
        command += ["--only", only]
    result = run_tracked(command, env=env, timeout=900)
    if result.returncode != 0 or not out.exists():
        return {"error": f"bench.inprocess exited with {result.returncode}"}
    return json.loads(out.read_text())


# --------------------------------------------------------------- verdicts
def judge(row, rows_by_key, floor_rps):
    goal = row.get("goal") or {}
    if not goal or "rps" not in row:
        return None
    verdicts = []
    if "min_ratio" in goal and floor_rps:
        verdicts.append(row["rps"] / floor_rps >= goal["min_ratio"])
    if "max_p99_ms" in goal:
        verdicts.append(row["p99_ms"] <= goal["max_p99_ms"])
    if "max_p50_ms" in goal:
        verdicts.append(row["p50_ms"] <= goal["max_p50_ms"])
    if "max_gzip_kb" in goal:
        size = row.get("bytes_gzip") or row.get("bytes_raw")
        verdicts.append(size <= goal["max_gzip_kb"] * 1024)
    if "max_slowdown" in goal:
        other = rows_by_key.get(goal["relative_to"], {})
        if "p50_ms" in other:
            verdicts.append(row["p50_ms"] <= goal["max_slowdown"] * other["p50_ms"])
    if row.get("errors"):
        verdicts.append(False)
    return all(verdicts) if verdicts else None


def describe_goal(goal):
    parts = []
    if "min_ratio" in goal:
        parts.append(f"≥{goal['min_ratio']:.0%} F_dj")
    if "max_p99_ms" in goal:
        parts.append(f"p99≤{goal['max_p99_ms']}ms")
    if "max_p50_ms" in goal:
        parts.append(f"p50≤{goal['max_p50_ms']}ms")
    if "max_gzip_kb" in goal:
        parts.append(f"≤{goal['max_gzip_kb']}KB gz")
    if "max_slowdown" in goal:
        parts.append(f"≤{goal['max_slowdown']}× {goal['relative_to']}")
    if "max_ms" in goal:
        parts.append(f"≤{goal['max_ms']}ms")
    if "max_us" in goal:
        parts.append(f"≤{goal['max_us']}µs")
    if "max_s" in goal:
        parts.append(f"≤{goal['max_s']}s")
    return ", ".join(parts)


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(results):
    header = (
        "| endpoint | db | req/s (32) | p50 ms | p99 ms | raw B | gzip B "
        "| ×F_dj | ×nginx | goal | result |"
    )
    lines = [header, "|" + "---|" * 11]
    for row in results["http"]:
        if "skipped" in row:
            lines.append(
                f"| {row['key']} | {row.get('db', '')} | – | – | – | – | – | – | – "
                f"| {describe_goal(row.get('goal') or {})} | {row['skipped'][:70]} |"
            )
            continue
        verdict = row.get("pass")
        result = "pass" if verdict else ("FAIL" if verdict is False else "")
        if row.get("regression"):
            result += " ⚠ regression " + row["regression"]
        if not row.get("gzip_negotiated"):
            result += " (no gzip)"
        elif row.get("gzip_on_wire") is False:
            result += " (gzip not on the wire)"
        lines.append(
            "| {key} | {db} | {rps} | {p50} | {p99} | {raw} | {gz} | {rf} | {rn} "
            "| {goal} | {res} |".format(
                key=row["key"],
                db=row.get("db", ""),
                rps=fmt(row["rps"]),
                p50=fmt(row["p50_ms"], 2),
                p99=fmt(row["p99_ms"], 2),
                raw=row["bytes_raw"],
                gz=fmt(row.get("bytes_gzip")),
                rf=fmt(row.get("ratio_F_dj"), 3),
                rn=fmt(row.get("ratio_nginx"), 3),
                goal=describe_goal(row.get("goal") or {}),
                res=result.strip(),
            )
        )
    lines.append("")
    lines.append("| in-process measure | db | value | goal | result |")
    lines.append("|---|---|---|---|---|")
    for row in results["inprocess"]:
        if "skipped" in row:
            lines.append(
                f"| {row['key']} | {row.get('db', '')} | – "
                f"| {describe_goal(row.get('goal') or {})} | {row['skipped'][:80]} |"
            )
            continue
        verdict = row.get("pass")
        result = "pass" if verdict else ("FAIL" if verdict is False else "")
        if row.get("regression"):
            result += " ⚠ regression " + row["regression"]
        lines.append(
            f"| {row['key']} | {row.get('db', '')} | {row['value']} {row['unit']} "
            f"| {describe_goal(row.get('goal') or {})} | {result} |"
        )
    return "\n".join(lines)


def baseline_path(mode) -> Path:
    return RESULTS / ("baseline.json" if mode == "full" else f"baseline-{mode}.json")


def compare(results, baseline) -> int:
    """Flag, in place, every figure more than 15% worse than in `baseline`.

    HTTP rows compare their ratio to F_dj of the same run (so a busier
    machine does not count as a regression); in-process figures compare
    their value (all are "lower is better"). Returns how many were flagged.
    """
    flagged = 0
    old = {(r["key"], r.get("db")): r for r in baseline.get("http", [])}
    for row in results["http"]:
        before = old.get((row["key"], row.get("db")))
        if not before or not row.get("ratio_F_dj") or not before.get("ratio_F_dj"):
            continue
        change = row["ratio_F_dj"] / before["ratio_F_dj"] - 1
        row["change_vs_baseline"] = round(change, 3)
        if change < -REGRESSION:
            row["regression"] = f"{change:+.0%} vs baseline"
            flagged += 1
    old = {(r["key"], r.get("db")): r for r in baseline.get("inprocess", [])}
    for row in results["inprocess"]:
        before = old.get((row["key"], row.get("db")))
        if not before or not row.get("value") or not before.get("value"):
            continue
        if row.get("unit") != before.get("unit"):
            continue
        change = row["value"] / before["value"] - 1
        row["change_vs_baseline"] = round(change, 3)
        if change > REGRESSION:
            row["regression"] = f"{change:+.0%} vs baseline"
            flagged += 1
    return flagged


def compare_baseline(results):
    path = baseline_path(results["mode"])
    if not path.exists():
        return f"no baseline yet (commit bench/results/{path.name})"
    baseline = json.loads(path.read_text())
    flagged = compare(results, baseline)
    return (
        f"compared with {path.name} of {baseline.get('when', '?')}: "
        f"{flagged} figure(s) >{REGRESSION:.0%} worse"
    )


# --------------------------------------------------------------- main
def bench_portal(wrk_bin, url, db_label, database, specs, seconds, rows):
    portal = start_portal(url, f"{db_label}-{database}")
    if portal is None:
        for spec in specs:
            rows.append(
                {
                    "key": spec["key"],
                    "db": db_label,
                    "skipped": "gunicorn did not start",
                }
            )
        return
    base = f"http://{HOST}:{PORT_PORTAL}"
    try:
        for spec in specs:
            say(f"  wrk {spec['key']} ...")
            row = {
                "key": spec["key"],
                "db": db_label,
                "issue": spec.get("issue"),
                "goal": spec.get("goal"),
            }
            row.update(measure(wrk_bin, base, spec, seconds))
            rows.append(row)
    finally:
        stop(portal)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seconds", type=int, help="wrk duration per run")
    parser.add_argument(
        "--no-postgres", action="store_true", help="SQLite only even if PG answers"
    )
    parser.add_argument("--only", help="comma-separated endpoint keys")
    parser.add_argument(
        "--write-baseline", action="store_true", help="also write baseline.json"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="rebuild the bench databases even when their fingerprint holds",
    )
    args = parser.parse_args(argv)
    install_handlers()
    started = time.monotonic()
    mode = "quick" if args.quick else "full"
    seconds = args.seconds or (1 if args.quick else 5)
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for port in (PORT_PORTAL, PORT_NGINX):
        if not port_free(port):
            say(f"! port {port} is busy: stop what listens there first")
            return 2
    say(f"== make bench ({mode}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    tools = ensure_tools()
    data_keys = keys()

    # Databases: SQLite always; PostgreSQL in the full run when it answers.
    targets = []  # (db_label, {"main": url, "big": url})
    use_pg = not args.quick and not args.no_postgres and postgres_reachable()
    # The 100,000-project data set is built once: in PostgreSQL when there.
    sqlite_profiles = (
        ["quick"] if args.quick else (["main"] if use_pg else ["main", "big"])
    )
    sqlite_urls = {}
    generation = {}
    for profile in sqlite_profiles:
        url, report = prepare_sqlite(profile, data_keys, args.fresh)
        sqlite_urls["main" if profile == "quick" else profile] = url
        generation[f"sqlite-{profile}"] = report
    pg_urls = {}
    if use_pg:
        for profile in ("main", "big"):
            url, report = prepare_postgres(profile, data_keys, args.fresh)
            pg_urls[profile] = url
            generation[f"pg-{profile}"] = report
    elif not args.quick:
        say("- PostgreSQL not reachable on 127.0.0.1:5432: SQLite only")
    # HTTP runs on PostgreSQL (production's database) when there, else SQLite.
    targets.append(("postgres", pg_urls) if use_pg else ("sqlite", sqlite_urls))
    data_seconds = round(time.monotonic() - started, 1)
    say(f"- data ready in {data_seconds:.0f} s")

    specs = [s for s in ENDPOINTS if s["key"] not in ("nginx",)]
    if args.only:
        wanted = set(args.only.split(",")) | {"F_dj"}
        specs = [s for s in specs if s["key"] in wanted]
    rows = []
    wrk_bin = tools.get("wrk")
    if wrk_bin:
        nginx_process = start_nginx(tools["nginx"]) if tools.get("nginx") else None
        if nginx_process is not None:
            say("  wrk nginx ...")
            nginx_spec = next(s for s in ENDPOINTS if s["key"] == "nginx")
            row = {"key": "nginx", "db": "", "issue": 6, "goal": None}
            row.update(
                measure(wrk_bin, f"http://{HOST}:{PORT_NGINX}", nginx_spec, seconds)
            )
            rows.append(row)
            stop(nginx_process)
        else:
            rows.append({"key": "nginx", "db": "", "skipped": "nginx not available"})
        for db_label, urls in targets:
            main_specs = [s for s in specs if s.get("database", "main") == "main"]
            bench_portal(
                wrk_bin, urls["main"], db_label, "main", main_specs, seconds, rows
            )
            big_specs = [s for s in specs if s.get("database") == "big"]
            if big_specs and "big" in urls:
                bench_portal(
                    wrk_bin, urls["big"], db_label, "big", big_specs, seconds, rows
                )
            elif big_specs:
                for spec in big_specs:
                    rows.append(
                        {
                            "key": spec["key"],
                            "db": db_label,
                            "goal": spec.get("goal"),
                            "skipped": "100,000-project data only in the full run",
                        }
                    )
    else:
        rows.append({"key": "all", "skipped": "wrk missing: apt-get install wrk"})

    # Ratios and verdicts.
    by_key = {(r["key"], r.get("db")): r for r in rows}
    nginx_rps = by_key.get(("nginx", ""), {}).get("rps")
    for row in rows:
        floor = next(
            (
                r.get("rps")
                for r in rows
                if r["key"] == "F_dj" and r.get("db") == row.get("db")
            ),
            None,
        )
        if "rps" in row and floor:
            row["ratio_F_dj"] = round(row["rps"] / floor, 3)
        if "rps" in row and nginx_rps:
            row["ratio_nginx"] = round(row["rps"] / nginx_rps, 3)
    for row in rows:
        same_db = {r["key"]: r for r in rows if r.get("db") == row.get("db")}
        floor = same_db.get("F_dj", {}).get("rps")
        row["pass"] = judge(row, same_db, floor)

    # In-process figures, on every database built.
    inprocess = []
    say("- in-process measurements ...")
    runs = [("sqlite", "main", sqlite_urls["main"], None)]
    if "big" in sqlite_urls:
        runs.append(("sqlite", "big", sqlite_urls["big"], "search"))
    if use_pg:
        runs.append(("postgres", "main", pg_urls["main"], None))
        runs.append(("postgres", "big", pg_urls["big"], "search"))
    for db_label, profile, url, only in runs:
        say(f"  {db_label} {profile} ...")
        measured = in_process(url, f"{db_label}-{profile}", args.quick, only)
        # The 100,000-project data set gets its own label ("postgres-100k").
        label = db_label if profile != "big" else f"{db_label}-100k"
        if "error" in measured:
            inprocess.append({"key": "all", "db": label, "skipped": measured["error"]})
            continue
        for item in measured["measures"]:
            item["db"] = label
            inprocess.append(item)

    results = {
        "mode": mode,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "shared machine: other processes may use the CPU",
        },
        "wrk_seconds": seconds,
        "generation": generation,
        "data_seconds": data_seconds,
        "http": rows,
        "inprocess": inprocess,
        "elapsed_s": None,
    }
    results["baseline"] = compare_baseline(results)
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    text = table(results)
    say()
    say(text)
    say()
    say(f"{results['baseline']}; {mode} run in {results['elapsed_s']} s")
    stem = "latest" if mode == "full" else f"latest-{mode}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(results, indent=2, default=str))
    (RESULTS / f"{stem}.md").write_text(
        f"# Bench results ({mode}, {results['when']})\n\n"
        f"wrk {seconds} s per run on 127.0.0.1: 1 client for p50/p99, 32 clients "
        f"for req/s (after a discarded warm-up); gunicorn 2 sync workers; "
        f"shared cache: {'Redis' if redis_reachable() else 'database'}; ratios "
        f"against F_dj and nginx of the same run. Machine: {os.cpu_count()} "
        f"cores, load average {os.getloadavg()[0]:.1f} at the end.\n\n{text}\n\n{results['baseline']}; run in "
        f"{results['elapsed_s']} s, of which {data_seconds} s to build or "
        f"reuse the data.\n"
    )
    if args.write_baseline:
        baseline_path(mode).write_text(json.dumps(results, indent=2, default=str))
    _ = gzip  # gzip sizes come from the server's own negotiation
    return 0


if __name__ == "__main__":
    sys.exit(main())
