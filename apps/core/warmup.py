"""Warm a fresh worker before it takes traffic (gunicorn's `post_worker_init`, hub/gunicorn.conf.py).

A new process imports every view the first time a URL is resolved, compiles each template the first
time it is rendered and opens its database connection on the first query: about a second that the
first person to reach that worker would otherwise wait. Warming does all of that once, up front, then
serves the sign-in page to itself through the whole application (middleware, forms, layout), and
changes nothing: it reads, it writes no row and no cache entry.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver

logger = logging.getLogger(__name__)

# Each of the hub's apps keeps these modules; importing them pulls in what their views use.
MODULES = ("forms", "selectors", "services", "api", "rules", "tasks")


def hub_apps() -> list:
    return [config for config in apps.get_app_configs() if config.name.startswith("apps.")]


def import_modules() -> int:
    imported = 0
    for config in hub_apps():
        for name in MODULES:
            try:
                importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.{name}":
                    raise
            else:
                imported += 1
    return imported


def resolve_urls() -> int:
    """Import every URLconf and view, and build the reverse lookups of every resolver in the tree: the
    root's and each included one's, which `reverse("training:session", ...)` builds on its first use."""
    root = get_resolver()
    resolvers, built = [root], 0
    while resolvers:
        resolver = resolvers.pop()
        resolver.reverse_dict  # noqa: B018 - building the lookups `reverse` and `{% url %}` use is the point
        resolver.namespace_dict  # noqa: B018
        resolver.app_dict  # noqa: B018
        built += 1
        resolvers.extend(p for p in resolver.url_patterns if isinstance(p, URLResolver))
    return built


def compile_templates() -> int:
    """Compile (into the cached loader) every template the hub's own apps hold, and read the static
    files' manifest that `{% static %}` looks names up in."""
    staticfiles_storage.url("hub/hub.css")
    compiled = 0
    for config in hub_apps():
        folder = Path(config.path) / "templates"
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".ics", ".xml"}:
                continue
            try:
                get_template(path.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment only another template can load
                continue
            compiled += 1
    return compiled


def connect_databases() -> None:
    """One round trip per database, so the worker's first request finds its connection open."""
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


def serve_a_page() -> int:
    """Serve the sign-in page through the whole application, as gunicorn would, without a network: the
    middleware, sessions, forms and the page's layout do their first-time work here, not for a person.
    An anonymous GET of the sign-in page reads nothing and writes nothing."""
    import io

    from django.conf import settings
    from django.urls import reverse

    # The application gunicorn serves (hub.wsgi), so its own middleware chain does its first-time work.
    module, name = settings.WSGI_APPLICATION.rsplit(".", 1)
    application = getattr(importlib.import_module(module), name)

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": reverse("account_login"),
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses: list[str] = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def warm_up(heartbeat: Callable[[], None] | None = None) -> dict[str, float]:
    """Do a new process's first-request work now. A step that fails is logged and skipped: a worker
    that cannot reach the database yet must still start, and will show the hub's 503 page until it can.
    `heartbeat` is called before each step (gunicorn's `worker.notify`), so that on a busy machine the
    master does not take a worker that is still warming up for a stuck one and kill it."""
    took: dict[str, float] = {}
    for name, step in (
        ("imports", import_modules),
        ("urls", resolve_urls),
        ("templates", compile_templates),
        ("page", serve_a_page),  # before connecting: the end of a request may close an old connection
        ("database", connect_databases),
    ):
        if heartbeat is not None:
            heartbeat()
        began = time.perf_counter()
        try:
            step()
        except Exception:
            logger.warning("warming up: %s failed", name, exc_info=True)
        took[name] = round((time.perf_counter() - began) * 1000, 1)
    logger.info("warmed up in %s ms", took)
    return took
