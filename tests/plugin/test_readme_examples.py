"""Every Python example of README's "In pytest" section is a test file a user could
copy into a suite of their own: each runs, outside this repository, and passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[str]:
    text = README.read_text()
    section = text.split("\n## In pytest\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


EXAMPLES = _examples()


def test_the_section_has_its_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_a_readme_example_runs_anywhere(pytester: pytest.Pytester, number: int) -> None:
    example = EXAMPLES[number]
    pytester.makepyfile(**{f"test_readme_{number}": example})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    tests = len(re.findall(r"^\s*(?:async\s+)?def test_", example, re.M))
    result.assert_outcomes(passed=tests)


def test_ci_runs_the_readmes_test_command() -> None:
    """README's second command is what CI runs: a check added to one is in the other."""
    commands = re.findall(r"```sh\n(.*?)\n```", README.read_text(), re.S)
    ci_run = (README.parent / ".ci" / "run").read_text().splitlines()
    assert commands[1] == ci_run[-1]
    assert "ruff format --check" in commands[1] and "mypy" in commands[1]
