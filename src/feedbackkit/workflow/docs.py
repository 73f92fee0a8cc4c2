"""Procedure documentation generated from the transition tables (docs that cannot rot).

Regenerate ``docs/procedures.md`` with::

    python -m feedbackkit.workflow.docs > docs/procedures.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.workflow.procedure import Action, Procedure

__all__ = ["render", "render_procedure"]

_HEADER = """\
# Handling procedures

Generated from the transition tables in `src/feedbackkit/data/procedures/` (do not edit by
hand; regenerate with `python -m feedbackkit.workflow.docs > docs/procedures.md`).

An action whose transitions say *stays* records a fact without moving the case, in the
states listed. A *done* state ends handling: terms stop running, and only `reopen`
(where listed) and the actions that close the loop after handling (`message_sent`,
`task`, `survey_requested`, `survey_answered`; see `docs/closing-the-loop.md`) are
allowed.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(names: Iterable[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _payload(action: Action, required: bool) -> str:
    """The required (or optional) payload fields, with their choices or type."""
    parts = []
    for key in dict.fromkeys((*action.requires, *action.choices, *action.types)):
        if (key in action.requires) is not required:
            continue
        if key in action.choices:
            detail = f" ({', '.join(action.choices[key])})"
        elif key in action.types:
            detail = f" ({action.types[key]})"
        else:
            detail = ""
        parts.append(f"`{key}`{detail}")
    return _cell("; ".join(parts))


def _transitions(procedure: Procedure, action: str) -> str:
    by_target: dict[str, list[str]] = {}
    stays = []
    for state in procedure.states:
        target = procedure.table.get((state, action))
        if target == state:
            stays.append(state)
        elif target is not None:
            by_target.setdefault(target, []).append(state)
    lines = [f"{_code(sources)} → `{target}`" for target, sources in by_target.items()]
    if stays:
        lines.append(f"stays: {_code(stays)}")
    return "<br>".join(lines)


def render_procedure(procedure: Procedure) -> str:
    """One procedure in Markdown: title, states, actions and the Mermaid diagram."""
    out = [
        f"## {procedure.label('en')} — `{procedure.name}`",
        "",
        f"*{procedure.label()}.* Default procedure for: {_code(procedure.kinds) or 'none'}. "
        f"Starts in `{procedure.initial}`.",
        "",
        "### States",
        "",
        "| State | Nederlands | English | Done | Allowed actions |",
        "|---|---|---|---|---|",
    ]
    for name, state in procedure.states.items():
        allowed = _code(procedure.allowed(name)) or "none (final)"
        done = "done" if state.done else ""
        out.append(f"| `{name}` | {_cell(state.nl)} | {_cell(state.en)} | {done} | {allowed} |")
    out += [
        "",
        "### Actions",
        "",
        "| Action | Nederlands | English | Article | Required payload | Optional payload "
        "| Transitions |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, action in procedure.actions.items():
        out.append(
            f"| `{name}` | {_cell(action.nl)} | {_cell(action.en)} | {_cell(action.article or '')} "
            f"| {_payload(action, True)} | {_payload(action, False)} "
            f"| {_transitions(procedure, name)} |"
        )
    out += ["", "### Diagram", "", "```mermaid", procedure.mermaid("en").rstrip("\n"), "```", ""]
    return "\n".join(out)


def render(procedures: Iterable[Procedure]) -> str:
    """The whole procedures document, procedures in name order."""
    sections = [render_procedure(p) for p in sorted(procedures, key=lambda p: p.name)]
    return "\n".join([_HEADER, *sections])


def main() -> None:
    """Write the document for the built-in procedures to standard output."""
    sys.stdout.write(render(builtin_procedures()))


if __name__ == "__main__":
    main()
