"""Reads the partnership's old news page (the seed of the demo content) into articles.

The page is plain text: each article is a title, "Published 23 February 2024.", paragraphs
(lines starting with "•" or "1." are list items) and "Back to list of news".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PUBLISHED = re.compile(r"^Published (\d{1,2}) ([A-Z][a-z]+) (\d{4})\.$")
BULLET = re.compile(r"^\s*•\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+\.\s+(.*)$")
BACK = "Back to list of news"
PAGE_FURNITURE = {"Latest news", "A boy's hand thrust forward towards the camera"}


@dataclass
class Block:
    kind: str  # "p", "ul" or "ol"
    items: list[str] = field(default_factory=list)


@dataclass
class SeedArticle:
    title: str
    published_on: dt.date
    blocks: list[Block]

    @property
    def paragraphs(self) -> list[str]:
        return [block.items[0] for block in self.blocks if block.kind == "p"]


def parse(text: str) -> list[SeedArticle]:
    articles: list[SeedArticle] = []
    lines = [line.rstrip() for line in text.splitlines()]
    i = 0
    while i < len(lines):
        match = PUBLISHED.match(lines[i].strip())
        if not match:
            i += 1
            continue
        title = _title_before(lines, i)
        day, month, year = match.groups()
        published_on = dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
        blocks: list[Block] = []
        i += 1
        while i < len(lines) and lines[i].strip() != BACK and not _next_article_starts(lines, i):
            line = lines[i]
            bullet, numbered = BULLET.match(line), NUMBERED.match(line)
            if bullet or numbered:
                kind = "ul" if bullet else "ol"
                item = (bullet or numbered).group(1).strip()
                if blocks and blocks[-1].kind == kind:
                    blocks[-1].items.append(item)
                else:
                    blocks.append(Block(kind, [item]))
            elif line.strip():
                blocks.append(Block("p", [line.strip()]))
            i += 1
        articles.append(SeedArticle(title, published_on, blocks))
    return articles


def _title_before(lines: list[str], index: int) -> str:
    j = index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    title = lines[j].strip()
    if not title or title in PAGE_FURNITURE or title == BACK:
        raise ValueError(f"no title before line {index + 1}")
    return title


def _next_article_starts(lines: list[str], index: int) -> bool:
    """True at the title of an article whose 'Back to list of news' line was missing."""
    j = index + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and bool(PUBLISHED.match(lines[j].strip())) and bool(lines[index].strip())


SEED_NAME = "partnership-news-2024.txt"
COMMITTED_SEED = Path(__file__).resolve().parent / "demo_data" / SEED_NAME


def seed_path() -> Path:
    """The copy committed with the app, so a checkout without shared/ still loads the demo;
    otherwise the shared original beside the repository (the same text, checked by a test)."""
    if COMMITTED_SEED.exists():
        return COMMITTED_SEED
    return Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED_NAME


def read_seed() -> list[SeedArticle]:
    return parse(seed_path().read_text(encoding="utf-8"))
