"""The control API under /_recmock/ (DESIGN.md, "Control API")."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from recmock import Config, RecMock
from tests.claap.conftest import PAYLOADS, ClaapClient


def test_health(client: FlaskClient) -> None:
    body = client.get("/_recmock/health").json
    assert body["status"] == "ok"
    assert "claap" in body["vendors"]
    assert body["now"] == "2026-03-02T09:30:00.000Z"
    assert body["version"]


class TestClock:
    def test_get(self, client: FlaskClient) -> None:
        assert client.get("/_recmock/clock").json == {
            "now": "2026-03-02T09:30:00.000Z",
            "frozen": True,
        }

    def test_advance_reports_what_fell_due(self, client: FlaskClient) -> None:
        claap = ClaapClient(client)
        recording = claap.created()
        claap.upload(recording, PAYLOADS["mp4"])
        answer = client.post("/_recmock/clock", json={"advance": "PT10S"}).json
        assert answer["now"] == "2026-03-02T09:30:10.000Z"
        assert answer["frozen"] is True
        assert answer["fired"] == [
            {
                "at": "2026-03-02T09:30:10.000Z",
                "vendor": "claap",
                "event": f"claap recording {recording['id']} is Ready",
            }
        ]

    @pytest.mark.parametrize("amount", ["90s", 90, "1m30s", "PT1M30S"])
    def test_advance_forms(self, client: FlaskClient, amount) -> None:
        answer = client.post("/_recmock/clock", json={"advance": amount}).json
        assert answer["now"] == "2026-03-02T09:31:30.000Z"

    def test_set_and_freeze(self, client: FlaskClient) -> None:
        assert client.post("/_recmock/clock", json={"freeze": False}).json["frozen"] is False
        answer = client.post("/_recmock/clock", json={"set": "2027-01-01T00:00:00Z"}).json
        assert answer["now"].startswith("2027-01-01T00:00:0")
        assert client.post("/_recmock/clock", json={"freeze": True}).json["frozen"] is True

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, 'Send exactly one of {"set": ISO-8601}'),
            ({"advance": "soon"}, "advance: not a duration: 'soon'"),
            ({"set": "yesterday"}, "set: not a date-time: 'yesterday'"),
            ({"advance": "1s", "set": "2027-01-01"}, "Send exactly one of"),
            ({"freeze": "yes"}, "freeze: must be true or false"),
        ],
    )
    def test_mistakes_are_400_with_a_message(self, client: FlaskClient, body, message) -> None:
        response = client.post("/_recmock/clock", json=body)
        assert response.status_code == 400
        assert message in response.json["error"]


class TestScripts:
    def test_add_yaml_list_and_remove(self, client: FlaskClient) -> None:
        yaml_text = """
- vendor: claap
  match: {title: "corrupt*"}
  timeline:
    - {after: 10s, state: Uploaded}
    - {after: 2m, state: Failed}
- vendor: claap
  fault: {method: POST, path: /v1/recordings, times: 2, status: 503}
"""
        added = client.post("/_recmock/scripts", data=yaml_text, content_type="application/yaml")
        assert added.status_code == 201
        ids = [s["id"] for s in added.json["scripts"]]
        assert added.json["scripts"][0]["timeline"] == [
            {"after": "10s", "state": "Uploaded"},
            {"after": "120s", "state": "Failed"},
        ]
        assert [s["id"] for s in client.get("/_recmock/scripts").json["scripts"]] == ids
        assert client.delete(f"/_recmock/scripts/{ids[0]}").status_code == 204
        assert [s["id"] for s in client.get("/_recmock/scripts").json["scripts"]] == ids[1:]
        assert client.delete("/_recmock/scripts/nope").status_code == 404

    def test_json_is_accepted(self, client: FlaskClient) -> None:
        response = client.post(
            "/_recmock/scripts",
            json={"vendor": "claap", "timeline": [{"state": "Ready"}]},
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("script", "message"),
        [
            ({"timeline": [{"state": "Ready"}]}, "vendor: Missing data for required field."),
            ({"vendor": "zoom", "timeline": [{"state": "Ready"}]}, "vendor: unknown vendor 'zoom'"),
            ({"vendor": "claap", "timeline": [{"state": "Done"}]},
             "timeline.0.state: 'Done' is not a state of a claap recording "
             "(one of Empty, Uploaded, Ready, Failed)"),
            ({"vendor": "claap", "timeline": [{"state": "Ready", "after": "soon"}]},
             "timeline.0.after: Not a duration"),
            ({"vendor": "claap", "timeline": [{"state": "Ready", "after_reads": 0}]},
             "timeline.0.after_reads: Must be greater than or equal to 1."),
            ({"vendor": "claap", "fault": {"status": 200}},
             "fault.status: Must be greater than or equal to 400"),
            ({"vendor": "claap", "fault": {"path": "/x"}},
             "fault.status: A fault needs a `status`, a `delay` or both."),
            ({"vendor": "claap"}, "timeline: A script needs a `timeline`, a `fault` or both."),
            ({"vendor": "claap", "fault": {"status": 500}, "colour": "red"},
             "colour: Unknown field."),
        ],
    )  # fmt: skip
    def test_a_script_that_does_not_parse_names_the_field(
        self, client: FlaskClient, script: dict, message: str
    ) -> None:
        response = client.post("/_recmock/scripts", json=script)
        assert response.status_code == 400
        assert response.json["error"].startswith(message)
        assert client.get("/_recmock/scripts").json["scripts"] == []

    def test_in_a_list_the_error_names_the_script(self, client: FlaskClient) -> None:
        response = client.post(
            "/_recmock/scripts",
            json=[{"vendor": "claap", "fault": {"status": 500}}, {"vendor": "claap", "fault": {}}],
        )
        assert response.json["error"].startswith("[1].fault.status:")

    def test_yaml_that_does_not_parse(self, client: FlaskClient) -> None:
        response = client.post(
            "/_recmock/scripts", data="- vendor: [claap", content_type="text/yaml"
        )
        assert response.status_code == 400
        assert response.json["error"].startswith("not valid YAML or JSON")


class TestFaults:
    def test_a_fault_answers_in_the_vendors_shape_for_its_times(self, client: FlaskClient) -> None:
        client.post(
            "/_recmock/scripts",
            json={
                "vendor": "claap",
                "fault": {"method": "POST", "path": "/v1/recordings", "times": 2, "status": 503},
            },
        )
        claap = ClaapClient(client)
        first, second, third = claap.create(), claap.create(), claap.create()
        assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
        assert first.json == {"error": {"type": "service_unavailable", "message": "Injected fault"}}
        assert client.get("/_recmock/scripts").json["scripts"][0]["fault"]["times"] == 0

    def test_a_fault_matches_path_globs_and_method(self, client: FlaskClient) -> None:
        client.post(
            "/_recmock/scripts",
            json={
                "vendor": "claap",
                "fault": {"method": "GET", "path": "/v1/recordings/*", "status": 500},
            },
        )
        claap = ClaapClient(client)
        recording = claap.created()
        assert claap.get(recording["id"]).status_code == 500
        assert claap.list().status_code == 200

    def test_a_429_fault_with_headers_and_a_message(self, client: FlaskClient) -> None:
        client.post(
            "/_recmock/scripts",
            json={"vendor": "claap", "fault": {"status": 429, "message": "Slow down",
                                                "headers": {"Retry-After": "3"}}},
        )  # fmt: skip
        response = ClaapClient(client).list()
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert response.json == {"error": {"type": "rate_limited", "message": "Slow down"}}

    def test_a_path_written_with_the_mocks_prefix_fires(self, client: FlaskClient) -> None:
        added = client.post(
            "/_recmock/scripts",
            json={"vendor": "claap", "fault": {"path": "/claap/v1/recordings", "status": 503}},
        ).json["scripts"]
        assert added[0]["fault"]["path"] == "/v1/recordings"
        assert ClaapClient(client).list().status_code == 503

    def test_a_delay_is_real_time(self, client: FlaskClient) -> None:
        import time

        client.post(
            "/_recmock/scripts", json={"vendor": "claap", "fault": {"delay": "0.3s", "times": 1}}
        )
        claap = ClaapClient(client)
        started = time.perf_counter()
        assert claap.list().status_code == 200
        assert time.perf_counter() - started >= 0.3


class TestJournal:
    def test_records_vendor_requests_with_the_vendors_own_path(self, client: FlaskClient) -> None:
        claap = ClaapClient(client)
        claap.created(title="x")
        claap.list(limit=5)
        claap.get("missing")
        entries = client.get("/_recmock/requests").json["requests"]
        assert [(e["method"], e["path"], e["status"]) for e in entries] == [
            ("POST", "/v1/recordings", 200),
            ("GET", "/v1/recordings", 200),
            ("GET", "/v1/recordings/missing", 404),
        ]
        assert entries[1]["query"] == {"limit": "5"}
        assert entries[0]["vendor"] == "claap"
        assert entries[0]["at"] == "2026-03-02T09:30:00.000Z"
        assert '"title": "x"' in entries[0]["body"]

    def test_filters_and_clear(self, client: FlaskClient) -> None:
        claap = ClaapClient(client)
        claap.created()
        claap.list()
        only_posts = client.get("/_recmock/requests?method=post").json["requests"]
        assert [e["method"] for e in only_posts] == ["POST"]
        by_path = client.get("/_recmock/requests?path=/v1/rec*&vendor=claap").json["requests"]
        assert len(by_path) == 2
        assert client.delete("/_recmock/requests").status_code == 204
        assert client.get("/_recmock/requests").json["requests"] == []

    def test_queries_and_headers_read_as_werkzeug_reads_them(self, client: FlaskClient) -> None:
        client.get(
            "/claap/v1/recordings?r=%FF&q=%E6%97%A5&label=a&label=b&blank=",
            headers={"X-Claap-Key": "cla_k", "X-Trace_Id": "t1"},
        )
        (entry,) = client.get("/_recmock/requests").json["requests"]
        assert entry["query"] == {"r": "%FF", "q": "日", "label": ["a", "b"], "blank": ""}
        assert entry["headers"]["X-Claap-Key"] == "cla_k"
        assert entry["headers"]["X-Trace-Id"] == "t1"
        assert "body" not in entry

    def test_control_calls_are_not_journaled(self, client: FlaskClient) -> None:
        client.get("/_recmock/clock")
        assert client.get("/_recmock/requests").json["requests"] == []

    def test_a_path_with_the_mocks_prefix_means_the_vendors_own(
        self, client: FlaskClient, mock: RecMock
    ) -> None:
        ClaapClient(client).created()
        prefixed = client.get("/_recmock/requests?path=/claap/v1/recordings").json["requests"]
        assert [(e["vendor"], e["path"]) for e in prefixed] == [("claap", "/v1/recordings")]
        assert len(mock.journal.entries(vendor="claap", path="/claap/v1/*")) == 1

    def test_an_entrys_json_body_parses_as_a_webhooks_payload_does(
        self, client: FlaskClient, mock: RecMock
    ) -> None:
        ClaapClient(client).created(title="Weekly")
        [entry] = mock.journal.entries(method="POST")
        assert entry.json()["title"] == "Weekly"
        ClaapClient(client).list()
        [read] = mock.journal.entries(method="GET")
        with pytest.raises(ValueError, match="GET /v1/recordings had no JSON or form body"):
            read.json()


@pytest.mark.parametrize("listing", ["requests", "webhooks", "scripts"])
def test_a_misspelt_vendor_filter_is_400_not_an_empty_list(
    client: FlaskClient, listing: str
) -> None:
    for method in ("GET", "DELETE"):
        answer = client.open(f"/_recmock/{listing}?vendor=zoom", method=method)
        assert answer.status_code == 400
        assert answer.json == {
            "error": "vendor: unknown vendor 'zoom' (one of claap, telnyx, eyeson, scoot, valt)"
        }


def test_the_fixtures_methods_refuse_a_misspelt_vendor(mock: RecMock) -> None:
    for call in (
        lambda: mock.reset("zoom"),
        lambda: mock.reset(["claap", "zoom"]),
        lambda: mock.journal.entries(vendor="zoom"),
        lambda: mock.outbox.attempts("zoom"),
        lambda: mock.scripts.list("zoom"),
    ):
        with pytest.raises(ValueError, match="unknown vendor 'zoom' \\(one of claap, telnyx"):
            call()


class TestReset:
    def test_reset_forgets_everything(self, client: FlaskClient, mock: RecMock) -> None:
        claap = ClaapClient(client)
        client.put("/_recmock/vendors/claap/webhook", json={"url": "http://127.0.0.1:9/h"})
        recording = claap.ready(mock)
        claap.upload(claap.created(), PAYLOADS["mp4"])  # a transition still pending
        assert mock.outbox.attempts() and mock.scheduler.pending() > 0
        client.post(
            "/_recmock/scripts",
            json={"vendor": "claap", "fault": {"status": 500, "path": "/nothing"}},
        )
        client.post("/_recmock/keys", json={"vendor": "claap", "key": "cla_only"})
        assert client.post("/_recmock/reset").status_code == 204
        assert client.get("/_recmock/scripts").json["scripts"] == []
        assert client.get("/_recmock/requests").json["requests"] == []
        assert client.get("/_recmock/keys").json["keys"] == []
        assert client.get("/_recmock/clock").json["frozen"] is False
        assert claap.list().headers["X-RateLimit-Remaining"] == "19"  # a full bucket again
        assert claap.list().json["result"]["recordings"] == []
        assert claap.get(recording["id"]).status_code == 404
        assert client.get("/_recmock/webhooks").json["webhooks"] == []
        assert client.get("/_recmock/vendors/claap/webhook").json["webhooks"] == []
        assert mock.scheduler.pending() == 0

    def test_reset_narrowed_to_a_vendor(self, client: FlaskClient) -> None:
        ClaapClient(client).created()
        assert client.post("/_recmock/reset", json={"vendor": "claap"}).status_code == 204
        assert ClaapClient(client).list().json["result"]["recordings"] == []
        assert client.get("/_recmock/clock").json["frozen"] is True  # the clock is shared

    def test_unknown_vendor(self, client: FlaskClient) -> None:
        response = client.post("/_recmock/reset", json={"vendor": "zoom"})
        assert response.status_code == 400

    def test_several_vendors_at_once_from_python(self, client: FlaskClient, mock: RecMock) -> None:
        claap = ClaapClient(client)
        claap.created()
        client.post("/scoot/api/v1/transcription/save", headers={"X-API-Key": "k"}, json={})
        mock.reset(["claap", "scoot"])
        assert claap.list().json["result"]["recordings"] == []
        assert mock.journal.entries(vendor="scoot") == []

    def test_a_full_reset_puts_the_settings_back(self, mock: RecMock) -> None:
        mock.config.rate_limits = False
        mock.config.vendor_options["claap"] = {"download_timeout_s": 1}
        mock.reset("claap")
        assert mock.config.rate_limits is False  # a vendor's reset leaves settings be
        mock.reset()
        assert mock.config.rate_limits is True
        assert mock.config.vendor_options == {}


class TestState:
    def test_get_put_round_trips_exactly(self, client: FlaskClient, mock: RecMock) -> None:
        claap = ClaapClient(client)
        claap.ready(mock, title="kept")
        claap.created(title="empty one")
        client.put("/_recmock/vendors/claap/webhook", json={"url": "http://127.0.0.1:9/h"})
        dumped = client.get("/_recmock/state").json

        assert client.put("/_recmock/state", json=dumped).status_code == 200
        assert client.get("/_recmock/state").json == dumped
        titles = sorted(r["title"] for r in claap.list().json["result"]["recordings"])
        assert titles == ["empty one", "kept"]
        ready = next(r for r in claap.list().json["result"]["recordings"] if r["title"] == "kept")
        assert client.get(ready["video"]["url"]).data == PAYLOADS["mp4"]

    def test_a_bad_dump_is_400_and_leaves_an_empty_mock(self, client: FlaskClient) -> None:
        dumped = client.get("/_recmock/state").json
        response = client.put("/_recmock/state", json={**dumped, "vendors": {"zoom": {}}})
        assert response.status_code == 400
        assert "unknown vendors ['zoom']" in response.json["error"]

    @pytest.mark.parametrize("body", [{}, {"vendors": {}}, {"clock": None, "vendors": {}}])
    def test_an_empty_or_foreign_dump_changes_nothing(
        self, client: FlaskClient, mock: RecMock, body: dict
    ) -> None:
        ClaapClient(client).created(title="kept")
        response = client.put("/_recmock/state", json=body)
        assert response.status_code == 400
        assert response.json["error"].startswith("Not a recmock state dump (nothing was changed)")
        assert response.json["error"].endswith("missing")
        assert [r["title"] for r in ClaapClient(client).list().json["result"]["recordings"]] == [
            "kept"
        ]
        assert mock.clock.frozen  # the test's frozen clock was not reset either

    @pytest.mark.parametrize("vendor", [["telnyx"], {"name": "claap"}, 3])
    def test_a_vendor_that_is_no_string_is_400(self, client: FlaskClient, vendor: object) -> None:
        reset = client.post("/_recmock/reset", json={"vendor": vendor})
        key = client.post("/_recmock/keys", json={"vendor": vendor, "key": "k"})
        assert reset.status_code == 400 and "vendor:" in reset.json["error"]
        assert key.status_code == 400 and "vendor:" in key.json["error"]

    def test_a_204_has_no_content_type(self, client: FlaskClient) -> None:
        answer = client.post("/_recmock/reset")
        assert answer.status_code == 204
        assert "Content-Type" not in answer.headers


class TestKeys:
    def test_register_and_list(self, client: FlaskClient) -> None:
        response = client.post("/_recmock/keys", json={"vendor": "claap", "key": "cla_k"})
        assert response.status_code == 201
        assert client.get("/_recmock/keys").json == {"keys": [{"vendor": "claap", "key": "cla_k"}]}

    @pytest.mark.parametrize(
        "body", [{"vendor": "claap"}, {"vendor": "zoom", "key": "k"}, {"key": "k"}]
    )
    def test_mistakes(self, client: FlaskClient, body: dict) -> None:
        assert client.post("/_recmock/keys", json=body).status_code == 400


class TestAdminToken:
    @pytest.fixture
    def config(self) -> Config:
        return Config(seed=1, admin_token="t0ken", public_url=None)

    def test_control_needs_the_token_but_health_stays_open(self, client: FlaskClient) -> None:
        assert client.get("/_recmock/health").status_code == 200
        refused = client.get("/_recmock/clock")
        assert refused.status_code == 401
        assert "RECMOCK_ADMIN_TOKEN" in refused.json["error"]
        assert (
            client.put("/_recmock/vendors/claap/webhook", json={"url": "http://x"}).status_code
            == 401
        )
        allowed = client.get("/_recmock/clock", headers={"Authorization": "Bearer t0ken"})
        assert allowed.status_code == 200

    def test_vendor_apis_do_not_need_it(self, client: FlaskClient) -> None:
        assert ClaapClient(client).list().status_code == 200


def test_an_unknown_path_outside_the_vendors_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert response.json["error"].startswith("Nothing at /nothing/here: vendors are under /claap/")


@pytest.mark.parametrize("path", ["/claapx/v1/recordings", "/claap-v1/recordings", "/cla"])
def test_a_path_that_only_starts_like_a_mount_is_no_vendors(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"].startswith(f"Nothing at {path}: vendors are under /claap/")


@pytest.mark.parametrize("path", ["/claap", "/claap/"])
def test_a_mount_alone_is_the_vendors_unknown_route(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json == {"error": {"type": "not_found", "message": "Unknown route: GET /"}}


def test_a_recording_caught_mid_processing_finishes_after_a_load(
    client: FlaskClient, mock: RecMock
) -> None:
    claap = ClaapClient(client)
    recording = claap.created()
    claap.upload(recording, PAYLOADS["mp4"])
    dumped = client.get("/_recmock/state").json
    client.put("/_recmock/state", json=dumped)
    assert claap.state(recording["id"]) == "Uploaded"
    client.post("/_recmock/clock", json={"advance": "10s"})
    assert claap.state(recording["id"]) == "Ready"
