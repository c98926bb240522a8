"""`make run`: the web server, the task worker and the scheduler together, until Ctrl+C."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from apps.demo.accounts import describe_logins


class Command(BaseCommand):
    help = "Run the development web server, the background task worker and the scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default=os.environ.get("HUB_ADDRPORT", "127.0.0.1:8000"))

    def handle(self, *args, addrport, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            "worker": [python, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1", "--verbosity", "0"],
            "scheduler": [python, "manage.py", "run_scheduler"],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"\nThe hub is running at http://{addrport}/"))
        self.stdout.write(f"Editors' admin: http://{addrport}/cms/   Demo mailbox: http://{addrport}/mailbox/")
        self.stdout.write(describe_logins())
        self.stdout.write("Press Ctrl+C to stop.\n")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"The {name} process stopped (exit {process.returncode}); stopping the hub.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
