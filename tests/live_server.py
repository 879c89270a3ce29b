"""The real app under uvicorn on a loopback port, in a background thread, for tests that need true concurrency.

The listening socket is bound and opened before the server starts, so a request sent early simply
waits in the accept queue: no polling, no sleeping.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from api.deps import get_actor
from registry.actor import Actor

# A clerk of Jalisco's commission: the payloads of tests/builders.py are filed by JAL.
JAL_CLERK = Actor(id="clerk-jal", role="clerk", jurisdiction="JAL")


def signed_in(app: FastAPI, actor: Actor = JAL_CLERK) -> FastAPI:
    """The app with every request made by `actor`: these tests are about intake, not about signing in."""
    app.dependency_overrides[get_actor] = lambda: actor
    return app


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serves `app` on 127.0.0.1 at a free port; yields its base URL and stops the server afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    # proxy_headers off as `registry serve` has it: forwarded addresses are the app's to believe.
    config = uvicorn.Config(
        app, lifespan="on", log_level="warning", access_log=False, timeout_graceful_shutdown=10, proxy_headers=False
    )
    server = uvicorn.Server(config)
    # Signal handlers belong to the main thread; uvicorn skips them elsewhere, but say so explicitly.
    config.install_signal_handlers = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        # Blocks until the lifespan has started and the server accepts; fails fast if it died instead.
        response = httpx.get(f"{base_url}/healthz", timeout=30, trust_env=False)
        response.raise_for_status()
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        assert not thread.is_alive(), "the live server did not stop"
