"""`registry serve` as an operator runs it: one log line per request, with nothing personal in it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
from sqlalchemy import Engine

from tests.conftest import TEST_SECRET_KEY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_served_api_logs_each_request_by_route_template_without_ids(engine: Engine, database_url: str) -> None:
    port = free_port()
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_SECRET_KEY": TEST_SECRET_KEY}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("registry")), "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    # A server that never comes up is killed, which ends the read below instead of hanging the suite.
    watchdog = threading.Timer(120, server.kill)
    watchdog.start()
    try:
        for line in server.stderr:  # blocks until uvicorn says it listens (or exits)
            if "Uvicorn running on" in line:
                break
        else:
            raise AssertionError(f"registry serve exited with {server.wait()}")
        watchdog.cancel()
        unknown = uuid.uuid4()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
            assert client.get("/healthz").status_code == 200
            assert client.get(f"/api/v1/reports/{unknown}", params={"q": "María"}).status_code == 401
    finally:
        watchdog.cancel()
        server.terminate()
        _, rest = server.communicate(timeout=30)
    assert "GET /healthz 200" in rest
    assert "GET /api/v1/reports/{record_id} 401" in rest
    assert str(unknown) not in rest
    assert "María" not in rest
