"""RSS and Atom feeds of the latest news."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from apps.core.dates import LONDON

from .selectors import latest_articles


class LatestNewsFeed(Feed):
    title = "Safeguarding Partnership Hub: latest news"
    link = "/news/"
    description = "News from the Safeguarding Children Partnership."
    description_template = None

    def items(self):
        return latest_articles(limit=20)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return dt.datetime.combine(item.published_on, dt.time(9, 0), tzinfo=LONDON)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description
