"""Enqueue the hub's periodic tasks at their intervals. The worker runs them.

Every periodic task is idempotent, so two schedulers, or a restart mid-run, do no harm.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue periodic tasks (outbox sweep, scheduled publishing, reminders) at their intervals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once, then exit.")

    def handle(self, *args, once=False, **options):
        jobs = [(import_string(path), interval) for path, interval in settings.HUB_PERIODIC_TASKS]
        next_run = {task: 0.0 for task, _ in jobs}
        running = True

        def stop(*_):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            now = time.monotonic()
            for task, interval in jobs:
                if now >= next_run[task]:
                    try:
                        task.enqueue()
                    except Exception:
                        logger.exception("could not enqueue periodic task %s", task.name)
                    next_run[task] = now + interval
            if once:
                return
            time.sleep(1)
