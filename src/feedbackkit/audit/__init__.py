"""Auditing feedback management against frameworks kept as versioned data.

Frameworks (Gouden Oor, the seven shifts, the ICTU maturity scan, ISO 10002, the
ombudsman's behoorlijkheidswijzer, Awb compliance) come from audit catalogue
plugins; evidence (indicator values, questionnaire answers, auditor observations)
is linked to their criteria; a scorer plugin turns it into an :class:`AuditResult`::

    from feedbackkit.audit import Evidence, read_questionnaire, registered_framework, report, run

    framework = registered_framework(plugins, "gouden-oor")
    evidence = Evidence(answers=read_questionnaire(path, framework))
    result = run(framework, evidence, registered_scorer(plugins))
    pdf = report(framework, result, "pdf", evidence=evidence)

:func:`report` renders the result (HTML, PDF, Markdown, JSON) through renderer plugins.
"""

from feedbackkit.audit.catalogue import (
    DEFAULT_SCORER,
    FrameworkCatalogue,
    registered_framework,
    registered_scorer,
)
from feedbackkit.audit.evidence import (
    CriterionRef,
    Evidence,
    EvidenceFileError,
    EvidenceKind,
    Facet,
    Indicator,
    IndicatorPart,
    IndicatorValue,
    MissingIndicator,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
)
from feedbackkit.audit.framework import (
    Criterion,
    Dimension,
    EvidenceHint,
    Framework,
    FrameworkError,
    Group,
    Level,
    RecognitionLevel,
    RecognitionScheme,
    Scale,
    Source,
    Text,
    load_framework,
    parse_framework,
)
from feedbackkit.audit.observations import read_observations
from feedbackkit.audit.questionnaire import read_questionnaire, write_questionnaire
from feedbackkit.audit.reporting import (
    AuditDocument,
    AuditView,
    audit_report,
    read_result,
    report,
)
from feedbackkit.audit.result import AuditResult, run
from feedbackkit.audit.scoring import (
    CriterionScore,
    FacetScore,
    GroupScore,
    Linked,
    MaturityScorer,
    PointsTotal,
    Recognition,
    Scoring,
    aggregate,
    linked_evidence,
)

__all__ = [
    "DEFAULT_SCORER",
    "AuditDocument",
    "AuditResult",
    "AuditView",
    "Criterion",
    "CriterionRef",
    "CriterionScore",
    "Dimension",
    "Evidence",
    "EvidenceFileError",
    "EvidenceHint",
    "EvidenceKind",
    "Facet",
    "FacetScore",
    "Framework",
    "FrameworkCatalogue",
    "FrameworkError",
    "Group",
    "GroupScore",
    "Indicator",
    "IndicatorPart",
    "IndicatorValue",
    "Level",
    "Linked",
    "MaturityScorer",
    "MissingIndicator",
    "Observation",
    "ObservationKind",
    "PointsTotal",
    "QuestionnaireAnswer",
    "Recognition",
    "RecognitionLevel",
    "RecognitionScheme",
    "Scale",
    "Scoring",
    "Source",
    "Text",
    "aggregate",
    "audit_report",
    "linked_evidence",
    "load_framework",
    "parse_framework",
    "read_observations",
    "read_questionnaire",
    "read_result",
    "registered_framework",
    "registered_scorer",
    "report",
    "run",
    "write_questionnaire",
]
