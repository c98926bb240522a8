"""An SMTP sink in a process of its own, standing in for the mail relay the hub hands its e-mail to.

It keeps one JSON line per accepted message in `--log`: when it was accepted (`time.perf_counter()`,
the machine's monotonic clock, so the benchmark's own process can compare it with its own times), the
recipients, the subject and the Message-ID. Only the headers are parsed. It runs in its own process so that
receiving 400 e-mails during a burst does not hold the load generator's GIL and delay its clients'
clocks; a real relay would not share the benchmark's process either.

Run by `benchmarks.forms.SmtpSink`:  python -m benchmarks.smtp_sink --port P --log FILE [--delay S]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import threading
import time
from email.parser import BytesHeaderParser
from email.policy import default


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering 250 (a slow relay)")
    args = parser.parse_args()
    log = open(args.log, "a", buffering=1)  # one line per message, flushed at each line  # noqa: SIM115
    headers = BytesHeaderParser(policy=default)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if args.delay:
                await asyncio.sleep(args.delay)  # accepted (kept) only once the sink answers
            message = headers.parsebytes(envelope.content)
            line = {
                "at": time.perf_counter(),
                "to": list(envelope.rcpt_tos),
                "subject": " ".join(str(message.get("Subject", "")).split()),
                "message_id": str(message.get("Message-ID", "")),
            }
            log.write(json.dumps(line) + "\n")
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("listening", flush=True)
    stop.wait()
    controller.stop()
    log.close()


if __name__ == "__main__":
    main()
