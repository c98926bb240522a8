from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import MAX_QUERY_LENGTH, search_public_pages

RESULTS_PER_PAGE = 10


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page_obj = None
    if query:
        page_obj = Paginator(search_public_pages(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/search.html", {"query": query, "page_obj": page_obj})
