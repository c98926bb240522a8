"""The site root and the standard pages every public-sector site needs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import HomePage, StandardPage
from .standard_content import STANDARD_PAGES

INTRO = (
    "<p>The Safeguarding Children Partnership brings together the council, the police, health, schools, "
    "early years and the voluntary sector to keep children safe. This is where partners find news, training, "
    "procedures and the forms to share information.</p>"
)


@transaction.atomic
def home_page() -> HomePage:
    """The HomePage at the root of the default site, replacing Wagtail's 'Welcome' page once."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node() or _tree_root()
    home = HomePage(title="Safeguarding Children Partnership", slug="safeguarding-partnership", intro=INTRO)
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Safeguarding Partnership Hub",
        )
    else:
        site.root_page = home
        site.site_name = "Safeguarding Partnership Hub"
        site.save()
    if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
        old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    return home


def _tree_root() -> Page:
    """Wagtail's migrations make the tree's root; a flushed database (transactional tests) has none."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    return Page.add_root(instance=Page(title="Root", slug="root"))


def load(stdout=None) -> None:
    home = home_page()
    for spec in STANDARD_PAGES:
        if StandardPage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = StandardPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            body=spec["body"],
            last_reviewed=dt.date(2026, 11, 1),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        if stdout:
            stdout.write(f"Pages: {page.title}")
