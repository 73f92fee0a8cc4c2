"""Every script in examples/ runs to completion on a fresh database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))


def test_there_are_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "example.sqlite")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "an example shows what it did"


def test_register_and_handle_reads_the_koningsdag_term(tmp_path: Path) -> None:
    script = next(p for p in EXAMPLES if p.stem == "register_and_handle")
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "x.sqlite")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Received Friday 24 April 2026; Monday 27 April is Koningsdag: 3 working days end on the 30th.
    assert "Persoonlijk contact met de klager: 2026-04-30" in out
    assert "refused: awb_complaint: action 'close' is not allowed in state 'received'" in out
