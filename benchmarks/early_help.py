"""The early help record under load: 50,000 families and 200,000 chronology entries on PostgreSQL, the
production server, 50 concurrent clients, every page view audited as in real use.

1. The Supporting Families team's central record with its filters (open with reviews overdue, a surname,
   a school, the start of a postcode), signed in as a member of the team (with TOTP set up, as the
   role requires).
2. The family page and the chronology (its first page and its fifth) of the family with 500 chronology
   entries, signed in as its lead practitioner.

While the load runs, the database's connections are sampled: how many wait for a lock, and on what
(every page view writes an audit entry, and the audit chain has one head). Before the load, the SQL
queries of each page are counted in-process for a small family and for the 500-entry one.

    .venv/bin/python -m benchmarks.early_help [--families 50000] [--entries 200000] [--clients 50]
        [--seconds 15] [--workers 4]

Writes benchmarks/results/early_help.json and .md. Aim: p95 under 200 ms on every page, the same number
of queries whatever the record's size, no time waiting for a lock. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks import harness

# How page views' audit entries join the chain: the hub's way on PostgreSQL, and the way before it (each
# writer locks the chain's head until it commits), measured on the same data for comparison.
AFTER_COMMIT = "after commit"
AUDIT_CHAINING = {"head locked": "0", AFTER_COMMIT: "1"}
BIG_FAMILY_ENTRIES = 500
SYLLABLES = ["ab", "bel", "cor", "dun", "el", "fen", "gar", "hol", "ing", "jar", "kel", "lor", "mar", "nor", "ost"]
FIRST_NAMES = ["Alex", "Billie", "Casey", "Dana", "Eden", "Frankie", "Gray", "Harper", "Indy", "Jules", "Kit", "Lou"]


def surname(n: int) -> str:
    """A clearly fictional surname; about 3,400 different ones, so a search finds a handful of families."""
    a, b, c = n % 15, n // 15 % 15, n // 225 % 15
    return f"Fict{SYLLABLES[a]}{SYLLABLES[b]}{SYLLABLES[c]}".capitalize()


# --- Inside the hub (through `manage.py shell`) -------------------------------------------------


def seed(families: int = 50_000, entries: int = 200_000) -> None:
    """Families with their people, team and a completed assessment, the chronology, and two people signed in."""
    import datetime as dt

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, Team, User
    from apps.earlyhelp.models import (
        ActionStatus,
        Assessment,
        AssessmentStatus,
        ChronologyEntry,
        ClosureReason,
        Consent,
        EntryKind,
        Family,
        FamilyMember,
        FamilyStatus,
        Meeting,
        MemberRole,
        Outcome,
        PlanAction,
        PlanOutcome,
        Review,
        TeamMember,
    )
    from apps.earlyhelp.rules import SUPPORTING_FAMILIES
    from benchmarks.harness import sign_in

    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    sectors = [Sector.HEALTH, Sector.EDUCATION, Sector.POLICE, Sector.VOLUNTARY, Sector.CHILDRENS_SERVICES]
    agencies = [Organisation.objects.create(name=f"Benchmark agency {n}", sector=sectors[n % 5]) for n in range(12)]
    council = Organisation.objects.create(name="Benchmark council", sector=Sector.CHILDRENS_SERVICES)

    def person(email: str, organisation) -> User:
        return User(
            email=email,
            first_name="Practitioner",
            last_name=email.split("@")[0],
            organisation=organisation,
            status=AccountStatus.ACTIVE,
            is_active=True,
            password="!unusable",  # noqa: S106 - nobody signs in with a password here
        )

    practitioners = User.objects.bulk_create(
        [person(f"practitioner{n}@bench.example.org", agencies[n % len(agencies)]) for n in range(300)]
    )
    supporting = person("sf@bench.example.org", council)
    supporting.save()
    team = Team.objects.create(organisation=council, name="Supporting Families", slug=SUPPORTING_FAMILIES)
    RoleGrant.objects.create(user=supporting, role=Role.TEAM_MEMBER, team=team)
    TOTP.activate(supporting, generate_totp_secret())  # the role must use TOTP, or every page sends it to set-up

    schools = [f"Fictional {name} School" for name in ("Green", "Hill", "Park", "Vale", "Moor", "Bridge")] + [
        f"Benchmark Primary School {n}" for n in range(60)
    ]
    statuses = [FamilyStatus.DRAFT] * 1 + [FamilyStatus.OPEN] * 6 + [FamilyStatus.STEPPED_UP] * 1
    statuses += [FamilyStatus.CLOSED] * 2

    def postcode() -> str:
        return f"YO{rng.randint(1, 32)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"

    with transaction.atomic():
        rows = []
        for n in range(families):
            status = rng.choice(statuses)
            lead = practitioners[rng.randrange(len(practitioners))]
            closed = status == FamilyStatus.CLOSED
            rows.append(
                Family(
                    name=f"The {surname(n)} family",
                    status=status,
                    lead=lead,
                    lead_organisation_id=lead.organisation_id,
                    created_by=lead,
                    postcode=postcode(),
                    next_review_on=None if closed else today + dt.timedelta(days=rng.randint(-60, 42)),
                    opened_on=None if status == FamilyStatus.DRAFT else today - dt.timedelta(days=rng.randint(1, 900)),
                    referred_to_tis=status == FamilyStatus.STEPPED_UP,
                    closed_on=today - dt.timedelta(days=rng.randint(1, 300)) if closed else None,
                    closure_reason=ClosureReason.OUTCOMES_ACHIEVED if closed else "",
                )
            )
        made = Family.objects.bulk_create(rows, batch_size=5000)
        big, small = made[families // 2], made[families // 2 + 1]
        for family in (big, small):  # both open, so both pages show everything an open record has
            family.status, family.next_review_on = FamilyStatus.OPEN, today + dt.timedelta(days=10)
            family.closed_on, family.closure_reason, family.referred_to_tis = None, "", False
            family.opened_on = family.opened_on or today - dt.timedelta(days=200)
        Family.objects.bulk_update(
            [big, small], ["status", "next_review_on", "closed_on", "closure_reason", "referred_to_tis", "opened_on"]
        )

        members, team_rows, assessments = [], [], []
        for n, family in enumerate(made):
            people = 8 if family is big else 3
            for k in range(people):
                child = k > 0
                members.append(
                    FamilyMember(
                        family=family,
                        role=MemberRole.CHILD if child else MemberRole.PARENT_CARER,
                        first_name=FIRST_NAMES[(n + k) % len(FIRST_NAMES)],
                        surname=surname(n),
                        date_of_birth=dt.date(2008 + rng.randrange(16), rng.randint(1, 12), rng.randint(1, 28))
                        if child
                        else dt.date(1975 + rng.randrange(20), rng.randint(1, 12), rng.randint(1, 28)),
                        school=schools[rng.randrange(len(schools))] if child else "",
                        postcode=family.postcode,
                        address=f"{rng.randint(1, 200)} Example Street, York",
                        added_by=family.lead,
                    )
                )
            others = 5 if family is big else (0 if family is small else rng.randint(0, 2))
            team_rows.append(
                TeamMember(
                    family=family,
                    user=family.lead,
                    organisation_id=family.lead_organisation_id,
                    role="Lead practitioner",
                    added_by=family.lead,
                )
            )
            for other in rng.sample(practitioners, others):
                if other.pk != family.lead_id:
                    team_rows.append(
                        TeamMember(
                            family=family,
                            user=other,
                            organisation_id=other.organisation_id,
                            role="School nurse",
                            added_by=family.lead,
                        )
                    )
            done = family.status != FamilyStatus.DRAFT
            assessments.append(
                Assessment(
                    family=family,
                    status=AssessmentStatus.COMPLETED if done else AssessmentStatus.DRAFT,
                    started_by=family.lead,
                    family_story="We moved here last year and the children miss their friends.",
                    voice_of_child="School is too loud.",
                    working_well="The children get to school most days.",
                    worries="Missed sessions this term.",
                    needs_to_happen="Everyone goes to school and feels safe there.",
                    scaling=rng.randint(0, 10),
                    needs={Outcome.EDUCATION: "Help to get to school"},
                    completed_at=now - dt.timedelta(days=rng.randint(1, 900)) if done else None,
                    signed_off_by=family.lead if done else None,
                )
            )
        FamilyMember.objects.bulk_create(members, batch_size=10000)
        TeamMember.objects.bulk_create(team_rows, batch_size=10000)
        Assessment.objects.bulk_create(assessments, batch_size=5000)

        kinds = [kind for kind in EntryKind.values if kind != EntryKind.PARTNER_FORM]
        big_members = list(big.members.all())

        def entry(family, k: int) -> ChronologyEntry:
            manual = k % 5 == 0
            return ChronologyEntry(
                family=family,
                member=big_members[k % len(big_members)] if family is big and k % 3 == 0 else None,
                occurred_on=today - dt.timedelta(days=rng.randint(0, 1500)),
                kind=EntryKind.SIGNIFICANT_EVENT if manual else kinds[k % len(kinds)],
                summary=f"Benchmark chronology entry {k}: something happened that the team should know about.",
                source_agency="Benchmark agency 1" if manual else "",
                impact_on_child="The child was upset for a week." if manual else "",
                automatic=not manual,
                recorded_by=family.lead,
            )

        chronology = [entry(big, k) for k in range(BIG_FAMILY_ENTRIES)]
        chronology += [entry(small, k) for k in range(4)]
        others = [family for family in made if family is not big and family is not small]
        left = entries - len(chronology)
        chronology += [entry(others[k % len(others)], k) for k in range(left)]
        ChronologyEntry.objects.bulk_create(chronology, batch_size=10000)

        # The 500-entry family also has more of everything else on its page than the small one.
        for family, size in ((big, 3), (small, 1)):
            for k in range(size):
                consent = Consent.objects.create(
                    family=family,
                    given_by_name=f"Parent {k}",
                    given_by="parent_carer",
                    given_on=today - dt.timedelta(days=100 + k),
                    method="written",
                    recorded_by=family.lead,
                )
                consent.agencies.set(agencies[: 2 + k])
                outcome = PlanOutcome.objects.create(
                    family=family, headline=Outcome.values[k], description=f"Outcome {k} the family wants"
                )
                PlanAction.objects.bulk_create(
                    [
                        PlanAction(
                            outcome=outcome,
                            what=f"Action {a}",
                            who="Benchmark agency 1",
                            due_on=today + dt.timedelta(days=7 * a),
                            status=ActionStatus.IN_PROGRESS,
                        )
                        for a in range(3 * size)
                    ]
                )
                Meeting.objects.create(
                    family=family,
                    held_on=today - dt.timedelta(days=30 * k),
                    attended="Parent\nLead practitioner",
                    discussed="How school is going.",
                    recorded_by=family.lead,
                )
                Review.objects.create(
                    family=family,
                    held_on=today - dt.timedelta(days=42 * k),
                    scaling=6,
                    next_review_on=today + dt.timedelta(days=10),
                    recorded_by=family.lead,
                )

    def signed_in(user: User) -> str:
        session_key = sign_in(user)
        return session_key

    school = next(m.school for m in big_members if m.school)
    print(
        json.dumps(
            {
                "big": big.pk,
                "small": small.pk,
                "surname": surname(families // 2 + 7),
                "school": school,
                "cookies": {
                    "supporting_families": signed_in(supporting),
                    "lead": signed_in(big.lead),
                    "lead_small": signed_in(small.lead),
                },
                "counts": {
                    "families": Family.objects.count(),
                    "people": FamilyMember.objects.count(),
                    "team_members": TeamMember.objects.count(),
                    "assessments_completed": Assessment.objects.filter(status=AssessmentStatus.COMPLETED).count(),
                    "chronology_entries": ChronologyEntry.objects.count(),
                    "big_family_entries": big.chronology.count(),
                    "small_family_entries": small.chronology.count(),
                },
            }
        )
    )


def count_queries(pages: list[list[str]], cookies: dict[str, str]) -> None:
    """Each page's SQL queries, counted in-process with the test client (the second of two requests, so
    nothing a process does once is counted), and how many of them write the audit trail."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counted = []
    for label, who, path in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[who]
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        sql = [query["sql"] for query in captured.captured_queries]
        counted.append(
            {
                "label": label,
                "path": path,
                "status": response.status_code,
                "queries": len(sql),
                "audit_entries_written": sum(q.startswith('INSERT INTO "audit_auditentry"') for q in sql),
            }
        )
    print(json.dumps(counted))


# --- Outside: lock waits while the load runs ------------------------------------------------------


@contextmanager
def lock_sampler(database_url: str, every: float = 0.2) -> Iterator[dict]:
    """Like benchmarks.forms.lock_sampler, and also what each waiting connection runs: the mean number of
    connections per sample in each state, the samples with anyone waiting, and the waiting queries."""
    sql = (
        "select case when wait_event_type = 'Lock' then 'waiting for a lock'"
        " when state = 'idle in transaction' then 'in a transaction, not in a query'"
        " when state = 'active' then 'running a query' else 'idle' end,"
        " case when wait_event_type = 'Lock' then left(regexp_replace(query, '\\s+', ' ', 'g'), 90) else '' end"
        " from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
        " and backend_type = 'client backend'"
    )
    counts: dict[str, int] = {}
    waiting_on: dict[str, int] = {}
    samples, with_waits = [0], [0]
    stop = threading.Event()
    summary: dict = {}

    def sample() -> None:
        while not stop.is_set():
            try:
                out = subprocess.run(
                    ["psql", database_url, "-tA", "-F", "\t", "-c", sql],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=10,
                ).stdout
            except (subprocess.SubprocessError, OSError):
                continue
            waited = False
            for line in filter(None, (line.strip("\n") for line in out.splitlines())):
                state, _, query = line.partition("\t")
                counts[state] = counts.get(state, 0) + 1
                if state == "waiting for a lock":
                    waited = True
                    waiting_on[query] = waiting_on.get(query, 0) + 1
            samples[0] += 1
            with_waits[0] += waited
            stop.wait(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield summary
    finally:
        stop.set()
        thread.join(timeout=15)
        n = samples[0] or 1
        summary["samples"] = samples[0]
        summary["samples_with_a_lock_wait"] = with_waits[0]
        summary["mean_connections"] = {state: round(count / n, 2) for state, count in sorted(counts.items())}
        summary["mean_waiting_for_a_lock"] = round(counts.get("waiting for a lock", 0) / n, 3)
        summary["waiting_queries"] = dict(sorted(waiting_on.items(), key=lambda item: -item[1]))


def all_pages(results: list[dict]) -> dict:
    """The lock samples of every page's load together."""
    samples = sum(r["locks"]["samples"] for r in results) or 1
    states: dict[str, float] = {}
    waiting: dict[str, int] = {}
    for r in results:
        for state, mean in r["locks"]["mean_connections"].items():
            states[state] = states.get(state, 0) + mean * r["locks"]["samples"]
        for query, count in r["locks"]["waiting_queries"].items():
            waiting[query] = waiting.get(query, 0) + count
    return {
        "samples": samples,
        "samples_with_a_lock_wait": sum(r["locks"]["samples_with_a_lock_wait"] for r in results),
        "mean_connections": {state: round(total / samples, 2) for state, total in sorted(states.items())},
        "mean_waiting_for_a_lock": round(states.get("waiting for a lock", 0) / samples, 3),
        "waiting_queries": dict(sorted(waiting.items(), key=lambda item: -item[1])),
    }


# --- The run ---------------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on now (other engineers run benchmarks on this machine too)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(env: dict[str, str], code: str):
    return json.loads(harness.manage(env, "shell", "-c", code).strip().splitlines()[-1])


def markdown(payload: dict, command: str) -> str:
    setup = payload["setup"]
    lines = [
        "# Early help benchmark",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs with `{command}`:",
        f"gunicorn ({setup['workers']} sync workers), hub.settings.production, PostgreSQL, loopback only;"
        f" {setup['clients']} concurrent clients for {setup['seconds_per_page']} s on each page, every page view"
        " written to the audit trail as in real use.",
        "",
        f"Data: {payload['data']}",
        "",
        "## Pages under load",
        "",
        "Each page twice: with entries joining the audit chain after commit (the hub's way on PostgreSQL), and,"
        " for comparison, with each page view's audit write locking the chain's head until it commits (before).",
        "",
        "| page | signed in as | audit chaining | requests/s | p50 ms | p95 ms | p99 ms | errors"
        " | waiting for a lock (mean connections) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = payload["pages_with_the_chain_head_locked"] + payload["pages"]
    order = {r["label"]: n for n, r in enumerate(payload["pages"])}
    rows.sort(key=lambda r: (order.get(r["label"], 0), r["audit"] != "head locked"))
    lines += [
        f"| {r['label']} | {r['who'].replace('_', ' ')} | {r['audit']} | {r['requests_per_second']} | {r['p50_ms']}"
        f" | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} | {r['locks']['mean_waiting_for_a_lock']} |"
        for r in rows
    ]
    lines += [
        "",
        "## SQL queries per page (counted in-process)",
        "",
        "| page | queries | of which audit entries written | status |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {q['label']} | {q['queries']} | {q['audit_entries_written']} | {q['status']} |"
        for q in payload["queries_per_page"]
    ]
    lines += [
        "",
        "Counted with entries joining the audit chain after commit: each count includes the page's one audit"
        " insert and the chaining that follows its commit (the advisory lock, the head, the entries waiting,"
        " their update, the head's update).",
    ]
    lines += ["", "## Waiting for a lock", ""]
    for chaining, locks in payload["lock_waits"].items():
        lines += [
            f"- Audit chaining {chaining}: pg_stat_activity sampled every 0.2 s ({locks['samples']} samples)."
            f" Connections waiting for a lock (wait_event_type Lock): {locks['mean_waiting_for_a_lock']} on average"
            f" per sample, in {locks['samples_with_a_lock_wait']} samples. Connection states (mean per sample):"
            f" {locks['mean_connections']}. Waiting queries: {locks['waiting_queries'] or 'none'}.",
        ]
    audit = payload["audit_trail_after"]
    lines += [
        "",
        f"Afterwards the trail held {audit['entries']} entries, {audit['waiting_to_join_the_chain_after_the_load']}"
        f" of them still waiting to join the chain; `verify_chain` chained those and verified {audit['verified']}:"
        f" {audit['break'] or 'no break'}.",
        "",
        f"Load average at the start {payload['load_average_at_start']}, at the end"
        f" {payload['load_average_at_end']} (two cores, shared with other engineers' test runs).",
        "",
        f"Aim: {payload['aim']}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=50_000)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    load_at_start = [round(x, 2) for x in os.getloadavg()]

    with harness.fresh_database(f"bench_early_help_{os.getpid()}") as database_url:
        env = harness.production_env(database_url)
        harness.prepare(env)
        seeded = shell(
            env, f"from benchmarks.early_help import seed; seed(families={args.families}, entries={args.entries})"
        )
        big, small = seeded["big"], seeded["small"]
        pages = [
            (
                "central record: open, reviews overdue",
                "supporting_families",
                "/early-help/central/?status=open&review=overdue",
            ),
            ("central record: a surname", "supporting_families", f"/early-help/central/?q={seeded['surname']}"),
            (
                "central record: a school",
                "supporting_families",
                "/early-help/central/?school=" + seeded["school"].replace(" ", "+"),
            ),
            ("central record: postcode YO3", "supporting_families", "/early-help/central/?postcode=YO3"),
            ("central record: page 100", "supporting_families", "/early-help/central/?status=all&page=100"),
            (f"family page ({BIG_FAMILY_ENTRIES} entries)", "lead", f"/early-help/{big}/"),
            (f"chronology ({BIG_FAMILY_ENTRIES} entries)", "lead", f"/early-help/{big}/chronology/"),
            (f"chronology ({BIG_FAMILY_ENTRIES} entries), page 5", "lead", f"/early-help/{big}/chronology/?page=5"),
        ]
        sizes = [
            ("family page, small family (4 entries, 3 people)", "lead_small", f"/early-help/{small}/"),
            (f"family page, {BIG_FAMILY_ENTRIES} entries, 8 people", "lead", f"/early-help/{big}/"),
            ("chronology, small family", "lead_small", f"/early-help/{small}/chronology/"),
            (f"chronology, {BIG_FAMILY_ENTRIES} entries", "lead", f"/early-help/{big}/chronology/"),
            (f"chronology, {BIG_FAMILY_ENTRIES} entries, page 5", "lead", f"/early-help/{big}/chronology/?page=5"),
            *[(label, who, path) for label, who, path in pages if path.startswith("/early-help/central/")],
        ]
        cookies = seeded["cookies"]
        queries = shell(
            env,
            "from benchmarks.early_help import count_queries; "
            f"count_queries({json.dumps([list(p) for p in sizes])}, {json.dumps(cookies)})",
        )
        results = []
        for chaining, after_commit in AUDIT_CHAINING.items():
            server_env = {**env, "AUDIT_CHAIN_AFTER_COMMIT": after_commit}
            with harness.production_server(server_env, workers=args.workers, port=free_port()) as base:
                for label, who, path in pages:
                    headers = {"Cookie": f"sessionid={cookies[who]}"}
                    harness.run_load(
                        base, "warm-up", lambda i, n, p=path, h=headers: ("GET", p, None, h), clients=4, duration=2
                    )
                    with lock_sampler(database_url) as locks:
                        result = harness.run_load(
                            base,
                            label,
                            lambda i, n, p=path, h=headers: ("GET", p, None, h),
                            clients=args.clients,
                            duration=args.seconds,
                        )
                    summary = {**result.summary(), "path": path, "who": who, "audit": chaining, "locks": locks}
                    results.append(summary)
                    print(
                        f"{label:44} {chaining:22} {summary['requests_per_second']:>7} req/s"
                        f"  p50 {summary['p50_ms']:>7} ms  p95 {summary['p95_ms']:>7} ms  errors {summary['errors']}"
                        f"  lock waits {locks['mean_waiting_for_a_lock']}",
                        flush=True,
                    )
        audit = shell(
            env,
            "import json; from apps.audit.models import AuditEntry; from apps.audit.services import verify_chain;"
            "pending = AuditEntry.objects.filter(entry_hash__isnull=True).count();"
            "checked, broken = verify_chain(); print(json.dumps({'entries': AuditEntry.objects.count(),"
            " 'waiting_to_join_the_chain_after_the_load': pending,"
            " 'verified': checked, 'break': str(broken) if broken else None}))",
        )
    payload = {
        "setup": {
            "families": args.families,
            "chronology_entries": args.entries,
            "clients": args.clients,
            "seconds_per_page": args.seconds,
            "workers": args.workers,
            "server": f"gunicorn hub.wsgi, {args.workers} sync workers, hub.settings.production, PostgreSQL",
        },
        "data": seeded["counts"],
        "aim": "p95 under 200 ms on every page; queries per page independent of the record's size; no lock waits",
        "pages": [r for r in results if r["audit"] == AFTER_COMMIT],
        "pages_with_the_chain_head_locked": [r for r in results if r["audit"] != AFTER_COMMIT],
        "queries_per_page": queries,
        "lock_waits": {
            chaining: all_pages([r for r in results if r["audit"] == chaining]) for chaining in AUDIT_CHAINING
        },
        "audit_trail_after": audit,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    path = harness.write_results("early_help", payload)
    payload = json.loads(path.read_text())
    command = "python -m benchmarks.early_help " + " ".join(f"--{k} {v}" for k, v in vars(args).items())
    path.with_suffix(".md").write_text(markdown(payload, command))
    print(markdown(payload, command))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
