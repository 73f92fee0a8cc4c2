"""Hypothesis state machines, one per built-in procedure, driving random legal and
illegal actions through the facade on the in-memory store with a fixed clock that
jumps ahead by random amounts, against a tiny reference model.

Invariants after every step: events are append-only, the state equals the replay of
the events (and the stored summary), the version is the number of events, no deadline
falls before receipt, handler and ambassador are the last assigned, terminal states
absorb, and refused actions leave the case unchanged.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from functools import cache
from unittest import TestCase

import attrs
import pytest
from hypothesis import HealthCheck, assume, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from feedbackkit import FeedbackKit, Query
from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import ConflictError, IllegalActionError, ValidationError
from feedbackkit.models import Event, Feedback
from feedbackkit.plugins import Plugins, load_plugins
from feedbackkit.testing import strategies as fst
from feedbackkit.vocabulary import Kind
from feedbackkit.workflow import Action, Procedure, derive

PROCEDURES = {p.name: p for p in builtin_procedures()}
START = datetime(2024, 12, 20, 9, 0, tzinfo=AMSTERDAM)  # a holiday season ahead
JUMPS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12))


@cache
def plugins() -> Plugins:
    return load_plugins(entry_point_plugins=False)


@attrs.define
class Expected:
    """The reference model of one case: what the facade must show."""

    received: datetime
    state: str
    events: list[Event] = attrs.Factory(list)
    handler: str | None = None
    ambassador: str | None = None


def test_handler_and_ambassador_are_derived_by_replay() -> None:
    """Schagen: an ambassador registers informal feedback, routes it to the handler and
    is recorded as second handler; both follow from the events alone."""
    clock = FixedClock(START)
    with FeedbackKit.open(":memory:", plugins=plugins(), clock=clock) as kit:
        feedback = Feedback(
            kind=Kind.DISSATISFACTION,
            channel="social",
            received_at=START - timedelta(hours=2),
            text="Al weken geen reactie op mijn vraag over de parkeervergunning.",
            received_by="Ambassadeur Joëlle",
        )
        view = kit.register(feedback, actor="Jan de Vries")
        assert (view.state.handler, view.state.ambassador) == ("Jan de Vries", None)
        clock.advance(timedelta(hours=1))
        kit.act(feedback.id, "assign_ambassador", actor="Joëlle", payload={"ambassador": "Joëlle"})
        clock.advance(timedelta(days=1))
        view = kit.act(
            feedback.id, "assign_handler", actor="Jan", payload={"handler": "Sanne Smit"}
        )
        assert (view.state.handler, view.state.ambassador) == ("Sanne Smit", "Joëlle")
        assert kit.store.case_state(feedback.id) == derive(view.procedure, feedback.id, view.events)
        mine = [s.case_id for s in kit.cases(Query(handler="Sanne Smit"))]
        assert mine == [feedback.id]
        assert list(kit.cases(Query(handler="Jan de Vries"))) == []


class ProcedureMachine(RuleBasedStateMachine):
    """Subclassed per procedure (``procedure`` set) below."""

    procedure: Procedure
    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.kit = FeedbackKit.open(":memory:", plugins=plugins(), clock=self.clock)
        self.expected: dict[uuid.UUID, Expected] = {}

    def teardown(self) -> None:
        self.kit.close()

    # -- rules -----------------------------------------------------------------------

    @initialize(target=cases, data=st.data())
    def first_case(self, data: st.DataObject) -> uuid.UUID:
        return self._register(data)

    @rule(target=cases, data=st.data())
    def register(self, data: st.DataObject) -> uuid.UUID:
        return self._register(data)

    def _register(self, data: st.DataObject) -> uuid.UUID:
        now = self.clock.now()
        people = data.draw(st.lists(fst.parties(), max_size=2, unique_by=lambda p: p.id))
        feedback: Feedback = data.draw(
            fst.feedback(
                [Kind(k) for k in self.procedure.kinds],
                received=fst.amsterdam_datetimes(now - timedelta(days=20), now),
                parties=people,
            )
        )
        assume(feedback.id not in self.expected)
        actor = data.draw(st.none() | fst.actors())
        view = self.kit.register(feedback, people, actor=actor)
        assert view.procedure.name == self.procedure.name
        expected = Expected(received=feedback.received_at, state=self.procedure.initial)
        if actor is not None:
            expected.events.append(view.events[-1])
            expected.handler = actor
        self.expected[feedback.id] = expected
        return feedback.id

    @rule(jump=JUMPS)
    def time_passes(self, jump: timedelta) -> None:
        self.clock.advance(jump)

    @rule(case=cases, data=st.data())
    def legal_action(self, case: uuid.UUID, data: st.DataObject) -> None:
        expected = self.expected[case]
        allowed = self.procedure.allowed(expected.state)
        if not allowed:
            return  # terminal: refusals are checked on arrival and by illegal_action
        moves = [a for a in allowed if self.procedure.table[(expected.state, a)] != expected.state]
        pool = moves if moves and data.draw(st.booleans(), label="move") else allowed
        action = self.procedure.actions[data.draw(st.sampled_from(pool), label="action")]
        payload = data.draw(fst.payloads(action), label="payload")
        actor = data.draw(fst.actors(), label="actor")
        view = self.kit.act(case, action.name, actor=actor, payload=payload)
        target = self.procedure.table[(expected.state, action.name)]
        event(f"reached {target}")
        assert view.state.state == target
        new = view.events[-1]
        assert (new.action, new.actor, new.payload) == (action.name, actor, payload)
        assert new.at == self.clock.now()
        expected.events.append(new)
        expected.state = target
        if action.name == "assign_handler":
            expected.handler = payload["handler"]
        elif action.name == "assign_ambassador":
            expected.ambassador = payload["ambassador"]
        if self.procedure.is_terminal(target):
            self._every_action_is_refused(case)

    @rule(case=cases, data=st.data())
    def illegal_action(self, case: uuid.UUID, data: st.DataObject) -> None:
        expected = self.expected[case]
        allowed = self.procedure.allowed(expected.state)
        refused = [*sorted(set(self.procedure.actions) - set(allowed)), "bel_de_wethouder"]
        action = data.draw(st.sampled_from(refused), label="action")
        spec = self.procedure.actions.get(action)
        payload = data.draw(fst.payloads(spec) if spec else st.just({}), label="payload")
        with pytest.raises(IllegalActionError) as caught:
            self.kit.act(case, action, actor="a.visser", payload=payload)
        assert caught.value.state == expected.state
        assert caught.value.allowed == allowed
        assert f"state {expected.state!r}" in str(caught.value)

    @rule(case=cases, data=st.data())
    def incomplete_payload(self, case: uuid.UUID, data: st.DataObject) -> None:
        expected = self.expected[case]
        actions = [self.procedure.actions[a] for a in self.procedure.allowed(expected.state)]
        needy = [a for a in actions if a.requires]
        if not needy:
            return
        action = data.draw(st.sampled_from(needy), label="action")
        payload = data.draw(fst.payloads(action), label="payload")
        missing = data.draw(st.sampled_from(action.requires), label="missing")
        del payload[missing]
        with pytest.raises(ValidationError) as caught:
            self.kit.act(case, action.name, actor="a.visser", payload=payload)
        assert caught.value.field == f"payload.{missing}"

    @rule(case=cases, data=st.data())
    def wrong_version(self, case: uuid.UUID, data: st.DataObject) -> None:
        expected = self.expected[case]
        version = len(expected.events)
        wrong = data.draw(st.sampled_from([v for v in range(version + 3) if v != version]))
        action = data.draw(st.sampled_from(sorted(self.procedure.actions)), label="action")
        with pytest.raises(ConflictError) as caught:
            self.kit.act(case, action, actor="a.visser", payload={}, expected_version=wrong)
        assert (caught.value.expected, caught.value.actual) == (wrong, version)

    def _every_action_is_refused(self, case: uuid.UUID) -> None:
        expected = self.expected[case]
        assert self.kit.view(case).allowed_actions == ()
        for name, action in self.procedure.actions.items():
            with pytest.raises(IllegalActionError, match="none \\(terminal state\\)"):
                self.kit.act(case, name, actor="a.visser", payload=_complete(action))
        assert list(self.kit.view(case).events) == expected.events

    # -- invariants ------------------------------------------------------------------

    @invariant()
    def cases_match_the_model(self) -> None:
        for case, expected in self.expected.items():
            view = self.kit.view(case)
            events = list(view.events)
            # append-only: exactly the events the model saw, none changed, none lost
            assert events == expected.events
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            replayed = derive(self.procedure, case, events)
            assert view.state == replayed
            assert self.kit.store.case_state(case) == replayed
            assert view.state.version == len(events)
            assert view.state.state == expected.state
            assert (view.state.handler, view.state.ambassador) == (
                expected.handler,
                expected.ambassador,
            )
            assert view.state.done is self.procedure.states[expected.state].done
            for deadline in view.deadlines:
                assert deadline.due is None or deadline.due >= expected.received.date(), deadline
            moments = [expected.received, *(e.at for e in events)]
            assert moments == sorted(moments)

    @invariant()
    def queries_agree(self) -> None:
        states = {s.case_id: s for s in self.kit.cases()}
        assert set(states) == set(self.expected)
        done = {s.case_id for s in self.kit.cases(Query(done=True))}
        assert done == {c for c, e in self.expected.items() if self.procedure.states[e.state].done}


def _complete(action: Action) -> dict[str, object]:
    """A value for every required field: a terminal state must refuse even then."""
    return {key: action.choices.get(key, ("x",))[0] for key in action.requires}


MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _test_case(name: str) -> type[TestCase]:
    """The test case running the machine for procedure ``name``."""
    machine = type(f"{name.title().replace('_', '')}Machine", (ProcedureMachine,), {})
    machine.procedure = PROCEDURES[name]
    test: type[TestCase] = machine.TestCase
    test.settings = MACHINE_SETTINGS
    return test


TestAwbComplaint = _test_case("awb_complaint")
TestObjection = _test_case("objection")
TestMelding = _test_case("melding")
TestGeneric = _test_case("generic")
