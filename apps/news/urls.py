from django.urls import path

from .feeds import LatestNewsAtomFeed, LatestNewsFeed

app_name = "news"

urlpatterns = [
    path("rss/", LatestNewsFeed(), name="rss"),
    path("atom/", LatestNewsAtomFeed(), name="atom"),
]
