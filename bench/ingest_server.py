"""A real server and a load generator for the scan-ingest benchmark (bench/places_case.py).

`gunicorn_server` starts gunicorn (gthread workers) on a unix socket in a temporary directory (no
TCP port, so parallel runs cannot collide) with bench.ingest_settings and the database of the
calling process. `run_load` drives one endpoint with concurrent clients: each is a thread with
one keep-alive HTTP connection and its own logged-in session (session cookie + csrftoken, sent
back as X-CSRFToken as a device does), posting JSON bodies one after the other; it returns the
throughput and the latency percentiles.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the Host header: one of the default ALLOWED_HOSTS


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket (gunicorn binds one), keep-alive as any HTTPConnection."""

    def __init__(self, socket_path: str, timeout: float = 60.0) -> None:
        super().__init__(HOST, timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


@dataclass
class Server:
    """Where a server listens: a unix socket path, or a TCP base URL (pytest's live_server)."""

    socket_path: str = ""
    base_url: str = ""

    def connection(self) -> http.client.HTTPConnection:
        if self.socket_path:
            return UnixHTTPConnection(self.socket_path)
        address = urlsplit(self.base_url)
        return http.client.HTTPConnection(address.hostname, address.port, timeout=60)


def _database_json() -> str:
    from django.db import connection

    return json.dumps(connection.settings_dict, default=str)


@contextmanager
def gunicorn_server(*, workers: int = 4, threads: int = 2) -> Iterator[Server]:
    """Run gunicorn on this process's database until the block ends; its log goes to stderr when
    it fails to start."""
    folder = Path(tempfile.mkdtemp(prefix="fxbench-gunicorn-"))
    socket_path = str(folder / "gunicorn.sock")
    log_path = folder / "gunicorn.log"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.ingest_settings",
        "FANGXIAN_BENCH_DATABASE": _database_json(),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"unix:{socket_path}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--error-logfile",
        str(log_path),
        "--chdir",
        str(ROOT),
        "fangxian.wsgi:application",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    server = Server(socket_path=socket_path)
    try:
        _wait_until_up(server, process, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


def _wait_until_up(server: Server, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            connection = server.connection()
            connection.request("GET", "/accounts/login/", headers={"Host": HOST})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    raise RuntimeError(f"gunicorn did not start (exit status {process.poll()}):\n{log[-4000:]}")


class SessionClient:
    """One device: a keep-alive connection and a logged-in session."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.connection = server.connection()
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        self.connection.close()

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = {"Host": HOST, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.connection.close()
            self.connection = self.server.connection()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
            self.connection = self.server.connection()
        return response.status, content

    def login(self, username: str, password: str) -> None:
        status, _ = self.request("GET", "/accounts/login/")
        form = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            }
        ).encode()
        status, content = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: {status} {content[:300]!r}")

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        return self.request(
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Referer": f"http://{HOST}/",
            },
        )


@dataclass
class LoadStats:
    requests: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


def login_clients(server: Server, count: int, username: str, password: str) -> list[SessionClient]:
    clients = [SessionClient(server) for _ in range(count)]
    for client in clients:
        client.login(username, password)
    return clients


def run_load(
    clients: Sequence[SessionClient],
    path: str,
    bodies: Sequence[Sequence[dict]],
    *,
    expect: Callable[[int], bool] = lambda status: status in (200, 201),
) -> LoadStats:
    """Each client posts its list of bodies (bodies[i] for clients[i]) to `path`, all clients at
    once; wall time from the common start to the last answer. A status `expect` refuses stops the
    run with the answer's start."""
    latencies: list[list[float]] = [[] for _ in clients]
    statuses: list[dict[int, int]] = [{} for _ in clients]
    failures: list[str] = []
    start = threading.Barrier(len(clients) + 1)

    def drive(index: int) -> None:
        client, mine, seen = clients[index], latencies[index], statuses[index]
        start.wait()
        for body in bodies[index]:
            began = time.perf_counter()
            status, content = client.post_json(path, body)
            mine.append((time.perf_counter() - began) * 1000)
            seen[status] = seen.get(status, 0) + 1
            if not expect(status):
                failures.append(f"{path} answered {status}: {content[:300]!r}")
                return

    threads = [threading.Thread(target=drive, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise AssertionError(failures[0])
    merged: dict[int, int] = {}
    for seen in statuses:
        for status, count in seen.items():
            merged[status] = merged.get(status, 0) + count
    return LoadStats(
        requests=sum(len(mine) for mine in latencies),
        seconds=seconds,
        latencies_ms=[latency for mine in latencies for latency in mine],
        statuses=merged,
    )
