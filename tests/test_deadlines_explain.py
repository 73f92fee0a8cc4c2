"""Deadlines computed without their explanation (``explain=False``, as stores do)
are the explained deadlines without the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackkit.deadlines import DeadlinePolicy, compute_deadlines
from feedbackkit.demo import generate
from feedbackkit.models import Event, Feedback
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.terms import MemoCalendar
from test_deadlines_terms import CAL, POLICIES, histories


def assert_same_but_rules(
    feedback: Feedback, events: Sequence[Event], policy: DeadlinePolicy, today: date
) -> None:
    explained = compute_deadlines(feedback, events, policy, CAL, today)
    bare = compute_deadlines(feedback, events, policy, MemoCalendar(CAL), today, explain=False)
    assert all(d.rules for d in explained)
    assert tuple(attrs.evolve(d, rules=()) for d in explained) == bare


@settings(max_examples=150, deadline=None)
@given(histories(), st.booleans())
def test_unexplained_deadlines_are_the_explained_ones_without_rules(
    history: tuple[str, Feedback, list[Event], date], shuffled: bool
) -> None:
    procedure, feedback, events, today = history
    if shuffled:
        events = events[::-1]
    assert_same_but_rules(feedback, events, POLICIES[procedure], today)


def test_unexplained_deadlines_agree_on_demo_cases() -> None:
    kit = FeedbackKit(MemoryStore())
    checked = 0
    for record in generate(300, seed=11):
        policy = kit.deadline_policy(kit.procedure_for(record.feedback).name)
        if policy is None:
            continue
        received = record.feedback.received_at.date()
        for weeks in (0, 3, 12):
            today = received + timedelta(weeks=weeks)
            assert_same_but_rules(record.feedback, record.events, policy, today)
            half = record.events[: len(record.events) // 2]
            assert_same_but_rules(record.feedback, half, policy, today)
        checked += 1
    assert checked > 200
