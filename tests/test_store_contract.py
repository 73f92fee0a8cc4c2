"""The storage contract (feedbackkit.testing.StoreContract) run on the built-in stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.protocol import Store
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[Store]:
        store = MemoryStore()
        yield store
        store.close()


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        store = SqlStore.open(f"sqlite:///{tmp_path / 'feedback.sqlite'}")
        yield store
        store.close()
