"""An auditor's assessment script: evidence from the register (in-database indicators),
the organisation's self-assessment and the auditor's own observations, scored against
the Gouden Oor Standaard and written as a Dutch HTML report plus a JSON result.

Run: ``python examples/audit_script.py [DATABASE]``. Without an existing database it
first fills one with a seeded synthetic year (``feedbackkit.demo.generate``).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from feedbackkit import FeedbackKit
from feedbackkit.audit import (
    Evidence,
    audit_report,
    read_observations,
    read_questionnaire,
    registered_framework,
    registered_scorer,
    run,
    write_questionnaire,
)
from feedbackkit.commands.audit import outcome_line, register_evidence
from feedbackkit.demo import generate


def main(db: Path) -> None:
    out = db.parent
    with FeedbackKit.open(db) as kit:
        if kit.count() == 0:
            kit.ingest(generate(1500, seed=7))
        framework = registered_framework(kit.plugins, "gouden-oor")

        # 1. Indicators computed inside the database over the whole register.
        found = register_evidence(kit.metrics, framework, None, None)
        register = Evidence() if found is None else found[0]

        # 2. The self-assessment the organisation filled in (here: two aspects).
        questionnaire = out / "zelfevaluatie.csv"
        write_questionnaire(framework, questionnaire)
        rows = questionnaire.read_text("utf-8-sig").splitlines()
        rows[1] = rows[1].replace(";;;;", ";3;3;2;", 1)
        rows[2] = rows[2].replace(";;;;", ";4;3;;", 1)
        questionnaire.write_text("\n".join(rows), "utf-8-sig")

        # 3. What the auditor saw, with the cases and documents it rests on.
        observations = out / "observaties.toml"
        observations.write_text(
            f'framework = "gouden-oor"\nversion = "{framework.version}"\n\n'
            "[[observation]]\n"
            'criteria = ["svk-laagdrempelig"]\n'
            'kind = "improvement"\nfacet = "operation"\nlevel = 2\n'
            'text = "Feedback aan de balie en de wijkteams wordt nog niet vastgelegd."\n'
            'documents = ["interview teamleider KCC, 12 oktober"]\n',
            "utf-8",
        )

        evidence = Evidence.merge(
            [
                register,
                Evidence(
                    answers=read_questionnaire(questionnaire, framework),
                    observations=read_observations(observations, framework),
                ),
            ]
        )
        result = run(framework, evidence, registered_scorer(kit.plugins))
        print(outcome_line(framework, result, "nl"))
        print(f"indicators: {len(register.indicators)}, without data: {len(register.gaps)}")
        for group in result.scoring.groups:
            shown = "geen bewijs" if group.score is None else f"{group.score:.2f}"
            print(f"  {group.dimension} {group.group}: {shown} (dekking {group.coverage:.0%})")

        report = audit_report(framework, result, evidence=evidence, on=date(2026, 12, 1))
        for fmt in ("html", "json"):
            renderer = kit.plugins.renderers()[fmt]
            (out / f"audit.{fmt}").write_bytes(renderer.render(report, fmt))
        print("written:", out / "audit.html", out / "audit.json")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "audit-example.sqlite").resolve())
