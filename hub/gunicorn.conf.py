"""gunicorn settings for the hub: `gunicorn hub.wsgi -c hub/gunicorn.conf.py --workers 4 --bind ...`.

Each worker warms up (imports the views, compiles the templates, opens its database connection)
after it has loaded the application and before it accepts its first request, so nobody waits about
a second for a cold worker: after a deploy, a restart, or when gunicorn replaces a worker.
"""

from __future__ import annotations

import logging

wsgi_app = "hub.wsgi"


def post_worker_init(worker) -> None:
    from apps.core.warmup import warm_up

    took = warm_up(heartbeat=worker.notify)
    logging.getLogger("gunicorn.error").info("worker %s warmed up in %s ms", worker.pid, took)
