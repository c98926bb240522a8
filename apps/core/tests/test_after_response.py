"""Work left until the response is sent: deferred during a request, at once outside one, never lost to a failure."""

from __future__ import annotations

import logging

import pytest
from django.core.signals import request_finished

from apps.core.after_response import after_response, begin_request

pytestmark = pytest.mark.django_db  # the end of a request looks at the database connections, as Django's does


def test_outside_a_request_the_work_runs_at_once():
    done = []
    after_response(lambda: done.append("chained"))
    assert done == ["chained"]


def test_during_a_request_the_work_waits_for_the_response_to_be_sent():
    done = []
    begin_request()
    after_response(lambda: done.append("first"))
    after_response(lambda: done.append("second"))
    assert done == []  # the person's page is not kept waiting for it
    request_finished.send(sender=None)  # the server has sent the response and closed it
    assert done == ["first", "second"]
    after_response(lambda: done.append("after"))  # the request is over: nothing is held back any more
    assert done == ["first", "second", "after"]


def test_the_same_work_asked_for_many_times_in_one_request_runs_once():
    runs = []

    def chain():
        runs.append("chained")

    begin_request()
    for _ in range(52):  # a run of 52 sessions, each with its audit entry
        after_response(chain)
    request_finished.send(sender=None)
    assert runs == ["chained"]


def test_a_failure_is_logged_and_the_rest_still_runs(caplog):
    done = []

    def broken():
        raise RuntimeError("the database went away")

    begin_request()
    after_response(broken)
    after_response(lambda: done.append("still runs"))
    with caplog.at_level(logging.ERROR, logger="apps.core.after_response"):
        request_finished.send(sender=None)
    assert done == ["still runs"]
    assert "the database went away" in caplog.text


def test_a_streamed_download_does_not_hold_work_back_until_it_is_read():
    """A streamed response may be read late or never; what the request left runs before it is streamed."""
    from django.http import StreamingHttpResponse
    from django.test import RequestFactory

    from apps.core.middleware import RequestIdMiddleware

    done = []

    def view(request):
        after_response(lambda: done.append("chained"))
        return StreamingHttpResponse(iter([b"a,b\r\n"]))

    RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert done == ["chained"]
    after_response(lambda: done.append("later"))  # nothing is held back after it either
    assert done == ["chained", "later"]
