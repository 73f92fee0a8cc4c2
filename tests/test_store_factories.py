"""The built-in store plugins: ``memory://`` and ``sqlite:///PATH`` behind FeedbackKit.open
(``postgresql://`` is tested in test_store_postgres.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from feedbackkit.clock import FixedClock
from feedbackkit.models import Feedback
from feedbackkit.plugins import load_plugins
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing.contract import T0


def test_the_builtin_stores_are_registered_by_scheme() -> None:
    stores = load_plugins(entry_point_plugins=False).stores()
    assert {name: factory.schemes for name, factory in stores.items()} == {
        "memory": ("memory",),
        "sqlite": ("sqlite",),
        "postgresql": ("postgresql", "postgres"),
    }


def test_memory_urls_open_a_fresh_store_each_time() -> None:
    plugins = load_plugins(entry_point_plugins=False)
    with FeedbackKit.open(":memory:", plugins=plugins) as kit:
        assert isinstance(kit.store, MemoryStore)
        kit.register(Feedback("tip", "app", T0, "Zet een bankje bij de bushalte."))
        assert kit.count() == 1
    with FeedbackKit.open("memory://", plugins=plugins) as kit:
        assert kit.count() == 0


def test_a_file_path_opens_an_sqlite_store_that_keeps_the_handling(tmp_path: Path) -> None:
    plugins = load_plugins(entry_point_plugins=False)
    db = tmp_path / "zaken.sqlite"
    feedback = Feedback("complaint", "phone", T0, "Ik ben drie keer doorverbonden.")
    with FeedbackKit.open(db, plugins=plugins, clock=FixedClock(T0 + timedelta(hours=1))) as kit:
        assert isinstance(kit.store, SqlStore)
        kit.register(feedback, actor="anna")
        kit.act(feedback.id, "start_informal", actor="anna", at=T0 + timedelta(hours=2))
    with FeedbackKit.open(f"sqlite:///{db}", plugins=plugins) as kit:
        view = kit.view(feedback.id)
        assert [e.action for e in view.events] == ["assign_handler", "start_informal"]
        assert (view.state.state, view.state.handler) == ("informal", "anna")
        assert kit.store.case_state(feedback.id) == view.state


def test_an_sqlite_file_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    from feedbackkit.errors import FeedbackkitError

    with pytest.raises(FeedbackkitError, match="does not exist"):
        FeedbackKit.open(tmp_path / "nowhere" / "x.sqlite")
