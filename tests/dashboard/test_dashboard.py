"""The dashboard at /_recmock/: the page as served, and the page in a real headless
Chromium (Debian's chromium, driven by Playwright) where a resource created over HTTP
shows up and changes state when "advance" is pressed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from flask.testing import FlaskClient

from tests.claap.conftest import PAYLOADS, ClaapClient
from tests.conftest import LiveServer

CHROMIUM = shutil.which("chromium")


def test_the_page_shows_the_clock_resources_journal_and_scripts(client: FlaskClient, mock) -> None:
    recording = ClaapClient(client).created(title="on the dashboard")
    mock.add_scripts({"vendor": "claap", "name": "flaky create",
                      "fault": {"method": "POST", "status": 503, "times": 1}})  # fmt: skip

    page = client.get("/_recmock/")

    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.data.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "2026-03-02T09:30:00.000Z" in html and "(frozen)" in html
    assert f'<tr data-id="{recording["id"]}">' in html
    assert '<td class="state">Empty</td>' in html
    assert "flaky create" in html
    assert "<code>POST /v1/recordings</code>" in html
    assert '<form method="post" action="/_recmock/dashboard/clock">' in html


def test_the_buttons_move_the_clock_and_come_back(client: FlaskClient, mock) -> None:
    claap = ClaapClient(client)
    recording = claap.created()
    claap.upload(recording, PAYLOADS["mp4"])

    moved = client.post("/_recmock/dashboard/clock", data={"advance": "1m"})

    assert (moved.status_code, moved.headers["Location"]) == (303, "/_recmock/")
    assert claap.state(recording["id"]) == "Ready"
    assert client.post("/_recmock/dashboard/clock", data={"advance": "5y"}).status_code == 303
    assert mock.now().year == 2026  # only the offered steps move it
    client.post("/_recmock/dashboard/clock", data={"freeze": "false"})
    assert not mock.clock.frozen


def test_what_a_page_shows_is_escaped(client: FlaskClient) -> None:
    client.post("/claap/v1/recordings", json={"authorEmail": "a@acme.com"},
                headers={"X-Claap-Key": "cla_<script>alert(1)</script>"})  # fmt: skip
    html = client.get("/_recmock/").data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "cla_&lt;script&gt;" in html


@pytest.fixture
def browser() -> Iterator:
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def test_in_chromium_a_resource_appears_and_advance_changes_its_state(
    live_server: LiveServer, browser
) -> None:
    live_server.mock.clock.freeze()
    page = browser.new_page()
    page.goto(f"{live_server.url}/_recmock/")
    assert "nothing stored" in page.inner_text("body")

    http = requests.Session()
    created = http.post(
        f"{live_server.url}/claap/v1/recordings",
        json={"authorEmail": "a@acme.com"},
        headers={"X-Claap-Key": "cla_browser"},
        timeout=5,
    ).json()["result"]["recording"]
    http.put(created["upload"]["url"], data=PAYLOADS["mp4"], timeout=5)
    page.reload()
    row = page.locator(f'tr[data-id="{created["id"]}"] td.state')
    assert row.inner_text() == "Uploaded"

    before = live_server.mock.now()
    page.click("#advance-1m")
    page.wait_for_load_state()
    assert row.inner_text() == "Ready"
    assert live_server.mock.now() - before == timedelta(minutes=1)
    assert "recording_added" not in page.inner_text("#journal")  # no webhook configured


def test_with_an_admin_token_the_dashboard_wants_it() -> None:
    from recmock import Config, create_app

    app = create_app(Config(seed=1, admin_token="t0ken", public_url=None))
    try:
        client = app.test_client()
        assert client.get("/_recmock/").status_code == 401
        assert client.post("/_recmock/dashboard/clock", data={"advance": "1m"}).status_code == 401
        bearer = {"Authorization": "Bearer t0ken"}
        assert client.get("/_recmock/", headers=bearer).status_code == 200
    finally:
        app.extensions["recmock"].close()


def test_the_admin_tokens_scheme_is_case_insensitive() -> None:
    from recmock import Config, create_app

    app = create_app(Config(seed=1, admin_token="t0ken", public_url=None))
    try:
        answer = app.test_client().get("/_recmock/", headers={"Authorization": "bearer t0ken"})
        assert answer.status_code == 200
    finally:
        app.extensions["recmock"].close()
