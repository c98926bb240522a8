"""Demo news: every article of the partnership's old news page, verbatim, with its own date."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.text import slugify

from .editorial import set_up_editorial_workflow
from .models import NewsArticlePage, NewsIndexPage, NewsTopic
from .seed import SeedArticle, read_seed

# Phrases in the seed that were links on the old page, and where they go now: the hub's own
# pages where the hub now does the job (training courses, the document library, partner forms),
# otherwise the organisation the text names.
LINKS = [
    ("National Child Exploitation Awareness Day website", "https://www.stop-ce.org/"),
    ("STOPCE website", "https://www.stop-ce.org/"),
    ("Lullaby Trust website", "https://www.lullabytrust.org.uk/"),
    ("pledge your support for young carers and young adult carers online", "https://carers.org/"),
    ("Read the full SVRS strategy", "/documents/joint-serious-violence-response-strategy/"),
    ("Sign up for this Briefing Session on MyLo", "/training/courses/building-brighter-futures-briefing/"),
    ("Sign up for this briefing session on MyLO", "/training/courses/together-we-can-briefing/"),
    ("Book online at EventBrite", "/training/courses/prevent-awareness/"),
    ("CYSCP E-Learning Portal", "/training/courses/pamic-tool-training/"),
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
    ("professionals section on the CYSCP website", "/documents/category/7-point-briefings/"),
    (
        "available on the government website",
        "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
    ),
    ("Request Targeted Intervention Support", "/forms/"),
    ("Get further information and guidance in relation to Early Help", "/documents/"),
    ("accept online reports from partners via their website", "https://www.northyorkshire.police.uk/"),
    ("Get partner access to the Community Partnership Intelligence form", "/forms/"),
]

# Lines of the seed that head the paragraphs after them (the plain-text page lost its headings).
HEADINGS = {
    "What does this have to do with me?": "h2",
    "Child Protection Procedure": "h2",
    "NEW 7 Point Briefings": "h2",
    "7 Point Briefing - Harmful Sexual Behaviour (HSB) Audit": "h3",
    "7 Point Briefing - Multi-agency audit of partnership responses to non-verbal babies and infants": "h3",
}

# Each article's topics, read from what it is about.
TOPICS = {
    "National Child Exploitation Awareness Day": ["Awareness days", "Child exploitation"],
    "Safer Sleep Week": ["Awareness days", "Babies and infants"],
    "Young Carers Action Day": ["Awareness days", "Young carers"],
    "Joint Serious Violence Strategy Published for York and North Yorkshire": [
        "Serious violence",
        "Police",
        "Procedures and guidance",
    ],
    "Commissioner Zoë Metcalfe announces start date for Chief Constable of North Yorkshire": ["Police"],
    "Managing Allegations - Good Practice Briefing": ["Allegations", "Early years", "Training and events"],
    "Building Brighter Futures Practice Model Partner Briefing Session": [
        "Children's social care",
        "Training and events",
    ],
    "Together WE Can Partner Briefing Sessions": ["Children's social care", "Training and events"],
    "School Attendance is Everyone’s Business": ["Education", "Early help"],
    "Parental Mental Health and The Impact on Children (PAMIC) Tool": ["Mental health", "Training and events"],
    "PREVENT Training": ["Police", "Training and events"],
    "Children’s Society #LookCloser - Programme of learning": ["Child exploitation", "Training and events"],
    "New CYSCP Documents": ["Procedures and guidance", "Learning from reviews"],
    "Working Together to Safeguard Children 2023 Statutory Guidance": ["Procedures and guidance"],
    "Early Help Assessments": ["Early help", "Information sharing"],
    "Sharing information with North Yorkshire Police": ["Police", "Information sharing"],
}
OTHER_TOPIC = "Partnership news"


def body_html(article: SeedArticle) -> str:
    parts = []
    for block in article.blocks:
        items = [_linked(item) for item in block.items]
        if block.kind == "p":
            tag = HEADINGS.get(block.items[0], "p")
            parts.append(f"<{tag}>{items[0]}</{tag}>")
        else:
            parts.append(f"<{block.kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{block.kind}>")
    return "".join(parts)


def _linked(text: str) -> str:
    """The text, escaped, with every phrase of LINKS in it made a link (earliest first, none nested)."""
    html, rest, pending = [], text, dict(LINKS)
    while True:
        found = sorted((rest.find(phrase), -len(phrase), phrase) for phrase in pending if phrase in rest)
        if not found:
            break
        at, _, phrase = found[0]
        html.append(escape(rest[:at]))
        html.append(f'<a href="{escape(pending.pop(phrase))}">{escape(phrase)}</a>')
        rest = rest[at + len(phrase) :]
    html.append(escape(rest))
    return "".join(html)


def summary_of(article: SeedArticle) -> str:
    first = next((text for text in article.paragraphs if text not in HEADINGS), article.title)
    return first if len(first) <= 300 else first[:297].rsplit(" ", 1)[0] + "…"


def topics_for(title: str) -> list[str]:
    return TOPICS.get(title, [OTHER_TOPIC])


def load(stdout=None) -> None:
    from apps.pages.demo import home_page

    home = home_page()
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(title="Latest news", slug="news", intro="News from the partnership and its partners.")
        home.add_child(instance=index)
        index.save_revision().publish()
    set_up_editorial_workflow(index)  # the demo accounts joined its groups as apps/demo/accounts.py made them
    created = 0
    # Created oldest first, so that articles of the same day keep the seed page's order (newest first by id).
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
        page.topics.set([_topic(name) for name in topics_for(article.title)])
        page.save_revision().publish()
        created += 1
    if stdout and created:
        stdout.write(f"News: {created} articles from the partnership's news page.")


def _topic(name: str) -> NewsTopic:
    return NewsTopic.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
