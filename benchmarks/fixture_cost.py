"""Per-test cost of the in-process `recmock` fixture: the same generated suite of N
tests run three ways in one run — plain tests (the reference), tests that ask for the
fixture, and tests that ask for it and make one Claap request through it.

    .venv/bin/python benchmarks/fixture_cost.py [--tests 2000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BODIES = {
    "plain": "def test_{n}():\n    assert True\n",
    "fixture": "def test_{n}(recmock):\n    assert recmock\n",
    "fixture+request": (
        "def test_{n}(recmock):\n"
        "    answer = requests.get('https://api.claap.io/v1/recordings',"
        " headers={{'X-Claap-Key': 'cla_bench'}})\n"
        "    assert answer.status_code == 200\n"
    ),
}


def run_suite(kind: str, tests: int, scratch: Path) -> float:
    folder = scratch / kind.replace("+", "_")
    folder.mkdir()
    body = "import requests\n\n" + "\n".join(BODIES[kind].format(n=n) for n in range(tests))
    (folder / "test_generated.py").write_text(body)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=folder,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        took = {kind: run_suite(kind, args.tests, Path(scratch)) for kind in BODIES}
    plain = took["plain"]
    print(f"{args.tests} tests each")
    for kind, seconds in took.items():
        extra_ms = (seconds - plain) / args.tests * 1000
        print(
            f"{kind:>16}: {seconds:6.2f} s in all, {extra_ms:+.3f} ms a test over plain "
            f"(ratio to plain {seconds / plain:.2f})"
        )


if __name__ == "__main__":
    main()
