"""Policy files: the shipped ones, organisations' overrides, errors, plugins and the docs."""

from __future__ import annotations

import re
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

import pluggy
import pytest

from feedbackkit import hookspecs
from feedbackkit.builtin import deadlines as builtin_deadlines
from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM
from feedbackkit.deadlines import (
    AtwCalendar,
    DeadlinePolicyError,
    Unit,
    builtin_policies,
    compute_deadlines,
    load_policy_file,
    parse_policies,
    policy_file_plugin,
)
from feedbackkit.errors import FeedbackkitError
from feedbackkit.models import Feedback
from feedbackkit.plugins import Plugins

DOCS = Path(__file__).parent.parent / "docs" / "deadlines.md"
BUILTIN = {p.name: p for p in builtin_policies()}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deadlines.toml"
    path.write_text(text, "utf-8")
    return path


def test_every_procedure_has_a_policy_using_only_its_actions() -> None:
    procedures = {p.name: p for p in builtin_procedures()}
    assert BUILTIN.keys() == procedures.keys()
    for name, policy in BUILTIN.items():
        policy.check(procedures[name].actions)


def test_check_names_a_misspelt_action() -> None:
    procedure = next(p for p in builtin_procedures() if p.name == "awb_complaint")
    (policy,) = parse_policies(
        {
            "awb_complaint": {
                "terms": {
                    "handling": {
                        "nl": "a", "en": "b", "basis": "c", "amount": 6, "unit": "weeks",
                        "met_by": ["send_finding"],
                    }
                }
            }
        },
        "x.toml",
    )  # fmt: skip
    with pytest.raises(DeadlinePolicyError) as info:
        policy.check(procedure.actions)
    assert str(info.value) == (
        "policy 'awb_complaint': term 'handling': field 'met_by': "
        "procedure 'awb_complaint' has no action 'send_finding'"
    )


def test_shipped_files_load_as_policy_files() -> None:
    folder = files("feedbackkit") / "data" / "deadlines" / "policies"
    for name, policy in BUILTIN.items():
        with_path = Path(str(folder / f"{name}.toml"))
        (loaded,) = load_policy_file(with_path)
        assert loaded.terms == policy.terms
        assert loaded.source == str(with_path)


def test_statutory_terms_use_the_atw_and_norms_do_not() -> None:
    for policy in BUILTIN.values():
        for term in policy.terms:
            assert bool(term.atw) is term.statutory, term.id


def test_override_changes_only_the_fields_given(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[awb_complaint]\nextends = "awb_complaint"\n'
        "[awb_complaint.terms.personal_contact]\namount = 2\n"
        "[awb_complaint.terms.handling.postponement]\nmax_weeks = 2\n",
    )
    (policy,) = load_policy_file(path)
    shipped = BUILTIN["awb_complaint"]
    assert [t.id for t in policy.terms] == [t.id for t in shipped.terms]
    contact = policy.term("personal_contact")
    assert contact.amount == 2
    assert contact.met_by == shipped.term("personal_contact").met_by
    postponement = policy.term("handling").postponement
    assert postponement is not None
    assert postponement.max_weeks == 2
    assert postponement.basis == "Awb 9:11 lid 2"
    assert policy.source == str(path)


def test_override_takes_effect_on_the_computed_deadline(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[awb_complaint]\nextends = "awb_complaint"\n'
        "[awb_complaint.terms.personal_contact]\namount = 1\n",
    )
    (policy,) = load_policy_file(path)
    complaint = Feedback(
        kind="complaint",
        channel="phone",
        received_at=datetime(2026, 4, 24, 9, tzinfo=AMSTERDAM),  # Friday before Koningsdag
        text="tekst",
    )
    found = {
        d.term: d
        for d in compute_deadlines(complaint, [], policy, AtwCalendar(), date(2026, 4, 24))
    }
    assert found["personal_contact"].due == date(2026, 4, 28)
    assert found["personal_contact"].rules == (
        "Servicenorm: 1 working day after receipt on 2026-04-24",
    )


def test_override_removes_and_adds_terms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[melding]\nextends = "melding"\nremove = ["acknowledge"]\n'
        "[melding.terms.urgent]\n"
        'nl = "Gevaar wegnemen"\nen = "Remove the danger"\nbasis = "Servicenorm"\n'
        'amount = 24\nunit = "hours"\nmet_by = ["start_work"]\n',
    )
    (policy,) = load_policy_file(path)
    assert [t.id for t in policy.terms] == ["handling", "inform_reporter", "urgent"]
    assert policy.term("urgent").unit is Unit.HOURS
    assert not policy.term("urgent").atw


def test_extends_another_builtin_policy_for_an_own_procedure(tmp_path: Path) -> None:
    (policy,) = load_policy_file(write(tmp_path, '[klacht_intern]\nextends = "awb_complaint"\n'))
    assert policy.name == "klacht_intern"
    assert policy.terms == BUILTIN["awb_complaint"].terms


def test_policy_without_extends_defines_everything(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[generic.terms.respond]\n"
        'nl = "Reageren"\nen = "Respond"\nbasis = "Servicenorm"\namount = 3\n'
        'unit = "days"\nmet_by = ["respond"]\natw = ["art1"]\non_reopen = "restart"\n',
    )
    (policy,) = load_policy_file(path)
    (term,) = policy.terms
    assert (term.amount, term.unit, term.on_reopen.value) == (3, Unit.DAYS, "restart")
    assert {a.value for a in term.atw} == {"art1"}


TERM = 'nl = "a"\nen = "b"\nbasis = "c"\namount = 6\nunit = "weeks"\nmet_by = ["decide"]\n'

INVALID = [
    (
        '[awb_complaint]\nextends = "awb_complaint"\n'
        '[awb_complaint.terms.personal_contact]\namount = "2"\n',
        "policy 'awb_complaint': term 'personal_contact': field 'amount': "
        "expected a whole number of at least 1, got '2'",
    ),
    (
        '[awb_complaint]\nextends = "awb_complaint"\n'
        "[awb_complaint.terms.handling.postponement]\nmax_weeks = 0\n",
        "policy 'awb_complaint': term 'handling': field 'postponement.max_weeks': "
        "expected a whole number of at least 1, got 0",
    ),
    (
        f"[melding.terms.urgent]\n{TERM.replace('weeks', 'months')}",
        "policy 'melding': term 'urgent': field 'unit': "
        "expected one of days, weeks, working_days, hours, got 'months'",
    ),
    (
        f"[objection.terms.decision]\n{TERM}ammount = 6\n",
        "term 'decision': field 'ammount': unknown field",
    ),
    (
        "[objection.terms.decision]\n" + TERM.replace('met_by = ["decide"]\n', ""),
        "term 'decision': field 'met_by': is required",
    ),
    (f"[objection.terms.decision]\n{TERM}amount = true\n", "invalid TOML"),
    (
        "[objection.terms.decision]\n" + TERM.replace("6", "true"),
        "field 'amount': expected a whole number",
    ),
    (
        f'[objection.terms.decision]\n{TERM}atw = ["art5"]\n',
        "field 'atw': 'art5' is not one of art1, art2",
    ),
    (
        f'[objection.terms.decision]\n{TERM}on_reopen = "never"\n',
        "field 'on_reopen': expected one of keep, restart",
    ),
    (
        f"[objection.terms.decision]\n{TERM}committee = 12\n",
        "field 'committee': expected a table or false",
    ),
    (
        f"[objection.terms.decision]\n{TERM}[objection.terms.decision.committee]\n"
        'actions = []\namount = 0\nbasis = "x"\n',
        "term 'decision': field 'committee.amount': expected a whole number of at least 1, got 0",
    ),
    (
        f"[objection.terms.decision]\n{TERM}[objection.terms.decision.suspension]\n"
        'start = ["x"]\nbasis = "x"\n',
        "term 'decision': field 'suspension.end': is required",
    ),
    (
        "[objection.terms.decision]\n" + TERM.replace('["decide"]', '"decide"'),
        "field 'met_by': expected a list of names, got 'decide'",
    ),
    (f"[objection.terms.Decision]\n{TERM}", "term 'Decision': field 'id': must be lower-case"),
    (
        "[objection.terms.decision]\n" + TERM.replace('["decide"]', "[]"),
        "field 'met_by': must name at least one action",
    ),
    (
        f'[objection.terms.decision]\n{TERM}starts = "objection_term_end"\n'.replace(
            '"weeks"', '"hours"'
        ),
        "field 'starts': a term in hours cannot count from a day",
    ),
    (
        '[objection]\nextends = "bezwaar"\n',
        "field 'extends': no built-in policy 'bezwaar'; "
        "built-in: awb_complaint, generic, melding, objection",
    ),
    (
        '[objection]\nextends = "objection"\nremove = ["advice"]\n',
        "field 'remove': 'objection' has no term 'advice'",
    ),
    (
        '[objection]\nremove = ["decision"]\n',
        "field 'remove': only allowed together with 'extends'",
    ),
    ("[objection]\nreopen_actions = []\n", "policy 'objection': field 'terms': no terms defined"),
    ("[objection]\nterms = 3\n", "policy 'objection': field 'terms': expected a table, got 3"),
    ("objection = 3\n", "policy 'objection': expected a table, got 3"),
    ("", "no policies; expected one table per procedure"),
    ("[objection\n", "invalid TOML"),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_policy_files_name_the_term_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DeadlinePolicyError) as info:
        load_policy_file(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(DeadlinePolicyError, match="cannot read the policy file"):
        load_policy_file(tmp_path / "absent.toml")


def test_docs_show_real_error_messages() -> None:
    shown = re.search(r"```text\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert shown is not None
    produced = {f"deadlines.toml: {message}" for _, message in INVALID[:3]}
    assert set(shown.group(1).strip().splitlines()) == produced


def _plugins(*extra: object) -> Plugins:
    pm = pluggy.PluginManager("feedbackkit")
    pm.add_hookspecs(hookspecs)
    pm.register(builtin_deadlines, name="feedbackkit.builtin.deadlines")
    for plugin in extra:
        pm.register(plugin, name=getattr(plugin, "__name__", None))
    return Plugins(pm)


def test_builtin_plugin_registers_every_policy_and_the_calendar() -> None:
    plugins = _plugins()
    assert set(plugins.deadline_policies()) == set(BUILTIN)
    calendar = plugins.deadline_calendar({"closing_days": [{"date": "2026-03-10", "name": "x"}]})
    assert isinstance(calendar, AtwCalendar)
    assert not calendar.is_working_day(date(2026, 3, 10))


def test_policy_file_plugin_replaces_the_builtin_policy(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[awb_complaint]\nextends = "awb_complaint"\n'
        "[awb_complaint.terms.acknowledge]\namount = 3\n",
    )
    policies = _plugins(policy_file_plugin(path)).deadline_policies()
    assert policies["awb_complaint"].source == str(path)
    assert policies["awb_complaint"].term("acknowledge").amount == 3
    assert policies["objection"].source == "builtin"


def test_policy_file_plugin_fails_loudly_on_a_broken_file(tmp_path: Path) -> None:
    plugin = policy_file_plugin(write(tmp_path, "[awb_complaint\n"))  # created without reading
    with pytest.raises(FeedbackkitError, match="invalid TOML"):  # an error, not a skipped plugin
        _plugins(plugin).deadline_policies()
    with pytest.raises(DeadlinePolicyError, match="at least one"):
        policy_file_plugin()


def test_docs_worked_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOCS.read_text("utf-8")
    example = text[text.index("## Worked example") :]
    (policy_file,) = re.findall(r"```toml\n(.*?)```", example, re.S)
    (code,) = re.findall(r"```python\n(.*?)```", example, re.S)
    write(tmp_path, policy_file)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOCS), "exec"), {})
