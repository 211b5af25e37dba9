"""The Dockerfile, built and run with ../shared/tools/container-check (podman), as an
integration-test stack would run it. Skipped where podman is not installed (CI may
install it with that script)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
CONTAINER_CHECK = ROOT.parent / "shared" / "tools" / "container-check"
TAG = "recmock:test"
# As container-check runs images (its `run` has no volume option, so this test calls
# podman itself for the mounted state file).
PODMAN_RUN_FLAGS = ["--runtime", "runc", "--ulimit", "nofile=20000:20000",
                    "--ulimit", "nproc=4096:4096"]  # fmt: skip

pytestmark = pytest.mark.skipif(
    shutil.which("podman") is None or not CONTAINER_CHECK.exists(),
    reason="needs podman and ../shared/tools/container-check",
)


def _image_id(tag: str) -> str | None:
    found = subprocess.run(
        ["podman", "image", "inspect", "--format", "{{.Id}}", f"localhost/{tag}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if found.returncode != 0:  # no image under that tag yet
        return None
    return found.stdout.strip() or None


@pytest.fixture(scope="module")
def image() -> str:
    previous = _image_id(TAG)
    # podman's default OCI image format drops HEALTHCHECK; Docker's format keeps it.
    subprocess.run(
        ["bash", str(CONTAINER_CHECK), "build", str(ROOT), TAG],
        check=True,
        capture_output=True,
        timeout=1200,
        env={**os.environ, "BUILDAH_FORMAT": "docker"},
    )
    if previous is not None and previous != _image_id(TAG):
        # The tag moved to the new build: the old image, ~300 MB, would stay behind
        # untagged after every run that changed the sources. Only that one is removed;
        # podman refuses (and nothing fails) if a container still uses it.
        subprocess.run(["podman", "rmi", previous], capture_output=True, timeout=60)
    return TAG


@pytest.fixture
def container(image: str) -> Iterator[tuple[str, str]]:
    port = free_port()
    started = subprocess.run(
        ["bash", str(CONTAINER_CHECK), "run", image, str(port)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    container_id = started.stdout.strip().splitlines()[-1]
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/_recmock/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    yield container_id, url
    subprocess.run(["bash", str(CONTAINER_CHECK), "stop", container_id], timeout=60)


def _inspect(container_id: str, template: str) -> str:
    return subprocess.run(
        ["podman", "inspect", "--format", template, container_id],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()


def test_serves_claap_and_the_control_api(container: tuple[str, str]) -> None:
    _, url = container
    health = requests.get(f"{url}/_recmock/health", timeout=5).json()
    assert health["status"] == "ok" and "claap" in health["vendors"]
    created = requests.post(
        f"{url}/claap/v1/recordings",
        json={"authorEmail": "a@acme.com", "title": "in a container"},
        headers={"X-Claap-Key": "cla_k"},
        timeout=5,
    )
    assert created.status_code == 200
    upload_url = created.json()["result"]["recording"]["upload"]["url"]
    assert upload_url.startswith(f"{url}/claap/uploads/")
    sample = (ROOT / "fixtures" / "media" / "sample.mp4").read_bytes()
    assert requests.put(upload_url, data=sample, timeout=5).status_code == 200
    journal = requests.get(f"{url}/_recmock/requests", timeout=5).json()["requests"]
    assert [e["method"] for e in journal] == ["POST", "PUT"]


def test_runs_as_non_root_and_its_health_check_passes(container: tuple[str, str]) -> None:
    container_id, _ = container
    user = subprocess.run(
        ["podman", "exec", container_id, "id", "-u"], capture_output=True, text=True, timeout=30
    ).stdout.strip()
    assert user == "65534"
    config = json.loads(_inspect(container_id, "{{json .Config}}"))
    healthcheck = config.get("Healthcheck") or {}
    test = healthcheck.get("Test") or []
    assert test, "the image has no HEALTHCHECK"
    command = test[1:] if test[0] == "CMD" else ["sh", "-c", test[1]]
    probe = subprocess.run(["podman", "exec", container_id, *command], timeout=30)
    assert probe.returncode == 0


def test_stops_on_sigterm_within_2_seconds(container: tuple[str, str]) -> None:
    container_id, _ = container
    started = time.monotonic()
    subprocess.run(["podman", "stop", "--time", "10", container_id], check=True, timeout=30)
    took = time.monotonic() - started
    assert _inspect(container_id, "{{.State.ExitCode}}") == "0"  # SIGTERM, not SIGKILL
    assert took < 2.0


def test_every_vendors_happy_path(container: tuple[str, str]) -> None:
    """A smoke test of all five vendors in the image, as a CI stack would use them."""
    _, url = container
    sample = (ROOT / "fixtures" / "media" / "sample.mp4").read_bytes()
    http = requests.Session()

    claap = http.post(f"{url}/claap/v1/recordings", json={"authorEmail": "a@acme.com"},
                      headers={"X-Claap-Key": "cla_k"}, timeout=5)  # fmt: skip
    assert claap.status_code == 200

    telnyx = {"Authorization": "Bearer KEY_ci"}
    session = http.post(f"{url}/_recmock/vendors/telnyx/sessions", json={}, headers=telnyx,
                        timeout=5).json()["session"]["id"]  # fmt: skip
    composition = http.post(f"{url}/telnyx/v2/room_compositions", json={"session_id": session},
                            headers=telnyx, timeout=5)  # fmt: skip
    assert composition.json()["data"]["status"] == "enqueued"

    room = http.post(f"{url}/eyeson/rooms", data={"user[name]": "Ann"},
                     headers={"Authorization": "eyeson_ci"}, timeout=5)  # fmt: skip
    assert room.status_code == 201 and len(room.json()["access_key"]) == 24

    valt = f"{url}/valt/api/v3"
    token = http.post(f"{valt}/login", json={"username": "ci", "password": "pw"},
                      timeout=5).json()["data"]["access_token"]  # fmt: skip
    record = http.post(f"{valt}/records/create-upload?access_token={token}",
                       json={"name": "ci"}, timeout=5).json()  # fmt: skip
    video = f"{valt}/records/{record['id']}/videos/{record['videos'][0]}?access_token={token}"
    assert http.post(video, files={"file": ("a.mp4", sample)}, timeout=10).status_code == 201
    link = http.get(
        f"{valt}/records/download/{record['id']}/{record['videos'][0]}?access_token={token}",
        timeout=5,
    ).json()["url"]
    assert http.get(link, timeout=10).content == sample

    scoot = http.post(f"{url}/scoot/api/v1/recording/processing",
                      json={"socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
                            "recordingId": "ci.mp4"},
                      headers={"X-API-Key": "scoot_ci"}, timeout=5)  # fmt: skip
    assert scoot.json()["status"] == "PROCESSING"


def test_state_survives_a_stop_and_start_on_a_mounted_file(image: str, tmp_path: Path) -> None:
    volume = tmp_path / "data"
    volume.mkdir()
    volume.chmod(0o777)  # the image runs as nobody
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    container_id = subprocess.run(
        ["podman", "run", "-d", *PODMAN_RUN_FLAGS, "-p", f"127.0.0.1:{port}:8000",
         "-v", f"{volume}:/data", f"localhost/{image}", "--state", "/data/state.json"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout.strip().splitlines()[-1]  # fmt: skip

    def healthy() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/_recmock/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError("the container did not answer")

    try:
        healthy()
        created = requests.post(
            f"{url}/claap/v1/recordings",
            json={"authorEmail": "a@acme.com", "title": "kept on the volume"},
            headers={"X-Claap-Key": "cla_k"},
            timeout=5,
        ).json()["result"]["recording"]
        for move in ({"freeze": True}, {"set": "2030-01-01T00:00:00Z"}):
            assert requests.post(f"{url}/_recmock/clock", json=move, timeout=5).ok
        subprocess.run(["podman", "stop", "--time", "10", container_id], check=True, timeout=30)
        assert (volume / "state.json").exists()
        subprocess.run(["podman", "start", container_id], check=True, timeout=60)
        healthy()

        again = requests.get(
            f"{url}/claap/v1/recordings/{created['id']}",
            headers={"X-Claap-Key": "cla_k"},
            timeout=5,
        )
        assert again.json()["result"]["recording"]["title"] == "kept on the volume"
        clock = requests.get(f"{url}/_recmock/clock", timeout=5).json()
        assert clock == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}
    finally:
        subprocess.run(["podman", "rm", "-f", container_id], timeout=60)
