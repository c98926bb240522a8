"""Demo news: every article of the partnership's old news page, verbatim, with its own date."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.text import slugify

from apps.accounts.models import User

from .editorial import set_up_editorial_workflow
from .models import NewsArticlePage, NewsIndexPage, NewsTopic
from .seed import SeedArticle, read_seed

# Phrases in the seed that were links on the old page, and where they go now: the hub's own
# pages where the hub now does the job, otherwise the organisation the text names.
LINKS = [
    ("National Child Exploitation Awareness Day website", "https://www.stop-ce.org/"),
    ("STOPCE website", "https://www.stop-ce.org/"),
    ("Lullaby Trust website", "https://www.lullabytrust.org.uk/"),
    ("pledge your support for young carers and young adult carers online", "https://carers.org/"),
    ("Read the full SVRS strategy", "/documents/joint-serious-violence-response-strategy/"),
    ("Sign up for this Briefing Session on MyLo", "/training/"),
    ("Sign up for this briefing session on MyLO", "/training/"),
    ("Book online at EventBrite", "/training/"),
    ("CYSCP E-Learning Portal", "/training/"),
    ("Children's Society website", "https://www.childrenssociety.org.uk/"),
    (
        "#LookCloser website",
        "https://www.childrenssociety.org.uk/what-we-do/our-work/preventing-child-exploitation/look-closer",
    ),
    ("Multi-Agency Child Protection Procedure", "/documents/multi-agency-child-protection-procedure/"),
    (
        "7 Point Briefing - Harmful Sexual Behaviour (HSB) Audit",
        "/documents/7-point-briefing-harmful-sexual-behaviour-audit/",
    ),
    (
        "7 Point Briefing - Multi-agency audit of partnership responses to non-verbal babies and infants",
        "/documents/7-point-briefing-non-verbal-babies-and-infants/",
    ),
    (
        "available on the government website",
        "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
    ),
    ("Request Targeted Intervention Support", "/forms/"),
    ("Get further information and guidance in relation to Early Help", "/documents/"),
    ("Get partner access to the Community Partnership Intelligence form", "/forms/"),
]

TOPICS = {
    "Awareness days": ["Awareness Day", "Safer Sleep", "Young Carers"],
    "Child exploitation": ["Exploitation", "LookCloser"],
    "Training and events": ["Briefing", "Training", "LookCloser", "PAMIC"],
    "Police": ["Police", "Chief Constable", "PREVENT", "Serious Violence"],
    "Serious violence": ["Serious Violence"],
    "Mental health": ["PAMIC"],
    "Early help": ["Early Help", "Together WE Can", "Attendance"],
    "Education": ["Attendance"],
    "Procedures and guidance": ["Documents", "Working Together"],
    "Allegations": ["Allegations"],
}


def body_html(article: SeedArticle) -> str:
    parts = []
    for block in article.blocks:
        items = [_linked(escape(item)) for item in block.items]
        if block.kind == "p":
            parts.append(f"<p>{items[0]}</p>")
        else:
            parts.append(f"<{block.kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{block.kind}>")
    return "".join(parts)


def _linked(text: str) -> str:
    for phrase, url in LINKS:
        escaped = escape(phrase)
        if escaped in text:
            return text.replace(escaped, f'<a href="{url}">{escaped}</a>', 1)
    return text


def summary_of(article: SeedArticle) -> str:
    first = article.paragraphs[0] if article.paragraphs else article.title
    return first if len(first) <= 300 else first[:297].rsplit(" ", 1)[0] + "…"


def topics_for(title: str) -> list[str]:
    return [name for name, words in TOPICS.items() if any(word.lower() in title.lower() for word in words)]


def load(stdout=None) -> None:
    from apps.pages.demo import home_page

    home = home_page()
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(title="Latest news", slug="news", intro="News from the partnership and its partners.")
        home.add_child(instance=index)
        index.save_revision().publish()
    _, approvers = set_up_editorial_workflow(index)
    business_unit = User.objects.filter(email="business.unit@example.org").first()
    if business_unit is not None:
        business_unit.groups.add(approvers)
    topics = {name: NewsTopic.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in TOPICS}
    created = 0
    # Created oldest-last, so that articles of the same day keep the seed page's order (newest first by id).
    for article in reversed(read_seed()):
        slug = slugify(article.title)[:80]
        if NewsArticlePage.objects.filter(slug=slug).exists():
            continue
        page = NewsArticlePage(
            title=article.title,
            slug=slug,
            published_on=article.published_on,
            summary=summary_of(article),
            body=body_html(article),
        )
        index.add_child(instance=page)
        page.topics.set([topics[name] for name in topics_for(article.title)])
        page.save_revision().publish()
        created += 1
    if stdout and created:
        stdout.write(f"News: {created} articles from the partnership's news page.")
