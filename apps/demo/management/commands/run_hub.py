"""`make run`: the web server, the task worker and the scheduler together, until Ctrl+C."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from apps.demo.accounts import describe_logins

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EVERY_INTERFACE = {"0.0.0.0", "::", "[::]", "0"}  # noqa: S104 (names to recognise, not to bind)


def split_addrport(addrport: str) -> tuple[str, str]:
    """runserver's `[host:]port` (an IPv6 host in brackets) as host and port."""
    host, _, port = addrport.rpartition(":")
    return host or "127.0.0.1", port


def base_url_for(addrport: str) -> str:
    """The address people reach the hub at when it listens on `addrport`; a server listening on every
    interface is reached from this machine as localhost."""
    host, port = split_addrport(addrport)
    if host in EVERY_INTERFACE:
        host = "localhost"
    return f"http://{host}:{port}"


def environment_for(addrport: str, environ: dict[str, str]) -> dict[str, str]:
    """The web server's, worker's and scheduler's environment: links in e-mails, calendar invitations and
    the API point where the hub listens unless HUB_BASE_URL says otherwise, and that host is allowed."""
    environment = dict(environ)
    environment.setdefault("HUB_BASE_URL", base_url_for(addrport))
    if "ALLOWED_HOSTS" not in environment:
        host = split_addrport(addrport)[0]
        extra = [] if host in LOCAL_HOSTS or host in EVERY_INTERFACE else [host.strip("[]")]
        environment["ALLOWED_HOSTS"] = ",".join(LOCAL_HOSTS + extra)
    return environment


class Command(BaseCommand):
    help = "Run the development web server, the background task worker and the scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default=os.environ.get("HUB_ADDRPORT", "127.0.0.1:8000"))

    def handle(self, *args, addrport, **options):
        python = sys.executable
        environment = environment_for(addrport, dict(os.environ))
        base_url = environment["HUB_BASE_URL"].rstrip("/")
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            "worker": [python, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1", "--verbosity", "0"],
            "scheduler": [python, "manage.py", "run_scheduler"],
        }
        processes = {name: subprocess.Popen(cmd, env=environment) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"\nThe hub is running at {base_url}/"))
        self.stdout.write(f"Editors' admin: {base_url}/cms/   Demo mailbox: {base_url}/mailbox/")
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
