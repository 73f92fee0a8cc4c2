"""Quick informal registration: the one-call Python API and ``feedbackkit register`` (click
prompts through CliRunner input, and fully non-interactive with options)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedbackkit.cli import cli
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import ValidationError
from feedbackkit.service import FeedbackKit
from feedbackkit.settings import Settings
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Kind,
    Origin,
    PartyRole,
)

NOW = datetime(2026, 3, 4, 14, 30, tzinfo=AMSTERDAM)
SETTINGS = Settings(ambassador="a.bakker", ambassadors={"Publiekszaken": "j.devries"})
CONFIG = """\
[organisation]
name = "Gemeente Voorbeeld"

[intake]
ambassador = "a.bakker"

[intake.ambassadors]
Publiekszaken = "j.devries"
"""


def test_one_call_registers_and_routes_to_the_ambassador() -> None:
    clock = FixedClock(NOW)
    with FeedbackKit.open(":memory:", clock=clock, settings=SETTINGS) as kit:
        view = kit.register_informal(
            "Mevrouw belde: de stoep voor nummer 12 ligt al weken open.",
            received_by="m.smit",
            name="R. Bakker",
            phone="06 12345678",
        )
    feedback = view.feedback
    assert (feedback.kind, feedback.channel, feedback.form) == (
        Kind.REMARK,
        Channel.PHONE,
        Form.ORAL,
    )
    assert (feedback.initiative, feedback.origin) == (Initiative.REACTIVE, Origin.EXTERNAL)
    assert (feedback.received_at, feedback.received_by) == (NOW, "m.smit")
    (party,) = view.record.parties
    assert (party.name, party.phone, party.contact_preference) == (
        "R. Bakker",
        "06 12345678",
        ContactPreference.PHONE,
    )
    assert feedback.parties[0].role is PartyRole.REPORTER
    note, assign = view.events
    assert (note.action, note.actor, note.at) == ("note", "m.smit", NOW)
    assert note.payload["text"] == "Opmerking via telefoon, ontvangen door m.smit"
    assert note.payload["intake"] == {"channel": "phone", "received_by": "m.smit", "informal": True}
    assert (assign.action, assign.actor, assign.payload) == (
        "assign_ambassador",
        "m.smit",
        {"ambassador": "a.bakker"},
    )
    assert view.state.ambassador == "a.bakker"


def test_the_org_unit_picks_its_ambassador_and_details_can_be_given() -> None:
    clock = FixedClock(NOW)
    earlier = NOW - timedelta(hours=3)
    with FeedbackKit.open(":memory:", clock=clock, settings=SETTINGS) as kit:
        view = kit.register_informal(
            "Klant aan de balie boos over de wachttijd voor een paspoort.",
            received_by="balie-3",
            channel="Balie",  # a label is understood too
            kind="complaint",
            org_unit="Publiekszaken",
            received_at=earlier,
            email="klant@example.nl",
        )
        written = kit.register_informal(
            "Via het webformulier: compliment voor de wijkagent.",
            received_by="wijkteam-noord",
            channel=Channel.WEB_FORM,
            kind=Kind.COMPLIMENT,
        )
    assert (view.feedback.channel, view.feedback.form) == (Channel.COUNTER, Form.ORAL)
    assert view.procedure.name == "awb_complaint"
    assert view.feedback.parties[0].role is PartyRole.COMPLAINANT
    assert view.record.parties[0].contact_preference is ContactPreference.EMAIL
    assert view.state.ambassador == "j.devries"
    assert view.events[0].at == earlier  # the note at receipt, the routing now
    assert view.events[1].at == NOW
    assert written.feedback.form is Form.WRITTEN
    assert written.record.parties == ()


def test_without_an_ambassador_only_the_note_is_recorded() -> None:
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        view = kit.register_informal("Lantaarnpaal kapot.", received_by="m.smit")
    assert [e.action for e in view.events] == ["note"]
    assert view.state.ambassador is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_by": " "}, "received_by"),
        ({"channel": "duif"}, "channel"),
        ({"kind": "klaagzang"}, "kind"),
        ({"email": "geen-adres"}, "email"),
        ({"text": "   "}, "text"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, str], field: str) -> None:
    arguments = {"text": "Iets", "received_by": "m.smit", **changes}
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        with pytest.raises(ValidationError) as caught:
            kit.register_informal(arguments.pop("text"), **arguments)
        assert caught.value.field == field
        assert kit.count() == 0


def test_the_command_prompts_with_defaults(tmp_path: Path) -> None:
    db, config = tmp_path / "kit.sqlite", tmp_path / "feedbackkit.toml"
    config.write_text(CONFIG, "utf-8")
    answers = "\n".join(
        [
            "Meneer zegt dat zijn container al twee weken niet is geleegd.",
            "",  # channel: phone
            "complaint",
            "",  # received by: the default user
            "P. de Groot",
            "",  # phone: none
            "p.degroot@example.nl",
            "Afval",
            "Publiekszaken",
        ]
    )
    result = CliRunner(env={"FEEDBACKKIT_USER": "m.smit"}).invoke(
        cli, ["--db", str(db), "register", "--config", str(config)], input=answers + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Wat zei de klant?" in result.output
    assert "Kanaal (web_form, email" in result.output
    assert "[phone]" in result.output
    assert "Ontvangen door [m.smit]" in result.output
    assert "(klacht via telefoon, mondeling)" in result.output
    assert "Ambassadeur: j.devries" in result.output
    with FeedbackKit.open(db) as kit:
        (state,) = kit.cases()
        view = kit.view(state.case_id)
    assert view.feedback.text == "Meneer zegt dat zijn container al twee weken niet is geleegd."
    assert (view.feedback.kind, view.feedback.subject, view.feedback.org_unit) == (
        Kind.COMPLAINT,
        "Afval",
        "Publiekszaken",
    )
    assert view.feedback.received_by == "m.smit"
    (party,) = view.record.parties
    assert (party.name, party.phone, party.email) == ("P. de Groot", None, "p.degroot@example.nl")


def test_the_command_runs_without_prompts(tmp_path: Path) -> None:
    db, config = tmp_path / "kit.sqlite", tmp_path / "feedbackkit.toml"
    config.write_text(CONFIG, "utf-8")
    args = [
        "--db", str(db), "register", "--no-input", "--config", str(config),
        "--text", "Compliment voor de buurtconciërge.", "--channel", "neighbourhood_team",
        "--kind", "compliment", "--received-by", "wijkteam-zuid",
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args, input="")
    assert result.exit_code == 0, result.output
    assert "?" not in result.output  # nothing was asked
    assert "(compliment via wijkteam, mondeling)" in result.output
    assert "Ambassadeur: a.bakker" in result.output
    missing = CliRunner().invoke(cli, ["--db", str(db), "register", "--no-input"])
    assert missing.exit_code == 2
    assert "--text is required" in missing.output
    bad = CliRunner().invoke(
        cli, ["--db", str(db), "register", "--no-input", "--text", "x", "--received-by", "a",
              "--email", "geen-adres"],
    )  # fmt: skip
    assert bad.exit_code == 1
    assert "email: 'geen-adres' is not an e-mail address" in bad.output
