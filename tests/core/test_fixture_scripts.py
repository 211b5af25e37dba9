"""The example scripts under fixtures/scripts/ are documentation: each must load."""

from __future__ import annotations

from pathlib import Path

import pytest

from recmock import Config, create_app

SCRIPTS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "scripts").glob("*.yaml"))


def test_there_are_examples() -> None:
    assert len(SCRIPTS) >= 4


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_each_example_loads(path: Path) -> None:
    app = create_app(Config(scripts=[path]))
    mock = app.extensions["recmock"]
    assert mock.scripts.list()
    mock.close()
