"""The coordinator's week under measurement: the production server on a fresh PostgreSQL database.

1. Scheduling 52 weekly sessions of a course: the preview (every date checked for bank holidays, the course's
   own sessions, and its trainer and venue already booked) and then the save (52 sessions in one
   transaction, an audit entry each). Repeated on fresh courses; the trainer and venue are busy with 52
   sessions of another course, so every clash check has rows to look at.
2. E-mailing 200 people booked on a session from its e-mail page: the time until every message is in the
   outbox (the request), and then the time the worker's sweep (`deliver_due`) takes to deliver them all to
   the demo mailbox (HUB_EMAIL_TRANSPORT=mailbox).

Run from the repository root:  .venv/bin/python -m benchmarks.training_admin
Results: benchmarks/results/training_admin.json and training_admin.md. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import time
from urllib.parse import urlencode

from benchmarks.harness import (
    RESULTS,
    LoadResult,
    fresh_database,
    manage,
    prepare,
    production_env,
    production_server,
    write_results,
)

ATTENDEES = 200
WEEKS = 52
PORT = 8767


# --- Inside the hub (through `manage.py shell`) -------------------------------------------------


def seed(runs: int, attendees: int = ATTENDEES) -> None:
    """A business unit member (TOTP set up, signed in), a trainer busy every week, courses to schedule, and a
    session with `attendees` people booked."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, User
    from apps.training.forms import london_datetime
    from apps.training.models import Booking, Course, Session
    from benchmarks.harness import sign_in

    council = Organisation.objects.create(name="Benchmark council", sector=Sector.CHILDRENS_SERVICES)

    def person(email: str, first: str = "Bench", last: str = "Person") -> User:
        return User.objects.create(
            email=email,
            first_name=first,
            last_name=last,
            organisation=council,
            status=AccountStatus.ACTIVE,
            is_active=True,
            password="!unusable",  # noqa: S106 - nobody signs in with a password here
        )

    coordinator = person("coordinator@bench.example.org", "Casey", "Coordinator")
    RoleGrant.objects.create(user=coordinator, role=Role.BUSINESS_UNIT)
    TOTP.activate(coordinator, generate_totp_secret())  # the role must use TOTP, or every page sends it to set-up
    trainer = person("trainer@bench.example.org", "Tara", "Trainer")
    RoleGrant.objects.create(user=trainer, role=Role.TRAINER)

    first = timezone.localdate() + dt.timedelta(days=14)
    busy = Course.objects.create(title="Busy course", slug="busy-course", summary="Keeps the trainer busy.")
    for week in range(WEEKS):
        day = first + dt.timedelta(weeks=week)
        session = Session.objects.create(
            course=busy,
            number=week + 1,
            starts_at=london_datetime(day, dt.time(11)),
            ends_at=london_datetime(day, dt.time(13)),
            venue="West Offices, York",
        )
        session.trainers.add(trainer)
    courses = [
        Course.objects.create(title=f"Scheduled course {n}", slug=f"scheduled-course-{n}", summary="To schedule.")
        for n in range(runs)
    ]
    mailed = Session.objects.create(
        course=busy,
        number=WEEKS + 1,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
        capacity=attendees,
        venue="West Offices, York",
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"attendee{n}@bench.example.org",
                first_name="Attendee",
                last_name=str(n),
                organisation=council,
                status=AccountStatus.ACTIVE,
                is_active=True,
                password="!unusable",  # noqa: S106
            )
            for n in range(attendees)
        ]
    )
    Booking.objects.bulk_create([Booking(session=mailed, person=p, organisation=council) for p in people])

    session_key = sign_in(coordinator)
    print(
        json.dumps(
            {
                "cookie": session_key,
                "trainer": trainer.pk,
                "first": first.isoformat(),
                "courses": [c.slug for c in courses],
                "mailed": mailed.pk,
            }
        )
    )


def deliver_all() -> None:
    """The worker's sweep, timed until the outbox is empty."""
    from apps.notifications.models import MailboxMessage, OutboxMessage, OutboxStatus
    from apps.notifications.services import deliver_due

    began = time.perf_counter()
    sweeps = 0
    while OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
        deliver_due(limit=500)
        sweeps += 1
    seconds = time.perf_counter() - began
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "sweeps": sweeps,
                "sent": OutboxMessage.objects.filter(status=OutboxStatus.SENT).count(),
                "in_mailbox": MailboxMessage.objects.filter(subject__startswith="Room change").count(),
            }
        )
    )


def census(session_pk: int) -> None:
    from apps.audit.models import AuditEntry
    from apps.notifications.models import OutboxMessage
    from apps.training.models import Session, SessionMessage

    print(
        json.dumps(
            {
                "scheduled_sessions": Session.objects.filter(course__slug__startswith="scheduled-course-").count(),
                "audit_entries_for_sessions": AuditEntry.objects.filter(
                    object_type="training.session", action="create", detail="scheduled with others at once"
                ).count(),
                "messages_kept": SessionMessage.objects.filter(session_id=session_pk).count(),
                "outbox_messages": OutboxMessage.objects.filter(purpose="training session message").count(),
            }
        )
    )


# --- The load generator --------------------------------------------------------------------------


def post(base: str, path: str, cookie: str, fields: dict) -> tuple[int, float, str]:
    host, port = base.removeprefix("http://").split(":")
    token = secrets.token_hex(16)
    connection = http.client.HTTPConnection(host, int(port), timeout=300)
    body = urlencode({"csrfmiddlewaretoken": token, **fields})
    headers = {"Cookie": f"sessionid={cookie}; csrftoken={token}", "Content-Type": "application/x-www-form-urlencoded"}
    began = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    ms = (time.perf_counter() - began) * 1000
    connection.close()
    return response.status, ms, text


def schedule_form(first: dt.date, trainer: int) -> dict:
    return {
        "pattern": "weekly",
        "first_date_0": str(first.day),
        "first_date_1": str(first.month),
        "first_date_2": str(first.year),
        "count": str(WEEKS),
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "20",
        "trainers": str(trainer),
        "venue": "West Offices, York",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
    }


def record(result: LoadResult, status: int, ms: float, ok: bool) -> None:
    result.requests += 1
    result.latencies_ms.append(ms)
    result.statuses[status] = result.statuses.get(status, 0) + 1
    result.errors += not ok
    result.seconds += ms / 1000


def markdown(payload: dict) -> str:
    p, s, e, d = payload["preview"], payload["save"], payload["email"], payload["delivery"]
    db = payload["database_after"]
    return "\n".join(
        [
            "# Training administration benchmark",
            "",
            f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs with `{payload['command']}`:",
            f"gunicorn ({payload['workers']} sync workers), hub.settings.production, PostgreSQL, loopback only.",
            "",
            f"## Scheduling {WEEKS} weekly sessions ({payload['runs']} courses, one after another)",
            "",
            f"- Preview ({WEEKS} dates, each checked for bank holidays, duplicates, trainer and venue clashes; the"
            f" trainer and venue are busy every week): p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms,"
            f" statuses {p['statuses']}; trainer clashes warned of per preview (each course adds 52 for the next):"
            f" {payload['warnings_per_preview']}",
            f"- Save ({WEEKS} sessions in one transaction, an audit entry each): p50 {s['p50_ms']} ms,"
            f" p95 {s['p95_ms']} ms, statuses {s['statuses']}",
            f"- Afterwards: {db['scheduled_sessions']} sessions scheduled, with {db['audit_entries_for_sessions']}"
            " audit entries, one per session scheduled",
            "",
            f"## E-mailing {ATTENDEES} people booked on a session",
            "",
            f"- Queued ({ATTENDEES} outbox messages, the message kept on the session, one audit entry):"
            f" {e['p50_ms']} ms (one request), status {e['statuses']}",
            f"- Delivered to the demo mailbox by the worker's sweep: {d['sent']} sent in {d['seconds']} s"
            f" ({d['sweeps']} sweep(s)); {d['in_mailbox']} in the mailbox",
            "",
            f"Load average at the start {payload['load_average_at_start']}, at the end"
            f" {payload['machine']['load_average_at_end']}; other work on the same two cores slows every figure.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    name = "hub_schedule_bench"  # this branch's database name; dropped afterwards
    with fresh_database(name) as database_url:
        env = production_env(database_url, HUB_EMAIL_TRANSPORT="mailbox")
        prepare(env)
        code = f"from benchmarks.training_admin import seed; seed({args.runs})"
        seeded = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
        first = dt.date.fromisoformat(seeded["first"])
        preview, save, email = LoadResult("preview"), LoadResult("save"), LoadResult("email")
        warnings = []
        with production_server(env, workers=args.workers, port=PORT) as base:
            for slug in seeded["courses"]:
                path = f"/training/manage/courses/{slug}/schedule/"
                fields = schedule_form(first, seeded["trainer"])
                status, ms, text = post(base, path, seeded["cookie"], fields)
                record(preview, status, ms, status == 200 and f"Check the {WEEKS} sessions" in text)
                warnings.append(text.count("is already training"))
                status, ms, _ = post(base, path, seeded["cookie"], {**fields, "action": "confirm"})
                record(save, status, ms, status == 302)
            status, ms, _ = post(
                base,
                f"/training/sessions/{seeded['mailed']}/email/",
                seeded["cookie"],
                {"audience": "booked", "subject": "Room change", "body": "We have moved to Room 3."},
            )
            record(email, status, ms, status == 302)
        delivery = json.loads(
            manage(env, "shell", "-c", "from benchmarks.training_admin import deliver_all; deliver_all()")
            .strip()
            .splitlines()[-1]
        )
        database_after = json.loads(
            manage(env, "shell", "-c", f"from benchmarks.training_admin import census; census({seeded['mailed']})")
            .strip()
            .splitlines()[-1]
        )
    payload = {
        "workers": args.workers,
        "runs": args.runs,
        "weeks": WEEKS,
        "attendees": ATTENDEES,
        "preview": preview.summary(),
        "save": save.summary(),
        "warnings_per_preview": warnings,
        "email": email.summary(),
        "delivery": delivery,
        "database_after": database_after,
        "load_average_at_start": load_at_start,
    }
    path = write_results("training_admin", payload)
    payload = json.loads(path.read_text())
    (RESULTS / "training_admin.md").write_text(markdown(payload))
    print(markdown(payload))
    if preview.errors or save.errors or email.errors or delivery["sent"] < ATTENDEES:
        raise SystemExit("a request failed or a message was not delivered")


if __name__ == "__main__":
    main()
