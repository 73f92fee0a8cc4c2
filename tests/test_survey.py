"""The relationship-outcome survey through the Python API: request → one-time token →
answers → RelationshipOutcome on the case → reopening on a negative answer; expiry on a
FixedClock, one-time use, tampering, answer validation and the per-procedure policy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import ValidationError
from feedbackkit.models import Feedback, Party, PartyRef, RelationshipOutcome
from feedbackkit.service import FeedbackKit
from feedbackkit.settings import Organisation, Settings, load_settings
from feedbackkit.survey import (
    SurveyError,
    SurveyToken,
    TokenExpiredError,
    TokenInvalidError,
    TokenUsedError,
    questions,
)
from feedbackkit.vocabulary import Kind, PartyRole, Relationship

KEY = b"geheime-sleutel-van-de-gemeente-2026"
START = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
POSITIVE = {
    "relationship": "stronger",
    "satisfaction_solution": 5,
    "satisfaction_handling": "4",
    "fairly_treated": "ja",
    "would_recommend": 9,
    "free_text": "  Snel en vriendelijk geholpen.  ",
    "may_contact": False,
}
HANDLING = {
    "awb_complaint": [
        ("start_informal", {}),
        ("resolve_informally", {}),
        ("close", {"accepted": True}),
    ],
    "generic": [("respond", {"response": "Dank u wel"}), ("close", {})],
    "objection": [
        ("declare_admissible", {}),
        ("waive_hearing", {"ground": "fully_granted"}),
        ("decide", {"outcome": "gegrond"}),
    ],
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def kit(tmp_path: Path, clock: FixedClock) -> Iterator[FeedbackKit]:
    settings = Settings(
        organisation=Organisation(name="Gemeente Voorbeeld"),
        survey_key=KEY,
        survey_url="https://gemeente.example/enquete?token={token}",
    )
    with FeedbackKit.open(tmp_path / "kit.sqlite", clock=clock, settings=settings) as kit:
        yield kit


def handled(kit: FeedbackKit, clock: FixedClock, kind: Kind = Kind.COMPLAINT) -> uuid.UUID:
    """A case of ``kind`` with a complainant, handled to a done state a day after receipt."""
    party = Party(name="J. Jansen", email="j.jansen@example.nl")
    feedback = Feedback(
        kind,
        "email",
        clock.now(),
        "Mijn afvalcontainer is drie keer niet geleegd.",
        parties=(PartyRef(party.id, PartyRole.COMPLAINANT),),
    )
    view = kit.register(feedback, [party])
    clock.advance(timedelta(days=1))
    for action, payload in HANDLING[view.procedure.name]:
        view = kit.act(view.id, action, actor="p.devries", payload=payload)
    assert view.state.done
    return view.id


def test_round_trip_stores_the_outcome_on_the_case(kit: FeedbackKit, clock: FixedClock) -> None:
    case = handled(kit, clock)
    invitation = kit.survey.request(case, actor="p.devries")
    assert invitation.expires_at == START + timedelta(days=29)  # handled a day later + 28
    assert invitation.url == f"https://gemeente.example/enquete?token={invitation.token}"
    requested = kit.view(case).events[-1]
    assert (requested.action, requested.actor) == ("survey_requested", "p.devries")
    assert requested.payload == {
        "survey": invitation.survey,
        "expires_at": invitation.expires_at.isoformat(),
    }
    assert invitation.token not in str(requested.payload)  # only the survey id is kept

    clock.advance(timedelta(days=3))
    result = kit.survey.answer(invitation.token, POSITIVE)

    assert (result.negative, result.reopened) == (False, False)
    view = kit.view(case)
    assert view.state.state == "closed"
    assert view.record.outcomes == (result.outcome,)
    outcome = view.record.outcomes[0]
    assert outcome == RelationshipOutcome(
        case_id=case,
        recorded_at=clock.now(),
        relationship=Relationship.STRONGER,
        satisfaction_solution=5,
        satisfaction_handling=4,
        fairly_treated=True,
        would_recommend=9,
        may_contact=False,
        free_text="Snel en vriendelijk geholpen.",
        id=outcome.id,
    )
    answered = view.events[-1]
    assert answered.action == "survey_answered"
    assert answered.payload == {
        "survey": invitation.survey,
        "relationship": "stronger",
        "negative": False,
        "outcome": str(outcome.id),
    }


def test_a_weaker_relationship_reopens_the_complaint(kit: FeedbackKit, clock: FixedClock) -> None:
    case = handled(kit, clock)
    token = kit.survey.request(case).token
    clock.advance(timedelta(days=2))
    answers = {"relationship": "weaker", "free_text": "Niemand heeft mij teruggebeld."}
    result = kit.survey.answer(token, answers)

    assert (result.negative, result.reopened) == (True, True)
    view = kit.view(case)
    assert view.state.state == "investigation"
    assert not view.state.done
    reopen = view.events[-1]
    assert (reopen.action, reopen.actor) == ("reopen", "survey")
    assert "zwakker geworden" in reopen.payload["reason"]
    assert "Niemand heeft mij teruggebeld." in reopen.payload["reason"]
    handling = [d for d in view.deadlines if d.term == "handling"]
    assert [d.round for d in handling] == [1, 2]  # the handling term restarts on reopening
    assert handling[1].starts == clock.now().date()
    assert handling[1].met_on is None
    assert result.view.state.state == "investigation"


def test_a_token_works_once(kit: FeedbackKit, clock: FixedClock) -> None:
    case = handled(kit, clock)
    token = kit.survey.request(case).token
    kit.survey.answer(token, POSITIVE)
    with pytest.raises(TokenUsedError, match="already been answered"):
        kit.survey.answer(token, {"relationship": "weaker"})
    view = kit.view(case)
    assert len(view.record.outcomes) == 1
    assert view.state.state == "closed"  # the second (negative) answer did nothing


def test_a_token_expires(kit: FeedbackKit, clock: FixedClock) -> None:
    case = handled(kit, clock)
    first, second = kit.survey.request(case), kit.survey.request(case)
    clock.current = first.expires_at - timedelta(seconds=1)
    kit.survey.answer(first.token, POSITIVE)  # still valid one second before expiry
    clock.current = second.expires_at
    with pytest.raises(TokenExpiredError) as caught:
        kit.survey.answer(second.token, POSITIVE)
    assert caught.value.expires_at == second.expires_at
    assert len(kit.view(case).record.outcomes) == 1


def test_expiry_follows_the_policy(tmp_path: Path, kit: FeedbackKit, clock: FixedClock) -> None:
    policy = tmp_path / "enquete.toml"
    policy.write_text("[default]\nexpires_days = 7\n", "utf-8")
    kit.settings = attrs.evolve(kit.settings, survey_policy=policy)
    case = handled(kit, clock)
    invitation = kit.survey.request(case)
    assert invitation.expires_at == clock.now() + timedelta(days=7)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature
        lambda t: t.replace(".", ".f", 1),  # case id
        lambda t: "v2" + t[2:],  # version
        lambda t: "not-a-token",
        lambda t: "",
    ],
    ids=["signature", "case", "version", "garbage", "empty"],
)
def test_a_tampered_token_is_invalid(kit: FeedbackKit, clock: FixedClock, tamper: Any) -> None:
    token = kit.survey.request(handled(kit, clock)).token
    with pytest.raises(TokenInvalidError):
        kit.survey.answer(tamper(token), POSITIVE)
    kit.survey.answer(token, POSITIVE)  # the real one still works


def test_a_token_needs_the_key_and_a_requested_survey(kit: FeedbackKit, clock: FixedClock) -> None:
    case = handled(kit, clock)
    invitation = kit.survey.request(case)
    found = SurveyToken.verify(invitation.token, KEY, clock.now())
    with pytest.raises(TokenInvalidError, match="signature"):
        kit.survey.answer(found.sign(b"een-andere-sleutel-van-16+"), POSITIVE)
    forged = attrs.evolve(found, survey="nooit-gevraagd").sign(KEY)
    with pytest.raises(TokenInvalidError, match="no such survey"):
        kit.survey.answer(forged, POSITIVE)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "answers.relationship"),
        ({"relationship": "beter"}, "answers.relationship"),
        ({**POSITIVE, "satisfaction_solution": 6}, "answers.satisfaction_solution"),
        ({**POSITIVE, "satisfaction_handling": "heel"}, "answers.satisfaction_handling"),
        ({**POSITIVE, "would_recommend": True}, "answers.would_recommend"),
        ({**POSITIVE, "fairly_treated": "misschien"}, "answers.fairly_treated"),
        ({**POSITIVE, "free_text": 42}, "answers.free_text"),
        ({**POSITIVE, "leeftijd": 42}, "answers.leeftijd"),
    ],
)
def test_invalid_answers_name_the_field_and_keep_the_token(
    kit: FeedbackKit, clock: FixedClock, answers: dict[str, Any], field: str
) -> None:
    case = handled(kit, clock)
    token = kit.survey.request(case).token
    with pytest.raises(ValidationError) as caught:
        kit.survey.answer(token, answers)
    assert caught.value.field == field
    assert kit.view(case).record.outcomes == ()
    kit.survey.answer(token, POSITIVE)


def test_the_survey_waits_for_handling(kit: FeedbackKit, clock: FixedClock) -> None:
    view = kit.register(Feedback("complaint", "phone", clock.now(), "Lange wachttijd."))
    with pytest.raises(SurveyError, match="still being handled"):
        kit.survey.request(view.id)
    assert kit.view(view.id).events == ()


def test_no_survey_after_a_compliment(kit: FeedbackKit, clock: FixedClock) -> None:
    with pytest.raises(SurveyError, match="no survey for compliment"):
        kit.survey.request(handled(kit, clock, Kind.COMPLIMENT))


def test_a_negative_answer_on_an_objection_becomes_a_task(
    kit: FeedbackKit, clock: FixedClock
) -> None:
    case = handled(kit, clock, Kind.OBJECTION)
    result = kit.survey.answer(kit.survey.request(case).token, {"relationship": "weaker"})
    assert (result.negative, result.reopened) == (True, False)
    view = kit.view(case)
    assert view.state.state == "decided"
    assert view.events[-1].action == "task"
    assert "negatieve antwoord" in view.events[-1].payload["text"]


def test_a_satisfaction_threshold_can_count_as_negative(
    tmp_path: Path, kit: FeedbackKit, clock: FixedClock
) -> None:
    policy = tmp_path / "enquete.toml"
    policy.write_text(
        '[default]\nnegative_satisfaction_at_most = 2\n[procedure.generic]\non_negative = "none"\n',
        "utf-8",
    )
    kit.settings = attrs.evolve(kit.settings, survey_policy=policy)
    complaint = handled(kit, clock)
    unchanged_but_unhappy = {"relationship": "unchanged", "satisfaction_handling": 2}
    result = kit.survey.answer(kit.survey.request(complaint).token, unchanged_but_unhappy)
    assert (result.negative, result.reopened) == (True, True)
    remark = handled(kit, clock, Kind.REMARK)
    result = kit.survey.answer(kit.survey.request(remark).token, {"relationship": "weaker"})
    assert (result.negative, result.reopened) == (True, False)
    assert kit.view(remark).events[-1].action == "survey_answered"  # on_negative = none


def test_an_invalid_policy_names_the_key(
    tmp_path: Path, kit: FeedbackKit, clock: FixedClock
) -> None:
    policy = tmp_path / "enquete.toml"
    policy.write_text('[kind.complaint]\non_negative = "bellen"\n', "utf-8")
    kit.settings = attrs.evolve(kit.settings, survey_policy=policy)
    case = handled(kit, clock)
    with pytest.raises(ValidationError, match=r"enquete.toml: kind.complaint.*bellen"):
        kit.survey.request(case)
    policy.write_text("[default]\nvragen = 3\n", "utf-8")
    with pytest.raises(ValidationError) as caught:
        kit.survey.request(case)
    assert caught.value.field == "enquete.toml: default.vragen"


def test_without_a_secret_key_no_survey_is_asked(tmp_path: Path, clock: FixedClock) -> None:
    with FeedbackKit.open(tmp_path / "k.sqlite", clock=clock) as kit:
        case = handled(kit, clock)
        with pytest.raises(ValidationError) as caught:
            kit.survey.request(case)
        assert caught.value.field == "survey.secret_key"
        assert kit.view(case).events[-1].action == "close"


def test_the_key_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "feedbackkit.toml"
    config.write_text('[survey]\nsecret_key_env = "FK_TEST_SURVEY_KEY"\n', "utf-8")
    with pytest.raises(ValidationError, match="FK_TEST_SURVEY_KEY is not set"):
        load_settings(config)
    monkeypatch.setenv("FK_TEST_SURVEY_KEY", KEY.decode())
    assert load_settings(config).survey_key == KEY
    monkeypatch.setenv("FK_TEST_SURVEY_KEY", "kort")
    with pytest.raises(ValidationError, match="at least 16 bytes"):
        load_settings(config)


def test_the_questions_cover_the_outcome_in_dutch_and_english() -> None:
    asked = {q.key for q in questions()}
    fields = set(attrs.fields_dict(RelationshipOutcome)) - {"id", "case_id", "recorded_at"}
    assert asked == fields
    relationship = questions()[0]
    assert relationship.key == "relationship"
    assert relationship.required
    assert relationship.text(organisation="Gemeente Voorbeeld") == (
        "Door de manier waarop mijn reactie is behandeld, is mijn relatie met Gemeente Voorbeeld:"
    )
    assert relationship.text("en").startswith("Based on how my feedback was handled")
    assert relationship.choice_labels() == (
        ("stronger", "Sterker geworden"),
        ("unchanged", "Gelijk gebleven"),
        ("weaker", "Zwakker geworden"),
    )
    assert all(q.nl != q.en for q in questions())
