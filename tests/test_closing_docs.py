"""The Python examples in docs/intake.md and docs/closing-the-loop.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
BLOCKS = [
    (doc, block)
    for doc in ("intake.md", "closing-the-loop.md")
    for block in re.findall(r"```python\n(.*?)```", (DOCS / doc).read_text("utf-8"), re.S)
]


@pytest.mark.parametrize(("doc", "block"), BLOCKS, ids=[d for d, _ in BLOCKS])
def test_the_examples_run(doc: str, block: str) -> None:
    exec(compile(block, doc, "exec"), {"__name__": "docs_example"})


def test_every_doc_has_an_example() -> None:
    assert {doc for doc, _ in BLOCKS} == {"intake.md", "closing-the-loop.md"}
