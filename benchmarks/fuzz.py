"""The fuzzing of tests/core/test_fuzzing.py for longer: schemathesis against every
vendor's OpenAPI document with many more examples per operation (default 500).

    .venv/bin/python benchmarks/fuzz.py [--examples 500]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=500)
    args = parser.parse_args()
    env = {**os.environ, "RECMOCK_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
               str(ROOT / "tests" / "core" / "test_fuzzing.py")]  # fmt: skip
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
