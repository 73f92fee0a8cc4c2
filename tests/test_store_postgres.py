"""The storage contract and what the PostgreSQL store adds, on a real PostgreSQL 15 server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from feedbackkit.storage.protocol import Store
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import StoreContract


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_url: str) -> Iterator[Store]:
        store = SqlStore.open(postgres_url)
        yield store
        store.close()
