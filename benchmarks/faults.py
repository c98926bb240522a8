"""Faults: PostgreSQL restarted in the middle of a booking burst, and the task worker killed while it sends receipts.

1. 200 signed-in practitioners book one 20-place session at the same moment (as `benchmarks.booking`).
   Once 40 have been answered, this machine's PostgreSQL cluster (where the benchmark database lives)
   is stopped, left down for a few seconds and started again. Whoever gets an error page does what a
   person would: tries again half a second later (for at most two minutes), booking or, when told the
   session is full, joining the waiting list. Every error page answered while the database was away
   must be the hub's own (503, "Sorry, the service is unavailable"), never a traceback. Afterwards
   exactly 20 must be booked and 180 waiting, nobody twice, and everyone told "booked" must be booked.
2. 100 partner forms through the API, with one task worker and a slow SMTP sink (each message takes
   50 ms). Once 30 receipts have arrived, the worker is killed (SIGKILL) and a new one started. Every
   receipt must then arrive; copies are counted per reference and per Message-ID. A message the killed
   worker had claimed waits for its claim to expire (5 minutes) and the scheduler's sweep.

The cluster is always started again at the end, whatever happens. Restarting it breaks every other
connection to it (other people's test runs): `--no-database-restart` skips part 1.

Run from the repository root:  .venv/bin/python -m benchmarks.faults
Results: benchmarks/results/faults.json and faults.md. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import calendar
import http.client
import json
import os
import secrets
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import forms
from benchmarks.harness import (
    PYTHON,
    RESULTS,
    ROOT,
    background,
    fresh_database,
    manage,
    prepare,
    production_env,
    production_server,
    write_results,
)

PEOPLE = 200
PLACES = 20
RESTART_AFTER = 40  # answers to the first booking requests
DOWN_SECONDS = 3.0
RETRY_FOR = 120.0
PORT = 8768
SUBMISSIONS = 100
KILL_AFTER = 30  # receipts at the sink
SINK_DELAY = 0.05
CLAIM_FOR = 300.0  # apps.notifications.services.CLAIM_FOR
UNAVAILABLE_PAGE = "Sorry, the service is unavailable"


# --- PostgreSQL on this machine -----------------------------------------------------------------------


def cluster_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", action],
        check=True,
        capture_output=True,
        timeout=120,
    )


def cluster_online() -> bool:
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, timeout=30).stdout
    return any(line.split()[:2] == [cluster_version(), "main"] and "online" in line for line in out.splitlines())


def make_sure_the_cluster_is_up() -> None:
    if not cluster_online():
        pg_ctl("start")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], timeout=10).returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come back")


# --- 1. PostgreSQL restarted during a booking burst ---------------------------------------------------


def people_census(env: dict[str, str], session_pk: int) -> dict:
    code = (
        "import json; from apps.training.models import Booking, WaitingListEntry;"
        f"b = list(Booking.objects.filter(session_id={session_pk}, status='booked')"
        ".values_list('person__email', flat=True));"
        f"w = list(WaitingListEntry.objects.filter(session_id={session_pk}).values_list('person__email', flat=True));"
        "print(json.dumps({'booked': b, 'waiting': w}))"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def booking_burst_with_restart(base: str, session_pk: int, cookies: list[str], restart: bool) -> dict:
    host, port = base.removeprefix("http://").split(":")
    lock = threading.Lock()
    gate = threading.Barrier(len(cookies) + 1)
    answered = [0]
    restart_now = threading.Event()
    window: dict[str, float] = {}
    outcomes: dict[int, str] = {}
    errors: list[dict] = []  # every answer that was not a page of the journey
    statuses: dict[str, int] = {}
    began = [0.0]

    def post(path: str, cookie: str) -> tuple[int, str]:
        token = secrets.token_hex(16)
        body = urlencode({"csrfmiddlewaretoken": token, "access_needs": ""})
        headers = {
            "Cookie": f"sessionid={cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            return 0, str(error)
        finally:
            connection.close()

    def note(status: int, text: str) -> None:
        with lock:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status not in (200, 302):
                errors.append(
                    {
                        "at_s": round(time.perf_counter() - began[0], 2),
                        "status": status,
                        "hub_page": UNAVAILABLE_PAGE in text,
                        "traceback": "Traceback" in text or 'File "' in text,
                    }
                )

    def client(index: int, cookie: str) -> None:
        gate.wait()
        stop_at = time.perf_counter() + RETRY_FOR
        path = f"/training/sessions/{session_pk}/book/"
        first = True
        outcome = "gave up"
        while time.perf_counter() < stop_at:
            status, text = post(path, cookie)
            note(status, text)
            if first:
                first = False
                with lock:
                    answered[0] += 1
                    if answered[0] == RESTART_AFTER:
                        restart_now.set()
            if status == 302:
                outcome = "booked" if path.endswith("/book/") else "waiting"
                break
            if status == 200 and "already have a place" in text:
                outcome = "booked"  # an earlier try was saved before the database went away
                break
            if status == 200 and "already on the waiting list" in text:
                outcome = "waiting"
                break
            if status == 200 and path.endswith("/book/"):
                path = f"/training/sessions/{session_pk}/waiting-list/"  # full: join the waiting list
                continue
            time.sleep(0.5)
        with lock:
            outcomes[index] = outcome

    def restarter() -> None:
        if not restart or not restart_now.wait(timeout=RETRY_FOR):
            return
        window["stopping_at_s"] = round(time.perf_counter() - began[0], 2)
        try:
            pg_ctl("stop")
            window["stopped_at_s"] = round(time.perf_counter() - began[0], 2)
            time.sleep(DOWN_SECONDS)
        finally:
            make_sure_the_cluster_is_up()
            window["up_again_at_s"] = round(time.perf_counter() - began[0], 2)

    threads = [threading.Thread(target=client, args=(i, c), daemon=True) for i, c in enumerate(cookies)]
    for thread in threads:
        thread.start()
    watcher = threading.Thread(target=restarter, daemon=True)
    watcher.start()
    began[0] = time.perf_counter()
    gate.wait()
    for thread in threads:
        thread.join(timeout=RETRY_FOR + 120)
    watcher.join(timeout=180)
    counted: dict[str, int] = {}
    for outcome in outcomes.values():
        counted[outcome] = counted.get(outcome, 0) + 1
    return {
        "seconds": round(time.perf_counter() - began[0], 2),
        "database_window": window,
        "outcomes": counted,
        "told_booked": sorted(i for i, o in outcomes.items() if o == "booked"),
        "told_waiting": sorted(i for i, o in outcomes.items() if o == "waiting"),
        "statuses": statuses,
        "error_answers": len(errors),
        "error_answers_by_status": {
            str(s): sum(1 for e in errors if e["status"] == s) for s in sorted({e["status"] for e in errors})
        },
        "error_pages_that_are_the_hubs_own": sum(1 for e in errors if e["hub_page"]),
        "error_pages_with_a_traceback": sum(1 for e in errors if e["traceback"]),
        "error_pages_not_the_hubs_own": [e for e in errors if not e["hub_page"] and e["status"] != 0][:10],
        "connection_failures": sum(1 for e in errors if e["status"] == 0),
    }


def database_restart(restart: bool, not_before: float = 0.0) -> dict:
    from benchmarks import booking

    name = f"bench_faults_booking_{os.getpid()}"
    with fresh_database(name) as database_url:
        env = production_env(database_url)
        prepare(env)
        code = f"from benchmarks.booking import seed; seed(catalogue={10})"
        seeded = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
        try:
            with production_server(env, workers=4, port=PORT) as base:
                time.sleep(max(0.0, not_before - time.time()))  # a restart disturbs others: not before this
                result = booking_burst_with_restart(base, seeded["session"], seeded["cookies"], restart)
        finally:
            make_sure_the_cluster_is_up()
        people = people_census(env, seeded["session"])
        counts = booking.census(env, seeded["session"])
    booked_emails = set(people["booked"])
    told_booked = {f"practitioner{i}@bench.example.org" for i in result.pop("told_booked")}
    told_waiting = {f"practitioner{i}@bench.example.org" for i in result.pop("told_waiting")}
    result["database_after"] = counts
    result["told_booked_but_not_booked"] = len(told_booked - booked_emails)
    result["booked_but_not_told"] = len(booked_emails - told_booked)
    result["told_waiting_but_not_waiting"] = len(told_waiting - set(people["waiting"]))
    result["exactly_20_booked"] = counts["booked"] == PLACES
    result["nobody_twice"] = counts["people"] == counts["distinct_people"]
    return result


# --- 2. The task worker killed while it sends receipts -------------------------------------------------


def worker_killed() -> dict:
    name = f"bench_faults_forms_{os.getpid()}"
    sink = forms.SmtpSink(port=forms.free_port(), delay=SINK_DELAY)
    logs = Path(tempfile.mkdtemp(prefix="bench_faults_"))
    with fresh_database(name) as database_url:
        env = production_env(
            database_url,
            HUB_EMAIL_TRANSPORT="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            EMAIL_TIMEOUT="5",
            TASKS_BACKEND="",
        )
        prepare(env)
        code = f"from benchmarks.forms import seed; seed(counts={{'faults': {SUBMISSIONS}}})"
        seeded = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
        requests = forms.requests_for("faults", seeded["bodies"]["faults"], seeded["secrets"])
        sink.start()
        worker_args = [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"]
        first_log = (logs / "worker-killed.log").open("w")
        first_worker = subprocess.Popen(worker_args, cwd=ROOT, env=env, stdout=first_log, stderr=subprocess.STDOUT)
        result: dict = {}
        try:
            with (
                production_server(env, workers=4, port=PORT) as base,
                background(env, "run_scheduler", log=logs / "scheduler.log"),
            ):
                forms.wait_until_idle(database_url, at_least=seeded["periodic_tasks"])
                sent = forms.burst(base, "worker killed", requests)
                references = set(forms.references_of(sent.answers))
                result["accepted"] = len(references)
                deadline = time.perf_counter() + 120
                while time.perf_counter() < deadline:
                    if len(forms.arrivals(sink, "receipt", references)) >= KILL_AFTER:
                        break
                    time.sleep(0.05)
                result["receipts_before_the_kill"] = len(forms.arrivals(sink, "receipt", references))
                first_worker.send_signal(signal.SIGKILL)
                first_worker.wait(timeout=30)
                killed_at = time.perf_counter()
                result["killed_after_s"] = round(killed_at - sent.began, 2)
                in_flight = sql_rows(
                    database_url, "select count(*) from notifications_outboxmessage where status = 'sending'"
                )
                result["claimed_by_the_killed_worker"] = int(in_flight)
                with background(env, *worker_args[2:], log=logs / "worker-new.log"):
                    result["delivery"] = forms.wait_for_delivery(sink, references, sent.began, CLAIM_FOR + 120)
                    time.sleep(forms.DUPLICATE_WATCH)
        finally:
            if first_worker.poll() is None:
                first_worker.kill()
                first_worker.wait(timeout=30)
            first_log.close()
            sink.stop()
        addressed = forms.addressed(sent.answers, requests)
        result["exactly_once"] = forms.exactly_once(sink, references, addressed)
        copies = forms.arrivals(sink, "receipt", references)
        result["receipts_with_more_than_one_message_id"] = sum(
            1 for got in copies.values() if len({m.message_id for m in got}) > 1
        )
        result["outbox_after"] = dict(
            line.split("|")
            for line in sql_rows(
                database_url, "select status, count(*) from notifications_outboxmessage group by status", many=True
            )
        )
    result["logs"] = str(logs)
    return result


def sql_rows(database_url: str, sql: str, many: bool = False):
    out = subprocess.run(
        ["psql", database_url, "-tAc", sql], check=True, capture_output=True, text=True, timeout=30
    ).stdout.strip()
    return out.splitlines() if many else out


# --- The report -----------------------------------------------------------------------------------------


def markdown(payload: dict) -> str:
    lines = [
        "# Faults benchmark",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs with `{payload['command']}`:",
        "gunicorn (4 sync workers, `hub/gunicorn.conf.py`), hub.settings.production, PostgreSQL, loopback only.",
        f"Load average at the start {payload['load_average_at_start']}, at the end"
        f" {payload['machine']['load_average_at_end']}; other test runs were using the same two cores.",
        "",
    ]
    r = payload.get("database_restart")
    if r:
        db, w = r["database_after"], r["database_window"]
        lines += [
            f"## PostgreSQL restarted while {PEOPLE} people book a {PLACES}-place session",
            "",
            f"Finished {r.get('measured_at', payload['measured_at'])}.",
            "",
            f"- PostgreSQL stopped {w.get('stopping_at_s')} s after the requests were sent (after {RESTART_AFTER}"
            f" answers), was down from {w.get('stopped_at_s')} s and up again at {w.get('up_again_at_s')} s;"
            f" everyone had an answer after {r['seconds']} s.",
            f"- Booked: **{db['booked']}**; waiting: **{db['waiting']}**; people holding both or twice:"
            f" **{db['people'] - db['distinct_people']}**; told 'booked' but not booked:"
            f" **{r['told_booked_but_not_booked']}**; booked but never told: {r['booked_but_not_told']};"
            f" outcomes {r['outcomes']}",
            f"- Answers {r['statuses']}; {r['error_answers']} were errors {r['error_answers_by_status']}:"
            f" **{r['error_pages_that_are_the_hubs_own']}** the hub's own 'service unavailable' page,"
            f" **{r['error_pages_with_a_traceback']}** with a traceback, {r['connection_failures']} connections"
            " refused or reset. People who saw the page tried again half a second later.",
            "",
        ]
    k = payload.get("worker_killed")
    if k:
        e, d = k["exactly_once"], k["delivery"]
        lines += [
            f"## The task worker killed while it sends {SUBMISSIONS} receipts",
            "",
            f"Finished {k.get('measured_at', payload['measured_at'])}.",
            "",
            f"- Accepted: **{k['accepted']} of {SUBMISSIONS}**. The worker was killed (SIGKILL) {k['killed_after_s']} s"
            f" after the requests, once {k['receipts_before_the_kill']} receipts had arrived; it held"
            f" {k['claimed_by_the_killed_worker']} message(s) claimed. A new worker started at once.",
            f"- Receipts delivered: **{e['receipts_delivered']} of {k['accepted']}**; sent twice:"
            f" **{e['receipt_duplicates']}** (repeated Message-IDs {e['repeated_message_ids']}, receipts with two"
            f" different Message-IDs {k['receipts_with_more_than_one_message_id']}); team notices"
            f" {e['team_notices_delivered']}, twice {e['team_notice_duplicates']}",
            f"- The last receipt arrived {d['last_receipt_after_s']} s after the requests; outbox afterwards"
            f" {k['outbox_after']}.",
            "- A message the worker had handed to the mail server when it died, but not yet marked sent, is sent"
            " again once its claim expires (5 minutes), with the same Message-ID, so the receiving server can drop"
            " the copy: exactly once can be promised per Message-ID, not per SMTP delivery.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-database-restart", action="store_true", help="skip part 1 (restarts PostgreSQL)")
    parser.add_argument("--no-worker-kill", action="store_true", help="skip part 2")
    parser.add_argument("--not-before", default="", help="start the booking burst no earlier than HH:MM (UTC)")
    args = parser.parse_args()
    not_before = 0.0
    if args.not_before:
        hours, minutes = (int(part) for part in args.not_before.split(":"))
        today = time.gmtime()
        not_before = calendar.timegm((today.tm_year, today.tm_mon, today.tm_mday, hours, minutes, 0))
    payload: dict = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    previous = json.loads((RESULTS / "faults.json").read_text()) if (RESULTS / "faults.json").exists() else {}
    try:
        for part, skipped, run in (
            (
                "database_restart",
                args.no_database_restart,
                lambda: database_restart(restart=True, not_before=not_before),
            ),
            ("worker_killed", args.no_worker_kill, worker_killed),
        ):
            if skipped:  # a part not run this time keeps the figures of its last run, with their date
                if part in previous:
                    payload[part] = previous[part]
                continue
            figures = run()
            payload[part] = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **figures}  # when it ended
            print(json.dumps(payload[part]), flush=True)
    finally:
        make_sure_the_cluster_is_up()
    path = write_results("faults", payload)
    payload = json.loads(path.read_text())
    (RESULTS / "faults.md").write_text(markdown(payload))
    print(markdown(payload))
    failures = []
    r = payload.get("database_restart")
    if r and not (r["exactly_20_booked"] and r["nobody_twice"] and not r["told_booked_but_not_booked"]):
        failures.append("a booking was lost or doubled")
    if r and (r["error_pages_with_a_traceback"] or r["error_pages_not_the_hubs_own"]):
        failures.append("an error page was not the hub's own")
    k = payload.get("worker_killed")
    if k and k["exactly_once"]["receipts_delivered"] != k["accepted"]:
        failures.append("a receipt was not delivered")
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    main()
