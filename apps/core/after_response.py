"""Work that a request leaves until its response has been sent.

A few things a write sets off are needed soon but not by the person waiting for the page: joining the audit
chain is the main one. `after_response(fn)` runs `fn` once the server has sent the response (Django fires
`request_finished` when the server closes it), so the person's wait does not include it. Outside a request
(commands, tasks, tests calling services) `fn` runs at once. Each piece of work is robust: a failure is logged
and never reaches the person, and whatever it was for has a sweep behind it (the audit chain's periodic
`chain_pending_entries`).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from django.core.signals import request_finished
from django.db import connections, transaction

logger = logging.getLogger(__name__)

_pending: contextvars.ContextVar[list[Callable[[], object]] | None] = contextvars.ContextVar(
    "after_response", default=None
)


def after_response(fn: Callable[[], object]) -> None:
    pending = _pending.get()
    if pending is None:
        _run(fn)
    elif fn not in pending:  # the same work asked for twice (one chaining for 52 new sessions) is done once
        pending.append(fn)


def after_commit_and_response(fn: Callable[[], object]) -> None:
    """Once the current transaction commits, and the response (if this is a request) has been sent."""
    transaction.on_commit(lambda: after_response(fn), robust=True)


def begin_request() -> None:
    """Called by `RequestIdMiddleware` as a request begins: from here on, deferred work waits for the response."""
    _pending.set([])


def run_now() -> None:
    """Run what this request has left at once, and stop holding work back: for a streamed response, whose
    end may come late (or, in a test that never reads it, not at all)."""
    _run_pending()


def _run(fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:
        logger.exception("work left until after the response failed: %r", fn)


def _run_pending(**kwargs) -> None:
    pending = _pending.get()
    _pending.set(None)
    if not pending:
        return
    for fn in pending:
        _run(fn)
    # As Django does at the end of a request: a connection this work opened past its age is not kept.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


request_finished.connect(_run_pending, dispatch_uid="apps.core.after_response")
