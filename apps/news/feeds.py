"""RSS and Atom feeds of the latest news."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from apps.core.dates import LONDON
from apps.core.page_cache import keep_for_anonymous_readers

from .selectors import latest_articles

FEED_LENGTH = 20


class LatestNewsFeed(Feed):
    title = "Safeguarding Partnership Hub: latest news"
    link = "/news/"
    description = "News from the Safeguarding Children Partnership."
    description_template = None

    def get_object(self, request, *args, **kwargs):
        # Feed readers poll: keep the feed like the news pages, until the next publication.
        keep_for_anonymous_readers(request)
        # The feed's "object" is the request, so that each article's URL comes from Wagtail's
        # per-request cache of site roots rather than one cache lookup per article.
        return request

    def items(self, request):
        articles = latest_articles(limit=FEED_LENGTH)
        for article in articles:
            article.feed_link = article.get_url(request=request)
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        # An article has a date, not a time: 9am in London on that day.
        return dt.datetime.combine(item.published_on, dt.time(9, 0), tzinfo=LONDON)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description
