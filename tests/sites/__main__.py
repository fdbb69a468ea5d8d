"""``python -m tests.sites [--port 8800] [--verbose]``: serve the sandbox sites in the foreground."""

from __future__ import annotations

import argparse
import signal
import threading

from tests.sites import accounts
from tests.sites.server import SandboxServer


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.sites", description=__doc__)
    parser.add_argument("--port", type=int, default=8800, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args()

    server = SandboxServer(args.port, verbose=args.verbose).start()
    print(f"Sandbox sites on 127.0.0.1:{server.port} (Chromium resolves *.localhost to 127.0.0.1):")
    width = max(map(len, server.hosts))
    for host in server.hosts:
        print(f"  {host:<{width}}  {server.url(host)}")
    print(
        f"Account: {accounts.USERNAME} / {accounts.EMAIL} / {accounts.PASSWORD}, TOTP secret {accounts.TOTP_SECRET}"
    )
    print("Test controls: GET /_sandbox/whoami, /_sandbox/codes, /_sandbox/attempts, /_sandbox/received;")
    print("               POST /_sandbox/expire, /_sandbox/approve (on any host). Ctrl-C stops.", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())  # stop cleanly under a supervisor too
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
