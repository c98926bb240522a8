"""The cost of one write, measured inside one process: a booking and a partner API submission.

Each request goes through the same WSGI application gunicorn serves (every middleware, the view, the
template), in the production settings on a fresh PostgreSQL database with Redis for the cache, one
request at a time after the worker has warmed up. For each request it records:

- the time until the response is ready to send, and the CPU time this process spent on it;
- the database queries made before the response is ready, and those made after it has been sent
  (the audit chain and the outbox hand-off run then, `core/after_response.py`);
- with `--profile`, where the CPU time goes (cProfile, the functions with most time of their own).

PostgreSQL's own work is in the wall time, not in this process's CPU time. The HTTP parsing and the
socket of a real server are not in either: `benchmarks/booking.py` and `benchmarks/forms.py` measure
those through gunicorn.

Run from the repository root:  .venv/bin/python -m benchmarks.one_write [--requests 40] [--profile]
Results: benchmarks/results/one_write.json and one_write.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import statistics
import sys
import time

from benchmarks.harness import RESULTS, fresh_database, manage, prepare, production_env, write_results

AIM_MS = 8.0


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 2)


def _summary(samples: list[dict]) -> dict:
    out = {"requests": len(samples), "statuses": sorted({s["status"] for s in samples})}
    for key in ("ready_ms", "cpu_ms", "after_ms", "queries_before", "queries_after"):
        values = [s[key] for s in samples]
        out[key] = {
            "p50": _percentile(values, 50),
            "p95": _percentile(values, 95),
            "max": round(max(values), 2),
            "mean": round(statistics.fmean(values), 2),
        }
    return out


def measure(requests: int = 40, profile: bool | str = False, sort: str = "tottime") -> None:
    """Runs inside `manage.py shell` with the production settings; prints the figures as JSON."""
    import cProfile
    import pstats
    from wsgiref.util import setup_testing_defaults

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from apps.core.warmup import warm_up
    from benchmarks import booking, forms

    with contextlib.redirect_stdout(io.StringIO()) as out:
        booking.seed(people=2 * requests + 5, places=requests + 1, catalogue=10)
    seeded = json.loads(out.getvalue().strip().splitlines()[-1])
    with contextlib.redirect_stdout(io.StringIO()) as out:
        forms.seed(partners=5, counts={"one": requests + 10})
    partner = json.loads(out.getvalue().strip().splitlines()[-1])

    application = get_wsgi_application()
    warm_up()

    queries = {"n": 0, "sql": []}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        queries["sql"].append(" ".join(sql.split())[:160])
        return execute(sql, params, many, context)

    def environ(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict:
        env = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            env[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        setup_testing_defaults(env)
        return env

    def send(method: str, path: str, body: bytes, headers: dict[str, str], profiler=None) -> dict:
        statuses: list[str] = []
        with connection.execute_wrapper(count):
            queries["n"], queries["sql"] = 0, []
            began, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = application(environ(method, path, body, headers), lambda s, h, e=None: statuses.append(s))
            if profiler:
                profiler.disable()
            ready, ready_cpu, before = time.perf_counter(), time.process_time(), queries["n"]
            b"".join(response)
            response.close()  # the WSGI server closes the response once it is sent: after-response work runs
            done = time.perf_counter()
        return {
            "status": int(statuses[0].split()[0]),
            "ready_ms": (ready - began) * 1000,
            "cpu_ms": (ready_cpu - cpu) * 1000,
            "after_ms": (done - ready) * 1000,
            "queries_before": before,
            "queries_after": queries["n"] - before,
            "sql": [("before " if i < before else "after  ") + q for i, q in enumerate(queries["sql"])],
        }

    def form_post(action: str, person: int, profiler=None) -> dict:
        token = secrets.token_hex(16)
        body = f"csrfmiddlewaretoken={token}&access_needs=".encode()
        headers = {
            "Cookie": f"sessionid={seeded['cookies'][person]}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return send("POST", f"/training/sessions/{seeded['alone']}/{action}/", body, headers, profiler)

    # The first `requests + 1` people fill the session's places; the rest find it full and join its waiting list.
    def book(n: int, profiler=None) -> dict:
        return form_post("book", n, profiler)

    def book_when_full(n: int, profiler=None) -> dict:
        return form_post("book", requests + 1 + n, profiler)

    def join_waiting_list(n: int, profiler=None) -> dict:
        return form_post("waiting-list", requests + 1 + n, profiler)

    def submit(n: int, profiler=None) -> dict:
        answers = partner["bodies"]["one"][n]["answers"]
        body = json.dumps({"form_type": "welfare_check", "answers": answers, "declaration": True})
        headers = {
            "Authorization": f"Bearer {partner['secrets'][n % len(partner['secrets'])]}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"one-write-{n}",
        }
        return send("POST", "/api/v1/submissions/", body.encode(), headers, profiler)

    results: dict = {}
    profiles: dict = {}
    kinds = (
        ("booking", book, 302),
        ("booking, session full", book_when_full, 200),
        ("joining the waiting list", join_waiting_list, 302),
        ("submission", submit, 201),
    )
    for name, write, ok in kinds:
        first_profiler = cProfile.Profile() if profile == "first" else None
        first = write(requests, first_profiler)  # the first of its kind, after warming up: shown on its own
        profiler = first_profiler or (cProfile.Profile() if profile else None)
        samples = [write(n, None if first_profiler else profiler) for n in range(requests)]
        wrong = [s["status"] for s in samples if s["status"] != ok]
        if wrong:
            raise SystemExit(f"{name}: unexpected statuses {wrong}")
        results[name] = {
            **_summary(samples),
            "first_ready_ms": round(first["ready_ms"], 2),
            "queries_of_the_last": samples[-1]["sql"],
        }
        if profiler:
            text = io.StringIO()
            lines = int(os.environ.get("ONE_WRITE_PROFILE_LINES", "40" if sort == "cumulative" else "25"))
            pstats.Stats(profiler, stream=text).sort_stats(sort).print_stats(lines)
            profiles[name] = text.getvalue()
    print(json.dumps({"results": results, "profiles": profiles}))


def markdown(payload: dict) -> str:
    lines = [
        "# The cost of one write",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs with `{payload['command']}`:",
        "the WSGI application in one process, hub.settings.production, PostgreSQL and Redis, one request at a time",
        f"after warming up; {payload['requests']} requests of each kind.",
        "",
        "| Write | The first of its kind (ms) | Then: response ready p50 / p95 / max (ms) | CPU p50 / p95 (ms)"
        " | Queries before the response | Queries after it | After-response work p50 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in payload["results"].items():
        lines.append(
            f"| {name} | {r['first_ready_ms']}"
            f" | {r['ready_ms']['p50']} / {r['ready_ms']['p95']} / {r['ready_ms']['max']}"
            f" | {r['cpu_ms']['p50']} / {r['cpu_ms']['p95']} | {r['queries_before']['p50']}"
            f" | {r['queries_after']['p50']} | {r['after_ms']['p50']} |"
        )
    lines += [
        "",
        f"Aim: one booking and one submission under {AIM_MS:g} ms on the server. Load average at the start"
        f" {payload['load_average_at_start']}, at the end {payload['machine']['load_average_at_end']}.",
        "",
    ]
    for name, r in payload["results"].items():
        lines += [f"## The queries of one {name}", "", "```", *r["queries_of_the_last"], "```", ""]
    for name, text in payload.get("profiles", {}).items():
        lines += [f"## Where a {name}'s CPU time goes (cProfile)", "", "```", text.strip(), "```", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="also show where the CPU time goes")
    parser.add_argument("--profile-first", action="store_true", help="profile only the first write of each kind")
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"], help="the profile's order")
    args = parser.parse_args()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with fresh_database(f"bench_one_write_{os.getpid()}") as database_url:
        env = production_env(database_url, TASKS_BACKEND="")
        prepare(env)
        profile = "first" if args.profile_first else args.profile
        code = f"from benchmarks.one_write import measure; measure({args.requests}, {profile!r}, {args.sort!r})"
        measured = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
    payload = {"requests": args.requests, "load_average_at_start": load_at_start, **measured}
    path = write_results("one_write", payload)
    payload = json.loads(path.read_text())
    (RESULTS / "one_write.md").write_text(markdown(payload))
    print(markdown(payload))
    slow = [n for n, r in payload["results"].items() if r["ready_ms"]["p50"] >= AIM_MS]
    if slow:
        print(f"not yet under {AIM_MS:g} ms: {', '.join(slow)}", file=sys.stderr)


if __name__ == "__main__":
    main()
