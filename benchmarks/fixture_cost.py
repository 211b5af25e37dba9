"""Per-test cost of the in-process `recmock` fixture, in one pytest run.

One generated suite interleaves four kinds of test, so that the machine's drift falls
on all alike: plain tests (the reference); tests that ask for a do-nothing fixture of
the same shape as `recmock` (a generator fixture with two session-scoped dependencies:
what pytest itself charges for such a fixture); tests that ask for `recmock`; and tests
that make one Claap request through it. Each test's time is the sum of the setup, call
and teardown pytest reports for it (so pytest's start-up, which varies by seconds, stays
out), and each kind's figure is its median test (the first `recmock` test also builds
the app, once a session).

    .venv/bin/python benchmarks/fixture_cost.py [--tests 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = {
    "plain": "def test_plain_{n}():\n    assert True\n",
    "same-shape fixture": "def test_shape_{n}(same_shape):\n    assert same_shape\n",
    "recmock": "def test_recmock_{n}(recmock):\n    assert recmock\n",
    "recmock + request": (
        "def test_request_{n}(recmock):\n"
        "    answer = session.get('https://api.claap.io/v1/recordings',"
        " headers={{'X-Claap-Key': 'cla_bench{n}'}})\n"
        "    assert answer.status_code == 200\n"
    ),
}

CONFTEST = """
import json, os
from collections import defaultdict

import pytest

PER_TEST = defaultdict(float)


@pytest.fixture(scope="session")
def first_session_thing():
    return object()


@pytest.fixture(scope="session")
def second_session_thing():
    return object()


@pytest.fixture
def same_shape(first_session_thing, second_session_thing, request):
    yield first_session_thing


def pytest_runtest_logreport(report):
    PER_TEST[report.nodeid] += report.duration


def pytest_sessionfinish(session):
    with open(os.environ["TIMINGS_FILE"], "w") as out:
        json.dump(PER_TEST, out)
"""


def run_suite(tests: int, scratch: Path) -> dict[str, float]:
    """The median test's milliseconds, per kind."""
    lines = ["import requests\n\nsession = requests.Session()\n"]
    for n in range(tests):
        lines += [body.format(n=n) for body in KINDS.values()]
    (scratch / "test_generated.py").write_text("\n".join(lines))
    (scratch / "conftest.py").write_text(CONFTEST)
    timings = scratch / "timings.json"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=scratch,
        env={**os.environ, "TIMINGS_FILE": str(timings)},
    )
    per_test: dict[str, float] = json.loads(timings.read_text())
    prefixes = dict(
        zip(KINDS, ("test_plain_", "test_shape_", "test_recmock_", "test_request_"), strict=True)
    )
    result = {}
    for kind, prefix in prefixes.items():
        times = [t for node, t in per_test.items() if node.split("::")[-1].startswith(prefix)]
        assert len(times) == tests, (kind, len(times))
        result[kind] = statistics.median(times) * 1000
    return result


def measure(tests: int, runs: int) -> dict[str, float]:
    """Each kind's median test, medians over the runs."""
    per_run = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            per_run.append(run_suite(tests, Path(scratch)))
    return {kind: statistics.median(run[kind] for run in per_run) for kind in KINDS}


def report(tests: int, runs: int) -> None:
    costs = measure(tests, runs)
    plain, shape = costs["plain"], costs["same-shape fixture"]
    print(f"{tests} tests of each kind, interleaved, {runs} runs; ms a test (median)")
    for kind, cost in costs.items():
        print(f"{kind:>19}: {cost:.3f} ({cost - plain:+.3f} over plain, {cost - shape:+.3f} over"
              " the same-shape fixture)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report(args.tests, args.runs)


if __name__ == "__main__":
    main()
