"""What went wrong once and must not again: failing events, requests queued behind a
webhook, stale background work after a reset, bad dumps, out-of-range input."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, run_wsgi_app

from recmock import RecMock
from recmock.clock import Clock
from recmock.config import Config
from recmock.scheduler import Scheduler
from recmock.vendors import ClaapVendor
from recmock.web import Parameters, VendorRequest
from tests.claap.conftest import PAYLOADS, ClaapClient
from tests.conftest import Receiver


def test_a_failing_event_is_reported_and_the_others_still_run() -> None:
    clock = Clock()
    clock.freeze()
    scheduler = Scheduler(clock.now)
    clock._on_moved = scheduler.run_due
    ran: list[str] = []

    def explode(at: datetime) -> str:
        raise RuntimeError("boom")

    scheduler.schedule(clock.now() + timedelta(seconds=1), "core", explode)
    scheduler.schedule(
        clock.now() + timedelta(seconds=2), "core", lambda at: ran.append("after") or "after"
    )
    fired = clock.advance(timedelta(seconds=5))
    assert ran == ["after"]
    assert fired[0]["event"] == "failed" and "boom" in fired[0]["error"]
    assert fired[1]["event"] == "after"


def test_requests_are_not_held_up_by_a_slow_webhook_receiver(
    app, client: FlaskClient, mock: RecMock, receiver: Receiver
) -> None:
    receiver.delay_s = 1.5
    claap = ClaapClient(client)
    client.put("/_recmock/vendors/claap/webhook", json={"url": receiver.url})
    for _ in range(2):  # two deliveries: while the first waits, the second is due
        claap.upload(claap.created(), PAYLOADS["mp4"])

    mover = threading.Thread(target=lambda: mock.advance("10s"))  # delivers, slowly
    mover.start()
    time.sleep(0.3)
    started = time.perf_counter()
    other = ClaapClient(app.test_client(), "cla_someone_else").list()
    took = time.perf_counter() - started
    mover.join()

    assert other.status_code == 200
    assert took < 0.5


def test_a_fetch_started_before_a_reset_does_not_touch_what_comes_after(
    client: FlaskClient, mock: RecMock, receiver: Receiver
) -> None:
    receiver.payload = PAYLOADS["mp4"]
    receiver.delay_s = 0  # the GET is answered at once; the race is with the reset below
    claap = ClaapClient(client)
    first = claap.created(downloadUrl=f"{receiver.url}/slow.mp4")
    mock.reset()  # while the fetch may still be under way
    mock.clock.freeze()
    second = claap.created()
    assert second["id"] == first["id"]  # the same seed gives the same ids after a reset
    mock.wait_for_background()
    assert claap.state(second["id"]) == "Empty"
    assert claap.upload(second, PAYLOADS["mp4"]).status_code == 200


def _recordings(by_tenant: dict) -> dict:
    return {"vendors": {"claap": {"resources": {"recording": by_tenant}}}}


@pytest.mark.parametrize(
    "dump",
    [
        [],
        {"vendors": []},
        {"vendors": {"claap": []}},
        _recordings({"cla_a": [{"id": "x", "created_at": 5}]}),
        _recordings({"cla_a": [{"id": "x", "title": None}]}),
        _recordings({"cla_a": [{"id": "x", "colour": "red"}]}),
        _recordings({"cla_a": [{"id": "same"}], "cla_b": [{"id": "same"}]}),
        {"vendors": {"claap": {"media": {"claap/x": {"data": "not base64!"}}}}},
        {"vendors": {"claap": {"keys": "cla_k"}}},
        {"clock": {"now": "yesterday"}},
        {"clock": "now"},
        {"signing_key": "zz"},
    ],
)  # fmt: skip
def test_a_bad_state_dump_is_refused_and_nothing_is_lost(client: FlaskClient, dump) -> None:
    claap = ClaapClient(client)
    kept = claap.created(title="kept")
    response = client.put("/_recmock/state", json=dump)
    assert response.status_code == 400
    assert isinstance(response.json["error"], str)
    assert claap.get(kept["id"]).json["result"]["recording"]["title"] == "kept"


@pytest.mark.parametrize(
    "body",
    [{"advance": "99999999999d"}, {"advance": 1e20}, {"set": "9999-12-31T23:59:59Z"},
     {"advance": -5}],
)  # fmt: skip
def test_the_clock_refuses_what_it_cannot_reach(client: FlaskClient, body) -> None:
    before = client.get("/_recmock/clock").json
    response = client.post("/_recmock/clock", json=body)
    assert response.status_code == 400
    assert client.get("/_recmock/clock").json == before
    assert ClaapClient(client).list().status_code == 200


def test_infinity_is_not_a_duration(client: FlaskClient) -> None:
    response = client.post(
        "/_recmock/clock", data='{"advance": Infinity}', content_type="application/json"
    )
    assert response.status_code == 400


def test_a_fault_delay_is_capped(client: FlaskClient) -> None:
    response = client.post("/_recmock/scripts", json={"vendor": "claap", "fault": {"delay": "1h"}})
    assert response.status_code == 400
    assert response.json["error"] == "fault.delay: At most 300s."


@pytest.mark.parametrize("after", [[1, 2], [None, "x"], [{"a": 1}, "x"], ["x"]])
def test_a_forged_cursor_is_a_validation_error(claap_client_with_one, after) -> None:
    import base64
    import json

    cursor = base64.urlsafe_b64encode(
        json.dumps({"sort": "created_desc", "after": after}).encode()
    ).decode()
    response = claap_client_with_one.list(cursor=cursor)
    assert response.status_code == 400
    assert response.json["error"]["path"] == "cursor"


@pytest.fixture
def claap_client_with_one(client: FlaskClient) -> ClaapClient:
    claap = ClaapClient(client)
    claap.created()
    return claap


def test_a_webhook_url_the_http_stack_cannot_parse_is_an_attempt_that_failed(
    client: FlaskClient, mock: RecMock
) -> None:
    client.put("/_recmock/vendors/claap/webhook", json={"url": "http://a..b/hook"})
    ClaapClient(client).ready(mock)
    attempts = mock.outbox.attempts("claap")
    assert attempts and attempts[0]["status"] is None
    assert attempts[0]["error"].startswith("could not send")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"url": "ftp://x/y"}, "url: an http(s) URL is required"),
        ({"url": "http://"}, "url: an http(s) URL is required"),
        ({"url": 5}, "url: an http(s) URL is required"),
        ({"url": "http://x/y", "secret": ""}, "secret: a non-empty string"),
        ({"url": "http://x/y", "secret": 3}, "secret: a non-empty string"),
        ([], "Expected a JSON object"),
    ],
)
def test_webhook_targets_are_checked(client: FlaskClient, body, message) -> None:
    response = client.put("/_recmock/vendors/claap/webhook", json=body)
    assert response.status_code == 400
    assert response.json == {"error": message}  # the control API's shape


def test_vendor_actions_respect_registered_keys(client: FlaskClient) -> None:
    client.post("/_recmock/keys", json={"vendor": "claap", "key": "cla_good"})
    refused = client.put(
        "/_recmock/vendors/claap/webhook",
        json={"url": "http://127.0.0.1:9/h"},
        headers={"X-Claap-Key": "cla_other"},
    )
    assert refused.status_code == 401


def test_the_clock_stops_short_of_the_end_of_time() -> None:
    clock = Clock()
    with pytest.raises(ValueError):
        clock.set(datetime(9500, 1, 1, tzinfo=UTC))


def test_a_vendor_action_only_reaches_its_own_workspace(client: FlaskClient) -> None:
    recording = ClaapClient(client, "cla_owner").created(title="mine")
    other = client.patch(
        f"/_recmock/vendors/claap/recordings/{recording['id']}",
        json={"title": "hijacked"},
        headers={"X-Claap-Key": "cla_other"},
    )
    assert other.status_code == 404
    owner = client.patch(
        f"/_recmock/vendors/claap/recordings/{recording['id']}",
        json={"title": "renamed"},
        headers={"X-Claap-Key": "cla_owner"},
    )
    assert owner.json["result"]["recording"]["title"] == "renamed"


@pytest.mark.parametrize(
    "request_args",
    [
        ("GET", "/claap/v1//recordings"),
        ("OPTIONS", "/claap/v1/recordings"),
    ],
)
def test_odd_requests_answer_in_claaps_shape_not_html(client: FlaskClient, request_args) -> None:
    method, path = request_args
    response = client.open(path, method=method, headers={"X-Claap-Key": "cla_k"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json["error"]["type"] == "not_found"


@pytest.mark.parametrize(
    "body", ["[" * 100_000 + "]" * 100_000, '{"authorEmail": NaN}', '{"a": Infinity}']
)
def test_json_that_python_would_read_but_is_not_json(client: FlaskClient, body: str) -> None:
    response = client.post(
        "/claap/v1/recordings",
        data=body,
        headers={"X-Claap-Key": "cla_k", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "bad_request", "message": "Request body is not valid JSON"}
    }


def test_a_state_dump_with_media_larger_than_a_json_body_loads_back(
    client: FlaskClient, mock: RecMock
) -> None:
    claap = ClaapClient(client)
    recording = claap.created()
    claap.upload(recording, PAYLOADS["mp4"] + b"\x00" * (2 * 1024 * 1024))
    dumped = client.get("/_recmock/state").json
    assert client.put("/_recmock/state", json=dumped).status_code == 200
    assert client.get("/_recmock/state").json == dumped


def test_the_access_log_cannot_be_forged(app, client: FlaskClient, caplog) -> None:
    app.extensions["recmock"].config.access_log = True
    with caplog.at_level("INFO", logger="recmock.access"):
        client.get("/claap/v1/recordings/a%0d%0aX-Injected:%201", headers={"X-Claap-Key": "cla_k"})
    (line,) = [r.getMessage() for r in caplog.records if r.name == "recmock.access"]
    assert "\n" not in line and "\r" not in line
    assert "a\\x0d\\x0aX-Injected" in line


def test_the_access_log_spells_the_method_as_the_journal_does(app, caplog) -> None:
    """granian passes a method on as the client wrote it; werkzeug reads it upper-cased."""
    mock = app.extensions["recmock"]
    mock.config.access_log = True
    environ = EnvironBuilder("/claap/v1/recordings", headers={"X-Claap-Key": "cla_k"}).get_environ()
    environ["REQUEST_METHOD"] = "get"
    with caplog.at_level("INFO", logger="recmock.access"):
        run_wsgi_app(app.wsgi_app, environ, buffered=True)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "recmock.access"]
    assert '"GET /claap/v1/recordings" 200 ' in line
    assert mock.journal.entries()[-1]["method"] == "GET"


@pytest.mark.parametrize(
    ("field", "value"), [("title", None), ("channelId", None), ("meeting", None), ("deal", None)]
)
def test_null_optional_fields_are_as_good_as_missing(client: FlaskClient, field, value) -> None:
    assert ClaapClient(client).create(**{field: value}).status_code == 200


@pytest.mark.parametrize("limit", ["\uff11", " 2", "2 ", "+3"])  # \uff11: a full-width 1
def test_only_plain_digits_are_a_limit(client: FlaskClient, limit: str) -> None:
    response = ClaapClient(client).list(limit=limit)
    assert response.status_code == 400
    assert response.json["error"] == {
        "type": "validation_error",
        "message": "Value is not a valid integer",
        "path": "limit",
    }


def test_a_nested_object_of_the_wrong_type(client: FlaskClient) -> None:
    response = ClaapClient(client).create(meeting="tomorrow")
    assert response.json["error"] == {
        "type": "validation_error",
        "message": "Value is not a valid object",
        "path": "meeting",
    }


def test_the_first_year_is_formatted_as_iso(client: FlaskClient) -> None:
    answer = client.post("/_recmock/clock", json={"set": "0001-01-01T00:00:00Z"}).json
    assert answer["now"] == "0001-01-01T00:00:00.000Z"


def test_a_chunked_json_body_over_the_limit_is_413_not_malformed(client: FlaskClient) -> None:
    """A chunked body has no Content-Length to refuse up front: it is read up to the
    limit and refused whole, not cut and then taken for malformed JSON."""
    body = json.dumps({"title": "x" * (2 * 1024 * 1024), "authorEmail": "a@acme.com"}).encode()
    answer = client.post(
        "/claap/v1/recordings",
        input_stream=io.BytesIO(body),
        headers={
            "X-Claap-Key": "cla_k",
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert answer.status_code == 413
    assert (
        answer.json["error"]["message"] == "Request body is larger than the 1048576 bytes allowed"
    )


def test_a_number_too_big_for_a_float_is_malformed_json(client: FlaskClient) -> None:
    """1e400 would be stored as infinity, which no answer or state dump can carry."""
    answer = client.post(
        "/claap/v1/recordings",
        data=b'{"authorEmail": "a@acme.com", "title": "t", "x": 1e400}',
        headers={"X-Claap-Key": "cla_k", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json["error"]["message"] == "Request body is not valid JSON"


def test_a_state_round_trip_keeps_the_clock_to_the_microsecond(mock: RecMock) -> None:
    mock.clock.set(datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=UTC))
    mock.replace_state(mock.dump_state())
    assert mock.now() == datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=UTC)


def test_a_lone_surrogate_in_json_is_malformed(client: FlaskClient) -> None:
    answer = client.post(
        "/claap/v1/recordings",
        data=b'{"authorEmail": "a@acme.com", "title": "\\ud800"}',
        headers={"X-Claap-Key": "cla_k", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400


def test_a_signature_that_is_not_ascii_is_invalid(client: FlaskClient, mock: RecMock) -> None:
    claap = ClaapClient(client)
    ready = claap.ready(mock)
    path = ready["video"]["url"].split("?")[0].removeprefix("http://localhost")
    answer = client.get(path, query_string={"expires": "1900000000", "signature": "\u00e9"})
    assert answer.status_code == 403


def test_a_dump_the_clock_cannot_reach_changes_nothing(client: FlaskClient, mock: RecMock) -> None:
    ClaapClient(client).created(title="kept")
    dump = mock.dump_state()
    dump["clock"]["now"] = "9500-01-01T00:00:00+00:00"
    answer = client.put("/_recmock/state", json=dump)
    assert answer.status_code == 400
    assert [r["title"] for r in ClaapClient(client).list().json["result"]["recordings"]] == ["kept"]


def test_a_load_that_fails_late_puts_the_old_state_back(mock: RecMock, client) -> None:
    ClaapClient(client).created(title="kept")
    dump = mock.dump_state()
    original = mock.vendors["claap"].after_load

    calls = []

    def broken() -> None:  # fails on the new dump, works for the old state put back
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")

    mock.vendors["claap"].after_load = broken  # type: ignore[method-assign]
    try:
        with pytest.raises(ValueError, match="could not be loaded: boom"):
            mock.replace_state(dump)
    finally:
        mock.vendors["claap"].after_load = original  # type: ignore[method-assign]
    assert [r["title"] for r in ClaapClient(client).list().json["result"]["recordings"]] == ["kept"]


def test_an_integer_wider_than_64_bits_is_answered_as_written(client: FlaskClient) -> None:
    """Answers are written by orjson, which stops at 64 bits; the rest still go out, in
    the same compact UTF-8 form."""
    answer = client.post(
        "/_recmock/scripts",
        json={"vendor": "claap", "name": "Réunion", "fault": {"status": 500, "times": 10**30}},
    )
    assert answer.status_code == 201
    assert answer.json["scripts"][0]["fault"]["times"] == 10**30
    assert b'"times":1000000000000000000000000000000}' in answer.data
    assert '"name":"Réunion"'.encode() in answer.data


def test_text_beyond_ascii_is_answered_in_utf8(client: FlaskClient) -> None:
    answer = ClaapClient(client).create(title="Réunion 会議")
    assert answer.headers["Content-Type"] == "application/json"
    assert "Réunion 会議".encode() in answer.data
    assert answer.json["result"]["recording"]["title"] == "Réunion 会議"


def _vendor_request(path: str, **options) -> VendorRequest:
    return VendorRequest(EnvironBuilder(path=path, **options).get_environ())


def test_query_parameters_read_as_werkzeug_reads_them() -> None:
    """`Parameters.get` skips werkzeug's exception for an absent name; what it answers
    is werkzeug's: first of repeated values, type conversion, the default on a failure."""
    args = _vendor_request("/claap/v1/recordings?a=1&a=2&n=x&e=").args
    assert isinstance(args, Parameters)
    assert args.get("a") == "1"
    assert args.getlist("a") == ["1", "2"]
    assert args.get("a", type=int) == 1
    assert args.get("n", 7, type=int) == 7
    assert args.get("e") == ""
    assert args.get("absent") is None
    assert args.get("absent", "default") == "default"
    with pytest.raises(KeyError):
        args["absent"]
    empty = _vendor_request("/claap/v1/recordings").args
    assert isinstance(empty, Parameters)
    assert empty.get("a", "none") == "none"
    assert empty.to_dict() == {}
    with pytest.raises(TypeError):  # one empty mapping serves every such request
        empty["a"] = "1"  # type: ignore[index]
    form = _vendor_request("/eyeson/rooms", method="POST", data={"name": "standup", "layout": ""})
    assert isinstance(form.form, Parameters)
    assert form.form.get("name") == "standup"
    assert form.form.get("layout") == ""
    assert form.form.get("absent", "default") == "default"


@pytest.mark.parametrize("mount", ["/vendors/claap", "/", "claap"])
def test_a_vendor_mount_other_than_one_path_segment_is_refused(mount: str) -> None:
    """Requests find their vendor by the path's first segment; another mount would
    never be found, so it is refused as the mock is built."""

    class OddClaap(ClaapVendor):
        name = "odd"

    OddClaap.mount = mount
    with pytest.raises(ValueError, match=f"odd: a mount is one path segment: '{mount}'"):
        RecMock(Config(), [OddClaap])


def test_two_vendors_on_one_mount_are_refused() -> None:
    class SecondClaap(ClaapVendor):
        name = "second"

    with pytest.raises(ValueError, match="second: /claap is claap's"):
        RecMock(Config(), [ClaapVendor, SecondClaap])


@pytest.mark.parametrize(
    ("path", "host"),
    [("//claap/v1/recordings", "localhost"), ("//v1/recordings", "api.claap.io")],
)
def test_a_path_with_a_leading_double_slash_is_read_as_one(app, path: str, host: str) -> None:
    """A client joining a base URL ending in `/` with `/v1/...` sends `//`; as werkzeug
    reads it (set here directly: werkzeug's test client would read `//x` as a host)."""
    environ = EnvironBuilder(
        path="/", headers={"Host": host, "X-Claap-Key": "cla_slashes"}
    ).get_environ()
    environ["PATH_INFO"] = path
    body, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert (status, json.loads(b"".join(body))) == (
        "200 OK",
        {"result": {"recordings": [], "pagination": {"nextCursor": None}}},
    )
