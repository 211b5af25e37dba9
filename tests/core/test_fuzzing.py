"""schemathesis against each vendor's own OpenAPI document, in-process and bounded:
whatever it generates — valid, invalid, or for routes and methods the vendor does not
have — no answer is a 5xx, and every error is JSON in the vendor's own envelope.
(benchmarks/fuzz.py runs the same for longer.)"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from recmock import Config, create_app

EXAMPLES = int(os.environ.get("RECMOCK_FUZZ_EXAMPLES", "15"))
ENVELOPE = {"claap": "error", "telnyx": "errors", "eyeson": "error", "valt": None,
            "scoot": "status"}  # fmt: skip
CREDENTIALS: dict[str, dict[str, str]] = {
    "claap": {"X-Claap-Key": "cla_fuzz"},
    "telnyx": {"Authorization": "Bearer KEY_fuzz"},
    "eyeson": {"Authorization": "eyeson_fuzz"},
    "scoot": {"X-API-Key": "scoot_fuzz"},
    "valt": {},
}


def fuzz_app() -> Flask:
    return create_app(Config(seed=1, quotas=False, rate_limits=False))


def valt_token(app: Flask) -> str:
    answer = app.test_client().post(
        "/valt/api/v3/login", json={"username": "fuzz", "password": "pw"}
    )
    return answer.json["data"]["access_token"]


# Valt documents these 500s for a malformed body (IVS wiki); they are its answer, not a crash.
VALT_DOCUMENTED_500 = {"Invalid request payload", "JSON Body Formatted Incorrectly"}


def check(vendor: str, response: Any) -> None:
    """What every answer must be, whatever was sent."""
    if vendor == "valt" and response.status_code == 500:
        assert response.json()["error"]["message"] in VALT_DOCUMENTED_500, response.text[:300]
        return
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/json"), response.text[:300]
        body = response.json()
        key = ENVELOPE[vendor]
        # Valt has three documented error shapes: {"error"}, {"data"} and the RFC 404.
        assert (key in body) if key else ({"error", "data", "status"} & set(body)), body


def _schema(vendor: str, app: Flask) -> Any:
    document = app.test_client().get(f"/_recmock/openapi/{vendor}.json").json
    return schemathesis.openapi.from_dict(document)


APP = fuzz_app()
VALT_TOKEN = valt_token(APP)
SCHEMAS = {vendor: _schema(vendor, APP) for vendor in ENVELOPE}


def _fuzz(vendor: str) -> Any:
    @SCHEMAS[vendor].parametrize()
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)  # fmt: skip
    def test(case: Any) -> None:
        if vendor == "valt":
            case.query = {**(case.query or {}), "access_token": VALT_TOKEN}
        check(vendor, case.call(app=APP, headers=CREDENTIALS[vendor]))

    return test


test_claap = _fuzz("claap")
test_telnyx = _fuzz("telnyx")
test_eyeson = _fuzz("eyeson")
test_valt = _fuzz("valt")
test_scoot = _fuzz("scoot")


@pytest.fixture(autouse=True)
def _fresh_mock() -> None:
    """Each operation starts from an empty mock (the Valt login kept)."""
    mock = APP.extensions["recmock"]
    tokens = mock.vendors["valt"].backend.tokens
    kept = tokens.all("fuzz")
    mock.reset()
    for token in kept:
        tokens.put("fuzz", token)
