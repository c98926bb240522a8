"""What every benchmark needs: a fresh PostgreSQL database, the production server, a load generator.

Only loopback addresses are used. Run benchmarks from the repository root, e.g.
`.venv/bin/python -m benchmarks.public_pages`.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{POSTGRES}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True
    )


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one run, dropped afterwards."""
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


REDIS = os.environ.get("BENCHMARK_REDIS_URL", "redis://127.0.0.1:6379/0")


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The production settings as the README deploys them: PostgreSQL, and Redis for the cache (its keys under
    a prefix of this run's own, so runs side by side, or one after another, never read each other's pages).
    `BENCHMARK_REDIS_URL=` (empty) measures the database cache instead."""
    env = dict(os.environ)
    if REDIS:
        env.update({"REDIS_URL": REDIS, "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}"})
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hub.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "HUB_BASE_URL": "http://127.0.0.1",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def sign_in(user) -> str:
    """Inside Django: a session for `user` as signing in makes one, through the configured session engine
    (so with Redis it is in the cache too, as after a real sign-in); returns the session cookie's value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")


@contextmanager
def production_server(env: dict[str, str], *, workers: int = 2, port: int = 8765) -> Iterator[str]:
    """gunicorn with the production settings, as the README documents; yields its base URL."""
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "hub.wsgi",
            "--config",
            "hub/gunicorn.conf.py",  # each worker warms up before it takes a request
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # workers warm up first: longer on a busy machine
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the production server did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)  # gunicorn gives its workers 30 s to finish
        except subprocess.TimeoutExpired:
            process.kill()  # its workers exit when they see their master gone
            process.wait(timeout=10)


@contextmanager
def background(env: dict[str, str], *args: str, log: Path | None = None) -> Iterator[subprocess.Popen]:
    """Another manage.py process (e.g. the task worker) for the length of a run, its output to `log` if given."""
    with log.open("w") if log else nullcontext() as output:
        process = subprocess.Popen(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if log else None
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@dataclass
class LoadResult:
    label: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict:
        ordered = sorted(self.latencies_ms)

        def pct(p: float) -> float:
            if not ordered:
                return float("nan")
            return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)

        return {
            "label": self.label,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": round(statistics.fmean(ordered), 1) if ordered else float("nan"),
        }


def run_load(
    base: str,
    label: str,
    request: Callable[[int, int], tuple[str, str, bytes | None, dict[str, str]]],
    *,
    clients: int,
    duration: float | None = None,
    requests_per_client: int | None = None,
    expect: Callable[[int], bool] = lambda status: status == 200,
) -> LoadResult:
    """`clients` threads, each with one keep-alive connection, send requests built by
    `request(client_index, n) -> (method, path, body, headers)` for `duration` seconds or
    `requests_per_client` requests each. All threads start together."""
    host, port = base.removeprefix("http://").split(":")
    result = LoadResult(label)
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    stop_at: list[float] = [0.0]

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        latencies, statuses, errors, n = [], {}, 0, 0
        start_gate.wait()
        while True:
            if requests_per_client is not None and n >= requests_per_client:
                break
            if duration is not None and time.perf_counter() >= stop_at[0]:
                break
            method, path, body, headers = request(index, n)
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=60)
                status = 0
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if not expect(status):
                errors += 1
            n += 1
        connection.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.requests += n
            result.errors += errors
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + (duration or 0)
    start_gate.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


def write_results(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            # Other work on the same cores (tests, other benchmarks) slows every figure: 1, 5 and 15 minutes.
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        **payload,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


# --- Where the machine's CPU went during a burst ------------------------------------------------------

_ROLES = (
    ("gunicorn", "the hub (gunicorn workers)"),
    ("db_worker", "task worker"),
    ("run_scheduler", "scheduler"),
    ("postgres", "PostgreSQL"),
    ("redis-server", "Redis"),
    ("smtp_sink", "SMTP sink (stands in for the mail relay)"),
)


def _cpu_seconds_by_pid() -> dict[int, tuple[str, float]]:
    """Each process's user and system CPU seconds so far, with the role it plays in a run."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                cmdline = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / ticks  # utime and stime, fields 14 and 15 of stat
        if pid == os.getpid():
            role = "this benchmark (its client threads)"
        else:
            role = next((name for needle, name in _ROLES if needle in cmdline), "anything else on the machine")
        found[pid] = (role, seconds)
    return found


def _machine_busy_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values) - idle) / ticks, sum(values) / ticks


@contextmanager
def cpu_use(requests: int | None = None) -> Iterator[dict]:
    """The CPU each part of the set-up spent while the block ran, in ms per request (Linux /proc).

    A burst of N requests on C cores ends no sooner than N x (the whole machine's CPU per request) / C, so
    this says what a p95 is made of: the hub's own work, PostgreSQL's, the task worker's, the load
    generator's. The dict is filled in when the block ends."""
    figures: dict = {}
    before, busy_before = _cpu_seconds_by_pid(), _machine_busy_seconds()
    began = time.perf_counter()
    try:
        yield figures
    finally:
        elapsed = time.perf_counter() - began
        after, busy_after = _cpu_seconds_by_pid(), _machine_busy_seconds()
        by_role: dict[str, float] = {}
        for pid, (role, seconds) in after.items():
            spent = seconds - before.get(pid, (role, 0.0))[1]
            by_role[role] = by_role.get(role, 0.0) + max(spent, 0.0)
        busy, total = busy_after[0] - busy_before[0], busy_after[1] - busy_before[1]
        figures.update(
            {
                "seconds": round(elapsed, 2),
                "machine_busy_share": round(busy / total, 3) if total else None,
                "machine_busy_seconds": round(busy, 3),
                "cpu_seconds": {role: round(seconds, 3) for role, seconds in by_role.items() if seconds > 0},
            }
        )
        if requests:
            figures.update(cpu_per_request(figures, requests))


def cpu_per_request(figures: dict, requests: int) -> dict:
    """`cpu_use`'s figures shared out over `requests` (for a run whose number of requests is known only after)."""
    return {
        **figures,
        "requests": requests,
        "machine_cpu_ms_per_request": round(figures["machine_busy_seconds"] * 1000 / requests, 2),
        "cpu_ms_per_request": {
            role: round(seconds * 1000 / requests, 2)
            for role, seconds in sorted(figures["cpu_seconds"].items(), key=lambda item: -item[1])
        },
    }


def cpu_sentence(figures: dict) -> str:
    """`cpu_use`'s figures as one line of a results page."""
    if not figures or "cpu_ms_per_request" not in figures:
        return "- CPU during the burst: not measured"
    cores = os.cpu_count() or 1
    parts = ", ".join(f"{role} {ms}" for role, ms in figures["cpu_ms_per_request"].items())
    floor = figures["requests"] * figures["machine_cpu_ms_per_request"] / cores / 1000
    return (
        f"- CPU during the burst ({figures['seconds']} s, the machine busy {figures['machine_busy_share']:.0%} of it),"
        f" in ms per request: {parts}. The whole machine spent {figures['machine_cpu_ms_per_request']} ms per"
        f" request, so {figures['requests']} requests on {cores} cores could not all be answered in under"
        f" {floor:.2f} s"
    )
