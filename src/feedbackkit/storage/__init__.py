"""Storage: the store port, the in-memory store, and the SQL store (SQLite, PostgreSQL).

The SQL store lives in :mod:`feedbackkit.storage.sql` (importing SQLAlchemy);
this package imports only the port and the in-memory store.
"""

from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.protocol import IngestReport, Query, Store, StoreFactory

__all__ = ["IngestReport", "MemoryStore", "Query", "Store", "StoreFactory"]
