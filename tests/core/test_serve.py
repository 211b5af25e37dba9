"""`recmock serve` as a user runs it: a real process on loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from recmock.cli import WithoutProcessEnvironment
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["granian", "waitress"])
def server(request: pytest.FixtureRequest) -> str:
    """Each server `recmock serve --server` offers; the behaviour must not depend on it."""
    return request.param


class Served:
    def __init__(
        self, *args: str, server: str = "granian", env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "recmock", "serve", "--server", server]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), *args],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "RECMOCK_ADMIN_TOKEN": "", **(env or {})},
            start_new_session=True,  # a signal to the group reaches the server alone
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/_recmock/health", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.process.kill()
        raise AssertionError("recmock serve did not answer within 20 s")

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> tuple[float, str]:
        """Signal the whole process group, as a container runtime or Ctrl-C does."""
        started = time.monotonic()
        os.killpg(self.process.pid, signum)
        _, log = self.process.communicate(timeout=10)
        return time.monotonic() - started, log


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serves_logs_each_request_and_stops_within_2_seconds(
    server: str, signum: signal.Signals
) -> None:
    served = Served(server=server)
    keep_alive = requests.Session()  # an open connection must not hold the stop up
    health = keep_alive.get(f"{served.url}/_recmock/health", timeout=5)
    created = keep_alive.post(
        f"{served.url}/claap/v1/recordings",
        json={"authorEmail": "a@acme.com"},
        headers={"X-Claap-Key": "cla_k"},
        timeout=5,
    )
    took, log = served.stop(signum)
    keep_alive.close()

    assert health.json()["status"] == "ok"
    assert created.status_code == 200
    assert served.process.returncode == 0
    assert took < 2
    assert f"recmock listening on http://127.0.0.1:{served.port}" in log
    assert '"POST /claap/v1/recordings" 200' in log
    assert '"GET /_recmock/health" 200' in log
    assert "stopping" in log


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel's parent-death signal")
def test_granians_worker_does_not_outlive_a_killed_server(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    served = Served("--state", str(state_file), server="granian")
    served.process.kill()  # SIGKILL to the parent alone: no chance to stop its worker
    served.process.wait(timeout=5)

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not state_file.exists():
        time.sleep(0.05)
    assert state_file.exists()  # the worker stopped cleanly and wrote its state
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{served.url}/_recmock/health", timeout=1)


@pytest.mark.skipif(sys.platform != "linux", reason="reads the worker's pid from /proc")
def test_a_granian_worker_that_does_not_stop_is_killed_and_reported(tmp_path: Path) -> None:
    """A stuck worker (here: SIGSTOPped) does not keep `recmock serve` running for good;
    it is killed 5 s after its SIGTERM, and the state it could not write is reported."""
    state_file = tmp_path / "state.json"
    served = Served("--state", str(state_file), server="granian")
    pid = served.process.pid
    (worker,) = map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    os.kill(worker, signal.SIGSTOP)

    took, log = served.stop()

    assert 5 <= took < 9
    assert served.process.returncode == 1
    assert f"the worker did not write {state_file} on stop" in log
    assert not state_file.exists()


def test_a_hang_up_stops_granian_cleanly_instead_of_starting_an_empty_mock(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.json"
    served = Served("--state", str(state_file), server="granian")
    requests.post(
        f"{served.url}/claap/v1/recordings",
        json={"authorEmail": "a@acme.com", "title": "survives"},
        headers={"X-Claap-Key": "cla_k"},
        timeout=5,
    )
    took, _ = served.stop(signal.SIGHUP)

    assert took < 2 and served.process.returncode == 0
    recordings = json.loads(state_file.read_text())["vendors"]["claap"]["resources"]
    assert [r["title"] for r in recordings["recording"]["cla_k"]] == ["survives"]


def test_a_state_file_that_cannot_be_written_makes_the_exit_status_1(
    tmp_path: Path, server: str
) -> None:
    state_dir = tmp_path / "state"
    served = Served("--state", str(state_dir / "state.json"), server=server)
    state_dir.write_text("a file where the directory should be")

    _, log = served.stop()

    assert served.process.returncode == 1
    assert f"could not write the state to {state_dir / 'state.json'}" in log


def test_an_unknown_server_is_refused_up_front() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recmock", "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "RECMOCK_SERVER": "granain"},
    )
    assert result.returncode == 2
    assert "RECMOCK_SERVER: 'granain' is not granian or waitress" in result.stderr


def test_the_servers_environment_is_no_request_header(server: str) -> None:
    """granian builds each request's WSGI environ on a copy of the process environment;
    an HTTP_PROXY there (Docker sets one when its daemon has a proxy) is no header the
    client sent, and an HTTP_X_CLAAP_KEY no key."""
    served = Served(
        server=server,
        env={
            "HTTP_PROXY": "http://proxy.invalid:3128",
            "HTTP_X_CLAAP_KEY": "cla_from_the_environment",
            "CONTENT_TYPE": "text/plain",
        },
    )
    try:
        headers = {"User-Agent": "t", "Accept": "*/*", "Accept-Encoding": "identity"}
        unauthorised = requests.get(
            f"{served.url}/claap/v1/recordings/r1", headers=headers, timeout=5
        )
        sent_its_own = requests.get(
            f"{served.url}/claap/v1/recordings/r1",
            headers={**headers, "X-Claap-Key": "cla_k", "Proxy": "http://other.invalid"},
            timeout=5,
        )
        journal = requests.get(f"{served.url}/_recmock/requests", timeout=5).json()["requests"]
    finally:
        served.stop()

    assert unauthorised.status_code == 401
    assert sent_its_own.status_code == 404
    base = {"Host": f"127.0.0.1:{served.port}", **headers, "Connection": "keep-alive"}
    assert [entry["headers"] for entry in journal] == [
        base,
        {**base, "X-Claap-Key": "cla_k", "Proxy": "http://other.invalid"},
    ]


def test_only_what_the_process_environment_put_in_is_taken_out() -> None:
    process = {
        "PATH": "/usr/bin",
        "HTTP_PROXY": "http://proxy.invalid:3128",
        "HTTP_ACCEPT": "*/*",
        "REMOTE_PORT": "999",
        "SERVER_PORT": "8000",
        "QUERY_STRING": "",
    }
    # As granian builds it: the process environment, then the request's own variables.
    environ = {**process, "HTTP_ACCEPT": "text/html", "SERVER_PORT": "8000", "QUERY_STRING": ""}
    seen = {}

    def app(environ: dict, start_response: object) -> list[bytes]:
        seen.update(environ)
        return []

    WithoutProcessEnvironment(app, process)(environ, None)

    # The request's Accept and its server variables stay, even where they equal the
    # process's; the rest (REMOTE_PORT too, which granian never sets) goes.
    assert seen == {"HTTP_ACCEPT": "text/html", "SERVER_PORT": "8000", "QUERY_STRING": ""}


def test_a_chunked_json_body_is_served_and_journaled(server: str) -> None:
    """A client that streams its JSON (no Content-Length) is served, and the journal
    shows the body it sent, on either server, whether or not the handler read it."""
    served = Served(server=server)
    body = b'{"authorEmail": "a@acme.com", "title": "streamed"}'
    too_long_to_keep = b'{"title": "' + b"x" * 70_000 + b'"}'  # the journal keeps 64 KiB
    try:
        created, refused, refused_long = (
            requests.post(
                f"{served.url}/claap/v1/recordings",
                data=iter([sent[:10], sent[10:]]),  # a generator body goes chunked
                headers={"X-Claap-Key": key, "Content-Type": "application/json"},
                timeout=5,
            )
            for key, sent in (("cla_k", body), ("not-a-key", body), ("no", too_long_to_keep))
        )
        journal = requests.get(f"{served.url}/_recmock/requests", timeout=5).json()["requests"]
    finally:
        served.stop()

    assert created.json()["result"]["recording"]["title"] == "streamed"
    assert refused.status_code == refused_long.status_code == 401
    assert [(entry["status"], entry.get("body")) for entry in journal] == [
        (200, body.decode()),
        (401, body.decode()),
        (401, None),
    ]


def test_the_ticker_carries_out_due_events_in_real_time(server: str) -> None:
    served = Served("--script", str(ROOT / "fixtures/scripts/claap-fast-ready.yaml"), server=server)
    try:
        headers = {"X-Claap-Key": "cla_k"}
        recording = requests.post(
            f"{served.url}/claap/v1/recordings",
            json={"authorEmail": "a@acme.com"},
            headers=headers,
            timeout=5,
        ).json()["result"]["recording"]
        requests.put(
            recording["upload"]["url"], data=b"\x00\x00\x00\x18ftypmp42" + b"\0" * 32, timeout=5
        )
        time.sleep(1.5)  # the script says Ready 1 s after upload; nobody asks in between
        hooks = requests.get(f"{served.url}/_recmock/requests", timeout=5).json()["requests"]
        assert [h["method"] for h in hooks] == ["POST", "PUT"]
        state = requests.get(
            f"{served.url}/claap/v1/recordings/{recording['id']}", headers=headers, timeout=5
        ).json()["result"]["recording"]["state"]
        assert state == "Ready"
    finally:
        served.stop()


def test_state_is_written_on_stop_and_loaded_on_start(tmp_path: Path, server: str) -> None:
    state_file = tmp_path / "state.json"
    first = Served("--state", str(state_file), "--seed", "3", server=server)
    recording = requests.post(
        f"{first.url}/claap/v1/recordings",
        json={"authorEmail": "a@acme.com", "title": "survives"},
        headers={"X-Claap-Key": "cla_k"},
        timeout=5,
    ).json()["result"]["recording"]
    first.stop()
    assert json.loads(state_file.read_text())["vendors"]["claap"]["resources"]["recording"]

    second = Served("--state", str(state_file), server=server)
    try:
        again = requests.get(
            f"{second.url}/claap/v1/recordings/{recording['id']}",
            headers={"X-Claap-Key": "cla_k"},
            timeout=5,
        )
        assert again.json()["result"]["recording"]["title"] == "survives"
    finally:
        second.stop()


def test_a_broken_script_stops_start_up_with_its_message(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text("- vendor: claap\n  timeline: [{state: Done}]\n")
    result = subprocess.run(
        [sys.executable, "-m", "recmock", "serve", "--port", "0", "--script", str(script)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert "timeline.0.state: 'Done' is not a state of a claap recording" in result.stderr


@pytest.mark.parametrize("reuse_port", [True, False], ids=["held-by-granian", "held-by-other"])
def test_a_busy_port_stops_start_up_in_one_line(server: str, reuse_port: bool) -> None:
    """Not a second mock sharing the port with the first (granian binds with
    SO_REUSEPORT), nor a traceback: one line and exit status 2."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, int(reuse_port))
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = subprocess.run(
            [sys.executable, "-m", "recmock", "serve", "--server", server, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert started.returncode == 2
    assert started.stderr == f"recmock: cannot listen on 127.0.0.1:{port}: address in use\n"


@pytest.mark.parametrize("flag", ["--help"])
def test_help(flag: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recmock", "serve", flag], capture_output=True, text=True, timeout=20
    )
    assert "--no-limits" in result.stdout


def test_no_rate_limits_keeps_the_quotas() -> None:
    served = Served("--no-rate-limits", "--quiet", server="waitress")
    try:
        http = requests.Session()
        statuses = [
            http.post(
                f"{served.url}/claap/v1/recordings",
                json={"authorEmail": "a@acme.com"},
                headers={"X-Claap-Key": "cla_quota"},
                timeout=5,
            ).status_code
            for _ in range(55)  # 3/s with bursts of 20 would refuse most of these
        ]
    finally:
        served.stop()
    assert statuses == [200] * 50 + [403] * 5
