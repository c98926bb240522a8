"""The public site under load: 10,000 articles on PostgreSQL, the production server with 2 workers,
50 concurrent clients on the news list, an article, the awareness calendar and the document library.

    .venv/bin/python -m benchmarks.public_pages [--articles 10000] [--clients 50] [--seconds 20]

Writes benchmarks/results/public_pages.json and .md. Aim: p95 under 100 ms on each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random

from benchmarks import harness

PAGES = {
    "news list": "/news/",
    "news list, page 200": "/news/?page=200",
    "article": None,  # chosen after generation
    "awareness calendar": "/awareness/",
    "document library": "/documents/",
}


def generate(count: int) -> str:
    """Runs inside the hub (manage.py shell): adds `count` articles under the news index, quickly."""
    from django.db import transaction

    from apps.news.models import NewsArticlePage, NewsIndexPage, NewsTopic

    index = NewsIndexPage.objects.get()
    topics = list(NewsTopic.objects.all())
    rng = random.Random(2024)
    words = [
        "safeguarding",
        "partnership",
        "children",
        "families",
        "school",
        "police",
        "health",
        "training",
        "briefing",
        "review",
    ]
    start = dt.date(2014, 1, 1)
    with transaction.atomic():
        for n in range(count):
            title = f"{rng.choice(words).title()} {rng.choice(words)} update {n}"
            page = NewsArticlePage(
                title=title,
                slug=f"generated-{n}",
                published_on=start + dt.timedelta(days=n % 3650),
                summary=" ".join(rng.choice(words) for _ in range(30)),
                body="".join(f"<p>{' '.join(rng.choice(words) for _ in range(60))}</p>" for _ in range(5)),
                live=True,
                has_unpublished_changes=False,
                first_published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            )
            index.add_child(instance=page)
            page.topics.set(rng.sample(topics, 2))
    return NewsArticlePage.objects.get(slug=f"generated-{count // 2}").url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    with harness.fresh_database(f"bench_public_{os.getpid()}") as database_url:
        # Search indexing is done by the worker in production; the benchmark measures page serving.
        env = harness.production_env(database_url, WAGTAILSEARCH_AUTO_UPDATE="0")
        harness.prepare(env)
        harness.manage(env, "load_demo", "--allow-production")
        article_url = (
            harness.manage(
                env, "shell", "-c", f"from benchmarks.public_pages import generate; print(generate({args.articles}))"
            )
            .strip()
            .splitlines()[-1]
        )
        pages = {**PAGES, "article": article_url}
        results = []
        with harness.production_server(env, workers=2) as base:
            for label, path in pages.items():
                harness.run_load(base, "warm-up", lambda i, n, p=path: ("GET", p, None, {}), clients=4, duration=2)
                result = harness.run_load(
                    base, label, lambda i, n, p=path: ("GET", p, None, {}), clients=args.clients, duration=args.seconds
                )
                summary = {**result.summary(), "path": path}
                results.append(summary)
                print(
                    f"{label:24} {summary['requests_per_second']:>8} req/s  p50 {summary['p50_ms']:>7} ms  "
                    f"p95 {summary['p95_ms']:>7} ms  errors {summary['errors']}"
                )
    payload = {
        "setup": {
            "articles": args.articles,
            "clients": args.clients,
            "seconds_per_page": args.seconds,
            "server": "gunicorn hub.wsgi, 2 sync workers, hub.settings.production, PostgreSQL, WhiteNoise",
            "load_average_at_end": os.getloadavg(),
        },
        "aim": "p95 under 100 ms",
        "pages": results,
    }
    path = harness.write_results("public_pages", payload)
    command = "python -m benchmarks.public_pages " + " ".join(f"--{name} {value}" for name, value in vars(args).items())
    lines = [
        "# Public pages benchmark",
        "",
        f"Command: `{command}`",
        "",
        f"Setup: {payload['setup']}",
        "",
        "| page | requests/s | p50 ms | p95 ms | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['label']} | {r['requests_per_second']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} |"
        for r in results
    ]
    path.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
