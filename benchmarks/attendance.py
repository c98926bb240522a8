"""School attendance at the size of a local authority: 60 schools, 40,000 pupils, 6 terms, on PostgreSQL.

1. Every school's term file (about 670 pupils each) is imported through the real import
   (`attendance.services.import_attendance`: read, check every row, then write all of it in one transaction);
   the time of each file is recorded. 2,000 of the pupils are children on open early help records (by UPN),
   so the cohort figures have something to find.
2. The production server (gunicorn, production settings) is loaded by 20 concurrent clients on the attendance
   figures (every school, the latest term; one school; a school's own view), the pupil list filtered to severe
   absence, and a pupil's page. Every view writes its audit entry. Aim: p95 under 300 ms.

    .venv/bin/python -m benchmarks.attendance                      # the full size
    .venv/bin/python -m benchmarks.attendance --schools 20 --pupils 10000 --terms 3   # a smaller run

Results go to benchmarks/results/attendance.json and .md, with the load average of the (shared) machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket

from benchmarks import harness

# --- Inside the hub (through `manage.py shell`) -------------------------------------------------


def seed(schools: int = 60, pupils: int = 40_000, terms: int = 6) -> None:
    import csv
    import io
    import statistics
    import time

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, Team, User
    from apps.attendance import services
    from apps.attendance.models import Pupil, PupilTerm
    from apps.attendance.rules import ATTENDANCE_TEAM
    from apps.core.identifiers import upn_check_letter
    from apps.earlyhelp.models import Family, FamilyMember, FamilyStatus, MemberRole
    from benchmarks.harness import sign_in

    rng = random.Random(2026)

    def person(email: str, organisation) -> User:
        user = User(
            email=email,
            first_name="Bench",
            last_name=email.split("@")[0],
            organisation=organisation,
            status=AccountStatus.ACTIVE,
            is_active=True,
            password="!unusable",  # noqa: S106 - nobody signs in with a password here
        )
        user.save()
        return user

    council = Organisation.objects.create(name="Benchmark council", sector=Sector.CHILDRENS_SERVICES)
    team_user = person("attendance@bench.example.org", council)
    team = Team.objects.create(organisation=council, name="Attendance team", slug=ATTENDANCE_TEAM)
    RoleGrant.objects.create(user=team_user, role=Role.TEAM_MEMBER, team=team)
    TOTP.activate(team_user, generate_totp_secret())  # the role must use TOTP, or every page sends it to set-up

    made = []
    for n in range(schools):
        organisation = Organisation.objects.create(name=f"Benchmark School {n:02d}", sector=Sector.EDUCATION)
        made.append(services.register_school(organisation=organisation, urn=f"{900000 + n}"))
    school_user = person("school@bench.example.org", made[0].organisation)

    def upn(n: int) -> str:
        rest = f"{8000000 + n // 100000:07d}{n % 100000:05d}"
        return upn_check_letter(rest) + rest

    per_school = pupils // schools
    roll = {
        school.pk: [
            (upn(k * per_school + i), f"Pupil{i}", f"Surname{rng.randint(1, 3000)}", rng.randint(1, 11))
            for i in range(per_school)
        ]
        for k, school in enumerate(made)
    }
    habits = {
        number: rng.choice([0.02, 0.04, 0.05, 0.06, 0.08, 0.12, 0.2, 0.55])
        for rows in roll.values()
        for number, *_ in rows
    }
    periods = [(2023 + t // 3, t % 3 + 1) for t in range(terms)]
    timings = []
    for academic_year, term in periods:
        for school in made:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(
                ["URN", "UPN", "Surname", "Forename", "Date of birth", "Year group", "Sessions possible",
                 "Authorised absence", "Unauthorised absence", "SEN", "FSM", "Social worker"]
            )  # fmt: skip
            for number, first, last, year in roll[school.pk]:
                possible = rng.choice([120, 126, 130, 132])
                missed = min(possible, max(0, round(possible * rng.gauss(habits[number], habits[number] / 3))))
                unauthorised = round(missed * rng.random() * 0.6)
                writer.writerow(
                    [school.urn, number, last, first, f"{2018 - year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                     year, possible, missed - unauthorised, unauthorised, "Y" if rng.random() < 0.15 else "N",
                     "Y" if rng.random() < 0.25 else "N", "Y" if rng.random() < 0.04 else "N"]
                )  # fmt: skip
            data = out.getvalue().encode()
            began = time.perf_counter()
            services.import_attendance(
                school=school,
                academic_year=academic_year,
                term=term,
                kind="termly",
                uploaded=SimpleUploadedFile(f"{school.urn}.csv", data, "text/csv"),
                by=team_user,
            )
            timings.append(time.perf_counter() - began)

    # Open early help records for 2,000 of the pupils (the "early help plan" cohort), and 300 known to TIS.
    lead = person("lead@bench.example.org", council)
    chosen = rng.sample([number for rows in roll.values() for number, *_ in rows], min(2000, pupils))
    families = Family.objects.bulk_create(
        [
            Family(
                name=f"Bench family {n}",
                status=FamilyStatus.OPEN,
                lead=lead,
                lead_organisation=council,
                created_by=lead,
                referred_to_tis=n < 300,
            )
            for n in range(len(chosen))
        ]
    )
    FamilyMember.objects.bulk_create(
        [
            FamilyMember(
                family=family,
                role=MemberRole.CHILD,
                first_name="Child",
                surname="Bench",
                pupil_number=number,
                added_by=lead,
            )
            for family, number in zip(families, chosen, strict=True)
        ]
    )

    # As autovacuum would after a bulk load: the planner's statistics of the new rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from apps.attendance import selectors

    began = time.perf_counter()
    selectors._figures(team_user, school=None, term=None)  # every school, latest term, without the cache
    cold_every_school = time.perf_counter() - began
    began = time.perf_counter()
    selectors._figures(school_user, school=None, term=None)
    cold_one_school = time.perf_counter() - began

    def signed_in(user: User) -> str:
        session_key = sign_in(user)
        return session_key

    ordered = sorted(timings)
    severe_pupil = (
        PupilTerm.objects.filter(school=made[0], authorised__gte=60).values_list("pupil_id", flat=True).first()
        or Pupil.objects.filter(school=made[0]).values_list("pk", flat=True).first()
    )
    print(
        json.dumps(
            {
                "school": made[1].pk,
                "pupil": severe_pupil,
                "cookies": {"team": signed_in(team_user), "school": signed_in(school_user)},
                "imports": {
                    "files": len(timings),
                    "pupils_per_file": per_school,
                    "mean_s": round(statistics.fmean(ordered), 3),
                    "p50_s": round(ordered[len(ordered) // 2], 3),
                    "p95_s": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3),
                    "max_s": round(ordered[-1], 3),
                    "first_term_mean_s": round(statistics.fmean(timings[:schools]), 3),
                    "last_term_mean_s": round(statistics.fmean(timings[-schools:]), 3),
                },
                "figures_without_the_cache_s": {
                    "every_school": round(cold_every_school, 3),
                    "one_school": round(cold_one_school, 3),
                },
                "counts": {
                    "schools": len(made),
                    "pupils": Pupil.objects.count(),
                    "pupil_terms": PupilTerm.objects.count(),
                    "early_help_children": len(chosen),
                },
            }
        )
    )


# --- Outside: the run ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(env: dict[str, str], code: str):
    return json.loads(harness.manage(env, "shell", "-c", code).strip().splitlines()[-1])


def markdown(payload: dict, command: str) -> str:
    setup, imports = payload["setup"], payload["imports"]
    lines = [
        "# School attendance",
        "",
        f"`{command}`, measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs shared with other work"
        f" (load average {payload['load_average_at_start']} at the start, {payload['load_average_at_end']} at the end:"
        " 1, 5 and 15 minutes).",
        "",
        f"Data: {payload['data']['schools']} schools, {payload['data']['pupils']:,} pupils,"
        f" {payload['data']['pupil_terms']:,} pupil-terms ({setup['terms']} terms),"
        f" {payload['data']['early_help_children']:,} children on open early help records.",
        "",
        "## Import, one school's term file at a time",
        "",
        f"{imports['files']} files of {imports['pupils_per_file']} pupils, each read, checked and written in one"
        " transaction through `attendance.services.import_attendance`:",
        "",
        "| mean | p50 | p95 | max | first term's files (mean) | last term's files (mean) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {imports['mean_s']} s | {imports['p50_s']} s | {imports['p95_s']} s | {imports['max_s']} s |"
        f" {imports['first_term_mean_s']} s | {imports['last_term_mean_s']} s |",
        "",
        "The figures are kept in the cache until the next upload (or five minutes); computed afresh, once, with"
        f" nothing else running in the hub: every school {payload['figures_without_the_cache_s']['every_school']} s,"
        f" one school {payload['figures_without_the_cache_s']['one_school']} s.",
        "",
        f"## Pages, {setup['clients']} concurrent clients for {setup['seconds_per_page']} s each ({setup['server']})",
        "",
        f"Aim: {payload['aim']}.",
        "",
        "| page | who | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in payload["pages"]:
        lines.append(
            f"| {row['label']} | {row['who']} | {row['requests_per_second']} | {row['p50_ms']} | {row['p95_ms']}"
            f" | {row['p99_ms']} | {row['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--pupils", type=int, default=40_000)
    parser.add_argument("--terms", type=int, default=6)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    load_at_start = [round(x, 2) for x in os.getloadavg()]

    with harness.fresh_database(f"bench_attendance_{os.getpid()}") as database_url:
        env = harness.production_env(database_url)
        harness.prepare(env)
        seeded = shell(
            env,
            "from benchmarks.attendance import seed; "
            f"seed(schools={args.schools}, pupils={args.pupils}, terms={args.terms})",
        )
        print(json.dumps(seeded["imports"]), flush=True)
        school, pupil, cookies = seeded["school"], seeded["pupil"], seeded["cookies"]
        pages = [
            ("figures: every school, latest term", "team", "/attendance/figures/"),
            ("figures: one school", "team", f"/attendance/figures/?school={school}"),
            ("figures: a school's own", "school", "/attendance/figures/"),
            ("pupils: severe absence, every school", "team", "/attendance/?band=severe"),
            ("pupils: a school's own", "school", "/attendance/"),
            ("a pupil's page", "team", f"/attendance/pupils/{pupil}/"),
        ]
        results = []
        with harness.production_server(env, workers=args.workers, port=free_port()) as base:
            for label, who, path in pages:
                headers = {"Cookie": f"sessionid={cookies[who]}"}
                harness.run_load(
                    base, "warm-up", lambda i, n, p=path, h=headers: ("GET", p, None, h), clients=2, duration=2
                )
                result = harness.run_load(
                    base,
                    label,
                    lambda i, n, p=path, h=headers: ("GET", p, None, h),
                    clients=args.clients,
                    duration=args.seconds,
                )
                summary = {**result.summary(), "path": path, "who": who}
                results.append(summary)
                print(
                    f"{label:40} {summary['requests_per_second']:>7} req/s  p50 {summary['p50_ms']:>7} ms"
                    f"  p95 {summary['p95_ms']:>7} ms  errors {summary['errors']}",
                    flush=True,
                )
    payload = {
        "setup": {
            "schools": args.schools,
            "pupils": args.pupils,
            "terms": args.terms,
            "clients": args.clients,
            "seconds_per_page": args.seconds,
            "workers": args.workers,
            "server": f"gunicorn hub.wsgi, {args.workers} sync workers, hub.settings.production, PostgreSQL",
        },
        "data": seeded["counts"],
        "imports": seeded["imports"],
        "figures_without_the_cache_s": seeded["figures_without_the_cache_s"],
        "aim": "p95 under 300 ms on every page",
        "pages": results,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    path = harness.write_results("attendance", payload)
    payload = json.loads(path.read_text())
    command = "python -m benchmarks.attendance " + " ".join(f"--{k} {v}" for k, v in vars(args).items())
    path.with_suffix(".md").write_text(markdown(payload, command))
    print(markdown(payload, command))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
