"""Start-up time of `recmock serve` to its first healthy answer, beside a trivial Flask
app on the same WSGI server measured in the same run (the reference).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TRIVIAL_APP = """
import sys
from flask import Flask
from waitress import serve
app = Flask(__name__)
@app.get("/health")
def health():
    return {"status": "ok"}
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_healthy(command: list[str], url: str, timeout_s: float = 20.0) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + timeout_s
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status < 500:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.005)
        raise RuntimeError(f"no healthy answer from {command} within {timeout_s} s")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def compile_bytecode() -> None:
    """Measure the start an installed recmock makes. A wheel install (`pip install .`,
    `pip install recmock`, the container) compiles the modules to bytecode; an editable
    one leaves that to the first import, which never writes it where
    PYTHONDONTWRITEBYTECODE is set (this machine, most images), and every start would
    then compile recmock's sources again: about 70 ms more here."""
    import recmock

    compileall.compile_dir(Path(recmock.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as scratch:
        trivial = Path(scratch) / "trivial.py"
        trivial.write_text(TRIVIAL_APP)
        ours, reference = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            port = _free_port()
            ours.append(
                time_to_healthy(
                    [sys.executable, "-m", "recmock", "serve", "--port", str(port), "--quiet"],
                    f"http://127.0.0.1:{port}/_recmock/health",
                )
            )
            port = _free_port()
            reference.append(
                time_to_healthy(
                    [sys.executable, str(trivial), str(port)], f"http://127.0.0.1:{port}/health"
                )
            )
    ours_s, ref_s = statistics.median(ours), statistics.median(reference)
    print(f"runs: {args.runs} on {os.cpu_count()} cores")
    print(
        f"recmock serve to first healthy answer: median {ours_s * 1000:.0f} ms "
        f"(min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})"
    )
    print(f"trivial Flask app on waitress (reference): median {ref_s * 1000:.0f} ms")
    print(f"ratio recmock / reference: {ours_s / ref_s:.2f}")


if __name__ == "__main__":
    main()
