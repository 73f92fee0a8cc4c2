"""Every transition of every built-in procedure, legal and illegal, and the key ones
checked by name against the law (domain.md §2); payload rules; state derived by replay."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import IllegalActionError, ValidationError
from feedbackkit.models import Event
from feedbackkit.vocabulary import Judgement
from feedbackkit.workflow import Action, Procedure, derive
from feedbackkit.workflow.docs import main as docs_main
from feedbackkit.workflow.docs import render, render_procedure

PROCEDURES: dict[str, Procedure] = {p.name: p for p in builtin_procedures()}
COMMON = ("assign_handler", "assign_ambassador", "contact_made", "note")
AFTER_DONE = ("message_sent", "survey_answered", "survey_requested", "task")
"""Recording actions allowed after handling too: closing the loop (messages, surveys)."""
SAMPLE_VALUES: dict[str, Any] = {"int": 2, "bool": True, "str": "tekst", "date": "2024-05-01"}


def payload_for(action: Action) -> dict[str, Any]:
    """A payload the action accepts: every required field, each choice's first option."""
    payload: dict[str, Any] = {}
    for key in action.requires:
        if key in action.choices:
            payload[key] = action.choices[key][0]
        elif key in action.types:
            payload[key] = SAMPLE_VALUES[action.types[key]]
        else:
            payload[key] = "waarde"
    return payload


def pairs(procedure: Procedure) -> Iterator[tuple[str, str]]:
    for state in procedure.states:
        for action in procedure.actions:
            yield state, action


ALL_STATES = [(p.name, s) for p in PROCEDURES.values() for s in p.states]


def test_the_four_builtin_procedures_cover_every_kind() -> None:
    assert set(PROCEDURES) == {"awb_complaint", "objection", "melding", "generic"}
    kinds = [k for p in PROCEDURES.values() for k in p.kinds]
    assert sorted(kinds) == sorted(set(kinds))  # each kind has one default procedure
    assert {"complaint", "objection", "melding", "compliment"} <= set(kinds)


# -- the whole table: every (state, action) pair -------------------------------------


@pytest.mark.parametrize(("name", "state"), ALL_STATES, ids=[f"{n}.{s}" for n, s in ALL_STATES])
def test_every_action_in_every_state_is_legal_or_raises(name: str, state: str) -> None:
    procedure = PROCEDURES[name]
    allowed = procedure.allowed(state)
    for action in procedure.actions:
        target = procedure.table.get((state, action))
        if target is not None:
            assert action in allowed
            assert procedure.step(state, action, payload_for(procedure.actions[action])) == target
            continue
        assert action not in allowed
        with pytest.raises(IllegalActionError) as caught:
            procedure.step(state, action, payload_for(procedure.actions[action]))
        error = caught.value
        assert (error.procedure, error.state, error.action) == (name, state, action)
        assert error.allowed == allowed
        message = str(error)
        assert f"state {state!r}" in message
        assert repr(action) in message
        shown = message.rpartition("allowed: ")[2]
        assert shown == (", ".join(allowed) or "none (terminal state)")


@pytest.mark.parametrize("name", PROCEDURES)
def test_an_unknown_action_is_illegal_everywhere(name: str) -> None:
    procedure = PROCEDURES[name]
    for state in procedure.states:
        with pytest.raises(IllegalActionError, match=re.escape(f"state {state!r}")):
            procedure.step(state, "bel_de_burgemeester", {})


@pytest.mark.parametrize("name", PROCEDURES)
def test_every_state_is_reachable_and_can_reach_a_done_state(name: str) -> None:
    procedure = PROCEDURES[name]
    edges: dict[str, set[str]] = {s: set() for s in procedure.states}
    for (source, _), target in procedure.table.items():
        edges[source].add(target)
    reachable = _closure({procedure.initial}, edges)
    assert reachable == set(procedure.states)
    done = {s for s, state in procedure.states.items() if state.done}
    for state in procedure.states:
        assert _closure({state}, edges) & done, f"{name}: no way out of {state}"


def _closure(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


@pytest.mark.parametrize("name", PROCEDURES)
def test_done_states_absorb_except_reopen(name: str) -> None:
    procedure = PROCEDURES[name]
    for state, info in procedure.states.items():
        if info.done:
            assert set(procedure.allowed(state)) <= {"reopen", *AFTER_DONE}, state
            for action in AFTER_DONE:
                payload = payload_for(procedure.actions[action])
                assert procedure.step(state, action, payload) == state
        else:
            assert procedure.allowed(state), f"{name}: open state {state} allows nothing"


@pytest.mark.parametrize("name", PROCEDURES)
def test_recording_actions_keep_every_open_state_and_are_refused_when_done(name: str) -> None:
    procedure = PROCEDURES[name]
    for state, info in procedure.states.items():
        for action in (*COMMON, *AFTER_DONE):
            if info.done and action in COMMON:
                assert (state, action) not in procedure.table
            else:
                assert procedure.step(state, action, payload_for(procedure.actions[action])) == (
                    state
                )


# -- payloads ------------------------------------------------------------------------

REQUIRED = [
    (p.name, a.name, key)
    for p in PROCEDURES.values()
    for a in p.actions.values()
    for key in a.requires
]
CHOICES = [
    (p.name, a.name, key)
    for p in PROCEDURES.values()
    for a in p.actions.values()
    for key in a.choices
]
TYPED = [
    (p.name, a.name, key)
    for p in PROCEDURES.values()
    for a in p.actions.values()
    for key in a.types
]


def _legal_state(procedure: Procedure, action: str) -> str:
    return next(s for (s, a) in procedure.table if a == action)


@pytest.mark.parametrize(("name", "action", "key"), REQUIRED, ids=["-".join(r) for r in REQUIRED])
@pytest.mark.parametrize("missing", [..., None, ""], ids=["absent", "none", "empty"])
def test_required_payload_fields_are_enforced(
    name: str, action: str, key: str, missing: Any
) -> None:
    procedure = PROCEDURES[name]
    state = _legal_state(procedure, action)
    payload = payload_for(procedure.actions[action])
    if missing is ...:
        del payload[key]
    else:
        payload[key] = missing
    with pytest.raises(ValidationError) as caught:
        procedure.step(state, action, payload)
    assert caught.value.field == f"payload.{key}"
    assert repr(action) in caught.value.message


@pytest.mark.parametrize(("name", "action", "key"), CHOICES, ids=["-".join(c) for c in CHOICES])
def test_payload_choices_are_enforced(name: str, action: str, key: str) -> None:
    procedure = PROCEDURES[name]
    spec = procedure.actions[action]
    state = _legal_state(procedure, action)
    for option in spec.choices[key]:
        procedure.step(state, action, {**payload_for(spec), key: option})
    with pytest.raises(ValidationError) as caught:
        procedure.step(state, action, {**payload_for(spec), key: "iets_anders"})
    assert caught.value.field == f"payload.{key}"
    assert all(option in caught.value.message for option in spec.choices[key])


@pytest.mark.parametrize(("name", "action", "key"), TYPED, ids=["-".join(t) for t in TYPED])
def test_payload_types_are_enforced(name: str, action: str, key: str) -> None:
    procedure = PROCEDURES[name]
    spec = procedure.actions[action]
    state = _legal_state(procedure, action)
    procedure.step(state, action, {**payload_for(spec), key: SAMPLE_VALUES[spec.types[key]]})
    wrong = "twee" if spec.types[key] != "str" else 2
    with pytest.raises(ValidationError) as caught:
        procedure.step(state, action, {**payload_for(spec), key: wrong})
    assert caught.value.field == f"payload.{key}"


def test_an_illegal_action_is_reported_before_its_payload() -> None:
    complaint = PROCEDURES["awb_complaint"]
    with pytest.raises(IllegalActionError):
        complaint.step("received", "send_findings", {})


# -- the law, by name ----------------------------------------------------------------


def walk(procedure: Procedure, *actions: str) -> str:
    """The state after taking ``actions`` from the initial state with valid payloads."""
    return procedure.replay((a, payload_for(procedure.actions[a])) for a in actions)


def test_awb_9_10_hearing_precedes_9_12_findings() -> None:
    complaint = PROCEDURES["awb_complaint"]
    for before in [(), ("start_informal",), ("start_formal",)]:
        state = walk(complaint, *before)
        with pytest.raises(IllegalActionError, match="'send_findings' is not allowed"):
            complaint.step(state, "send_findings", payload_for(complaint.actions["send_findings"]))
    into_findings = {(s, a) for (s, a), t in complaint.table.items() if t == "findings_sent" != s}
    into_heard = {a for (s, a), t in complaint.table.items() if t == "heard" and s != "heard"}
    assert into_findings == {("heard", "send_findings")}
    assert into_heard == {"hold_hearing", "waive_hearing"}
    assert walk(complaint, "start_formal", "hold_hearing", "send_findings") == "findings_sent"
    assert walk(complaint, "start_formal", "waive_hearing", "send_findings") == "findings_sent"
    assert walk(complaint, "start_formal", "waive_hearing", "send_findings", "close") == "closed"


def test_awb_9_12_findings_carry_judgement_and_ombudsman() -> None:
    findings = PROCEDURES["awb_complaint"].actions["send_findings"]
    assert findings.article == "Awb 9:12"
    assert set(findings.requires) == {"judgement", "ombudsman"}
    assert set(findings.choices["judgement"]) == {j.value for j in Judgement}


def test_awb_9_10_hearing_waived_only_on_the_grounds_of_the_law() -> None:
    waive = PROCEDURES["awb_complaint"].actions["waive_hearing"]
    assert set(waive.choices["ground"]) == {"clearly_unfounded", "declined", "no_reply"}
    assert "ground" in waive.requires


def test_awb_9_8_grounds_to_decline() -> None:
    complaint = PROCEDURES["awb_complaint"]
    decline = complaint.actions["decline"]
    assert set(decline.choices["ground"]) == {
        "already_handled",
        "older_than_a_year",
        "objection_possible",
        "before_court",
        "criminal_investigation",
        "insufficient_interest",
    }
    for state in ("received", "informal", "investigation"):
        assert complaint.step(state, "decline", {"ground": "older_than_a_year"}) == "not_handled"


def test_awb_9_7_forward_to_the_competent_body() -> None:
    complaint = PROCEDURES["awb_complaint"]
    assert complaint.step("received", "forward", {"to": "Provincie Noord-Holland"}) == "forwarded"
    with pytest.raises(ValidationError, match=r"payload\.to"):
        complaint.step("received", "forward", {})


def test_awb_9_5_informal_resolution_ends_formal_duties() -> None:
    complaint = PROCEDURES["awb_complaint"]
    for before in [(), ("start_informal",), ("start_formal",), ("start_formal", "hold_hearing")]:
        assert walk(complaint, *before, "resolve_informally") == "resolved_informally"
    state = walk(complaint, "start_informal", "resolve_informally")
    assert "send_findings" not in complaint.allowed(state)
    assert complaint.step(state, "close", {"accepted": True}) == "closed"


def test_awb_9_11_postpone_and_committee_keep_the_state() -> None:
    complaint = PROCEDURES["awb_complaint"]
    assert complaint.step("investigation", "postpone", {"weeks": 4}) == "investigation"
    assert complaint.step("investigation", "engage_committee", {}) == "investigation"
    assert complaint.step("received", "acknowledge", {}) == "received"  # 9:6
    assert complaint.step("received", "copy_to_beklaagde", {}) == "received"  # 9:9


def test_awb_9_11_postponement_needs_whole_weeks() -> None:
    complaint = PROCEDURES["awb_complaint"]
    for weeks in ("vier", 0, True, 2.5):
        with pytest.raises(ValidationError, match=r"payload\.weeks"):
            complaint.step("investigation", "postpone", {"weeks": weeks})


@pytest.mark.parametrize(
    ("name", "handling"),
    [
        ("awb_complaint", {"received", "informal", "investigation", "heard"}),
        (
            "objection",
            {
                "received",
                "awaiting_repair",
                "admissible",
                "heard",
                "advised",
                "resolved_informally",
            },
        ),
    ],
)
def test_withdraw_is_possible_while_handling_runs(name: str, handling: set[str]) -> None:
    """A complaint can be withdrawn until findings are sent or it was resolved informally
    (after that nothing is left to withdraw); an objection until the decision."""
    procedure = PROCEDURES[name]
    for state in procedure.states:
        if state in handling:
            assert procedure.step(state, "withdraw", {}) == "withdrawn"
        else:
            with pytest.raises(IllegalActionError):
                procedure.step(state, "withdraw", {})
    open_states = {s for s, info in procedure.states.items() if not info.done}
    assert handling <= open_states


@pytest.mark.parametrize("name", ["awb_complaint", "melding", "generic"])
def test_closed_absorbs_except_reopen(name: str) -> None:
    procedure = PROCEDURES[name]
    assert procedure.states["closed"].done
    assert set(procedure.allowed("closed")) == {"reopen", *AFTER_DONE}
    reopened = procedure.step("closed", "reopen", {"reason": "klant belt opnieuw"})
    assert not procedure.states[reopened].done
    with pytest.raises(ValidationError, match=r"payload\.reason"):
        procedure.step("closed", "reopen", {})


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("awb_complaint", "forwarded"),
        ("awb_complaint", "not_handled"),
        ("awb_complaint", "withdrawn"),
        ("objection", "decided"),
        ("objection", "withdrawn"),
        ("melding", "rejected"),
    ],
)
def test_final_states_absorb(name: str, state: str) -> None:
    procedure = PROCEDURES[name]
    assert procedure.states[state].done
    assert procedure.allowed(state) == AFTER_DONE
    for action in set(procedure.actions) - set(AFTER_DONE):
        with pytest.raises(IllegalActionError, match="allowed: message_sent, survey_answered"):
            procedure.step(state, action, payload_for(procedure.actions[action]))
    assert f"{state} --> [*]" in procedure.mermaid()


def test_objection_7_2_hearing_precedes_the_decision() -> None:
    objection = PROCEDURES["objection"]
    decide = {(s, a) for (s, a), t in objection.table.items() if t == "decided"}
    assert {s for s, a in decide if a == "decide"} == {"heard", "advised"}
    for state in ("received", "admissible", "awaiting_repair", "resolved_informally"):
        with pytest.raises(IllegalActionError):
            objection.step(state, "decide", {"outcome": "ongegrond"})
    assert walk(objection, "declare_admissible", "hold_hearing", "decide") == "decided"
    assert set(objection.actions["decide"].choices["outcome"]) == {
        "gegrond",
        "deels_gegrond",
        "ongegrond",
    }


def test_objection_7_3_grounds_to_waive_the_hearing() -> None:
    waive = PROCEDURES["objection"].actions["waive_hearing"]
    assert set(waive.choices["ground"]) == {
        "clearly_inadmissible",
        "clearly_unfounded",
        "declined",
        "no_reply",
        "fully_granted",
    }


def test_objection_inadmissible_after_waiving_the_hearing_for_it() -> None:
    """7:3 a: hearing waived because the objection is clearly inadmissible; the decision
    must then be able to declare it inadmissible (no gegrond/ongegrond judgement)."""
    objection = PROCEDURES["objection"]
    state = objection.step(
        walk(objection, "declare_admissible"), "waive_hearing", {"ground": "clearly_inadmissible"}
    )
    assert objection.step(state, "declare_inadmissible", {"ground": "te laat"}) == "decided"


def test_objection_6_6_repair_of_a_defect() -> None:
    objection = PROCEDURES["objection"]
    waiting = walk(objection, "request_repair")
    assert waiting == "awaiting_repair"
    assert objection.step(waiting, "repair_received", {}) == "received"
    assert objection.step(waiting, "declare_inadmissible", {"ground": "niet hersteld"}) == (
        "decided"
    )
    with pytest.raises(IllegalActionError):
        objection.step(waiting, "hold_hearing", {"report": "verslag"})


def test_objection_informal_resolution_then_withdrawal_or_resumption() -> None:
    objection = PROCEDURES["objection"]
    state = walk(objection, "declare_admissible", "resolve_informally")
    assert state == "resolved_informally"
    assert objection.step(state, "withdraw", {}) == "withdrawn"
    assert objection.step(state, "resume", {}) == "admissible"


def test_objection_notice_of_default_possible_while_open() -> None:
    objection = PROCEDURES["objection"]
    for state, info in objection.states.items():
        assert ((state, "notice_of_default") in objection.table) is not info.done


def test_melding_repeat_recorded_only_while_unresolved() -> None:
    melding = PROCEDURES["melding"]
    unresolved = {"received", "routed", "in_progress"}
    for state in melding.states:
        legal = (state, "repeat_reported") in melding.table
        assert legal is (state in unresolved), state
        if legal:
            assert melding.step(state, "repeat_reported", {"repeat": "x"}) == state


def test_melding_lifecycle() -> None:
    melding = PROCEDURES["melding"]
    done = walk(melding, "route", "start_work", "complete", "inform_reporter", "close")
    assert done == "closed"
    assert melding.step("closed", "reopen", {"reason": "tegel ligt weer los"}) == "in_progress"
    assert walk(melding, "route", "reject") == "rejected"
    with pytest.raises(IllegalActionError):
        melding.step("in_progress", "reject", {"ground": "dubbel"})


def test_generic_lifecycle() -> None:
    generic = PROCEDURES["generic"]
    assert walk(generic, "acknowledge", "respond", "close") == "closed"
    assert walk(generic, "close") == "closed"
    assert generic.step("closed", "reopen", {"reason": "vervolgvraag"}) == "acknowledged"


@pytest.mark.parametrize("name", PROCEDURES)
def test_every_state_and_action_has_dutch_and_english_labels(name: str) -> None:
    procedure = PROCEDURES[name]
    for item in (procedure, *procedure.states.values(), *procedure.actions.values()):
        assert item.label().strip()
        assert item.label("en").strip()
        assert (item.label(), item.label("en")) == (item.nl, item.en)


# -- derive: state and handlers by replay ------------------------------------------

CASE = uuid.UUID(int=42)
START = datetime(2024, 5, 6, 9, tzinfo=AMSTERDAM)


def history(*steps: tuple[str, dict[str, Any]]) -> list[Event]:
    return [
        Event(CASE, i, action, "Sanne Smit", START + timedelta(days=i), payload=payload)
        for i, (action, payload) in enumerate(steps, start=1)
    ]


def test_derive_replays_state_version_and_last_event() -> None:
    complaint = PROCEDURES["awb_complaint"]
    events = history(("start_formal", {}), ("hold_hearing", {"report": "verslag"}))
    state = derive(complaint, CASE, events)
    assert (state.procedure, state.state, state.version) == ("awb_complaint", "heard", 2)
    assert (state.done, state.done_at) == (False, None)
    assert state.last_event_at == events[-1].at
    empty = derive(complaint, CASE, [])
    assert (empty.state, empty.version, empty.last_event_at) == ("received", 0, None)


def test_handler_and_ambassador_are_derived_by_replay() -> None:
    melding = PROCEDURES["melding"]
    events = history(
        ("assign_handler", {"handler": "Jan de Vries"}),
        ("assign_ambassador", {"ambassador": "Noor Visser"}),
        ("route", {"department": "Openbare Ruimte"}),
        ("assign_handler", {"handler": "Daan Bakker"}),
    )
    state = derive(melding, CASE, events)
    assert (state.handler, state.ambassador) == ("Daan Bakker", "Noor Visser")
    assert derive(melding, CASE, events[:1]).handler == "Jan de Vries"
    assert derive(melding, CASE, events[:1]).ambassador is None


def test_done_at_is_set_when_done_and_cleared_on_reopen() -> None:
    generic = PROCEDURES["generic"]
    events = history(("close", {}), ("reopen", {"reason": "nog een vraag"}), ("close", {}))
    assert derive(generic, CASE, events[:1]).done_at == events[0].at
    assert derive(generic, CASE, events[:2]).done_at is None
    final = derive(generic, CASE, events)
    assert (final.done, final.done_at) == (True, events[2].at)


def test_derive_rejects_an_illegal_history() -> None:
    with pytest.raises(IllegalActionError, match="'received'"):
        derive(PROCEDURES["generic"], CASE, history(("reopen", {"reason": "x"})))
    with pytest.raises(ValidationError, match=r"payload\.handler"):
        derive(PROCEDURES["generic"], CASE, history(("assign_handler", {})))


# -- generated documentation ---------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "procedures.md"


def test_docs_procedures_md_is_up_to_date() -> None:
    """Regenerate with ``python -m feedbackkit.workflow.docs > docs/procedures.md``."""
    assert DOCS.read_text("utf-8") == render(builtin_procedures()), (
        "docs/procedures.md is out of date: run "
        "`python -m feedbackkit.workflow.docs > docs/procedures.md`"
    )


@pytest.mark.parametrize("name", PROCEDURES)
def test_docs_show_every_state_action_article_and_transition(name: str) -> None:
    procedure = PROCEDURES[name]
    text = render_procedure(procedure)
    assert f"`{name}`" in text
    for state in procedure.states.values():
        assert f"| `{state.name}` | {state.nl} | {state.en} |" in text
    for action in procedure.actions.values():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{action.name}` |"))
        assert (action.article or "") in row
        for key in action.requires:
            assert f"`{key}`" in row
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert diagram == procedure.mermaid("en")
    for (source, action), target in procedure.table.items():
        if source != target:
            assert f"{source} --> {target}: {procedure.actions[action].en}" in diagram


def test_docs_module_writes_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    docs_main()
    assert capsys.readouterr().out == render(builtin_procedures())
