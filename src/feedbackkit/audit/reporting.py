"""The audit report: an :class:`AuditResult` with its framework and evidence, laid out for
people in Dutch or English, and rendered by a renderer plugin (HTML, PDF, Markdown, JSON).

:func:`audit_report` builds the view (:class:`AuditView`): the recognition level, points
and scores per group with SVG charts, strengths to keep, points to improve,
recommendations, what is missing, the change since a previous audit, and every
criterion with the evidence behind its score. :func:`report` renders it in one step.
The JSON format writes an :class:`AuditDocument` (the result and its evidence), which
:func:`read_result` reads back as the ``previous`` audit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.audit.evidence import (
    CriterionRef,
    Evidence,
    EvidenceKind,
    Facet,
    IndicatorValue,
    MissingIndicator,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
)
from feedbackkit.audit.framework import Criterion, Dimension, Framework, RecognitionScheme
from feedbackkit.audit.result import AuditResult
from feedbackkit.audit.scoring import CriterionScore, FacetScore, GroupScore
from feedbackkit.audit.view import (
    AuditView,
    ChangeView,
    CriterionView,
    DimensionView,
    EvidenceLine,
    FacetView,
    GroupView,
    Point,
    RecognitionView,
    Recommendation,
    Section,
    SourcesView,
    TotalView,
)
from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError
from feedbackkit.plugins import Plugins, load_plugins
from feedbackkit.reports import (
    Bar,
    Formatter,
    Legend,
    Messages,
    Report,
    Threshold,
    bar_chart,
    messages,
    radar_chart,
    render,
)

__all__ = [
    "CASES_SHOWN",
    "IMPROVE",
    "STRENGTH",
    "AuditDocument",
    "AuditView",
    "audit_report",
    "read_result",
    "report",
]

STRENGTH = 0.75
"""A criterion scoring at least this is a strength to keep."""
IMPROVE = 0.5
"""A criterion scoring below this is a point to improve; so is a facet scoring below it."""
CASES_SHOWN = 12
"""Case ids shown per item of evidence; the rest are counted (all are in the JSON)."""

TEMPLATE = "audit"


@attrs.frozen
class AuditDocument:
    """What the JSON audit report holds: the result and the evidence it rests on."""

    result: AuditResult
    evidence: Evidence = attrs.field(factory=Evidence)


def read_result(path: Path) -> AuditResult:
    """The result in a JSON audit report, or in a file holding a bare serialised result."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(str(path), f"not a readable JSON file: {exc}") from None
    try:
        if isinstance(data, dict) and "result" in data:
            return structure(data, AuditDocument).result
        return structure(data, AuditResult)
    except ValidationError as exc:
        raise ValidationError(f"{path.name}: {exc.field}", exc.message) from None


def audit_report(
    framework: Framework,
    result: AuditResult,
    *,
    evidence: Evidence | None = None,
    previous: AuditResult | None = None,
    lang: str = "nl",
    organisation: str | None = None,
    on: date | None = None,
) -> Report:
    """The report of ``result`` on ``framework`` in ``lang``, ready for a renderer.

    ``evidence`` is what the audit ran on (only what links to ``framework`` is shown);
    ``previous`` an earlier result on the same framework; ``on`` the report date.
    """
    if result.framework != framework.name or result.version != framework.version:
        raise ValidationError(
            "result",
            f"is an audit on {result.framework} {result.version}, "
            f"not on {framework.name} {framework.version}",
        )
    if previous is not None and previous.framework != framework.name:
        raise ValidationError(
            "previous", f"is an audit on {previous.framework}, not on {framework.name}"
        )
    relevant = (evidence or Evidence()).for_framework(framework.name)
    view = _Builder(framework, result, relevant, previous, lang).view(organisation, on)
    return Report(
        template=TEMPLATE,
        title=view.title,
        content=view,
        data=AuditDocument(result, relevant),
        lang=lang,
    )


def report(
    framework: Framework,
    result: AuditResult,
    fmt: str,
    *,
    evidence: Evidence | None = None,
    previous: AuditResult | None = None,
    lang: str = "nl",
    organisation: str | None = None,
    on: date | None = None,
    plugins: Plugins | None = None,
) -> bytes:
    """The audit report as the bytes of a ``fmt`` file (``html``, ``pdf``, ``md``, ``json``
    or a format a renderer plugin adds); ``plugins`` default to :func:`load_plugins`."""
    if plugins is None:
        plugins = load_plugins()
    built = audit_report(
        framework,
        result,
        evidence=evidence,
        previous=previous,
        lang=lang,
        organisation=organisation,
        on=on,
    )
    return render(plugins.renderers(), built, fmt)


# -- building it -----------------------------------------------------------------------------


class _Builder:
    """Turns a result into an :class:`AuditView` in one language."""

    def __init__(
        self,
        framework: Framework,
        result: AuditResult,
        evidence: Evidence,
        previous: AuditResult | None,
        lang: str,
    ) -> None:
        self.framework = framework
        self.result = result
        self.evidence = evidence
        self.previous = previous
        self.lang = lang
        self.t: Messages = messages(TEMPLATE, lang)
        self.f = Formatter(lang)
        self.scores = {score.criterion: score for score in result.scoring.criteria}
        self.before = (
            {} if previous is None else {s.criterion: s for s in previous.scoring.criteria}
        )

    # texts

    def text(self, key: str, fallback: str, **values: Any) -> str:
        """The text for ``key``, or ``fallback`` when the catalogue has none."""
        return self.t(key, **values) if key in self.t.texts else fallback

    def title(self, criterion_id: str) -> str:
        if not self.framework.has_criterion(criterion_id):
            return criterion_id
        return self.framework.criterion(criterion_id).title.get(self.lang)

    def basis_label(self, basis: str) -> str:
        return self.text(f"basis_{basis}", basis)

    def facet_label(self, facet: Facet) -> str:
        return facet.label(self.lang)

    def kind_label(self, kind: EvidenceKind) -> str:
        return self.t(f"evidence_{kind.value}")

    def level_label(self, criterion_id: str, level: int) -> str:
        scale = self.framework.scale_of(self.framework.criterion(criterion_id))
        label = next(lv.label.get(self.lang) for lv in scale.levels if lv.value == level)
        return f"{level} = {label}"

    def hints(self, criterion: Criterion) -> tuple[str, ...]:
        return tuple(
            f"{self.t('source_' + hint.kind.value.replace('-', '_'))}: {hint.text.get(self.lang)}"
            for hint in criterion.evidence
        )

    def share(self, value: float | None) -> str:
        return self.t("no_score") if value is None else self.f.share(value)

    def advice(self, facet: Facet, score: float | None) -> str:
        """What to do about a weak or missing facet: ``Werking (25%): laat zien ...``."""
        shown = self.t("missing") if score is None else self.f.share(score)
        return f"{self.facet_label(facet).capitalize()} ({shown}): {self.t(f'advice_{facet}')}"

    # the whole view

    def view(self, organisation: str | None, on: date | None) -> AuditView:
        framework, result = self.framework, self.result
        return AuditView(
            title=framework.title.get(self.lang),
            description=framework.description.get(self.lang),
            framework=framework.name,
            version=framework.version,
            official=framework.official,
            notice=None if framework.notice is None else framework.notice.get(self.lang),
            sources=framework.sources,
            scorer=result.scorer,
            organisation=organisation,
            date=None if on is None else self.f.day(on),
            criteria=len(framework.criteria),
            scored=len(framework.criteria) - len(result.missing),
            strength=STRENGTH,
            improve=IMPROVE,
            recognition=self.recognition(),
            totals=self.totals(),
            dimensions=tuple(self.dimension(d) for d in framework.dimensions),
            strengths=self.strengths(),
            improvements=self.improvements(),
            recommendations=self.recommendations(),
            tips=self.observed(ObservationKind.TIP),
            findings=self.observed(ObservationKind.FINDING),
            missing=tuple(
                Point(
                    self.title(cid),
                    "; ".join((*self.gaps(cid), *self.hints(framework.criterion(cid)))),
                    source=cid,
                )
                for cid in result.missing
            ),
            unresolved=tuple(str(ref) for ref in result.unresolved),
            change=self.change(),
            sections=self.sections(),
            evidence=self.sources(),
        )

    # recognition and points

    def recognition(self) -> RecognitionView | None:
        recognition = self.result.scoring.recognition
        if recognition is None:
            return None
        scheme = next(s for s in self.framework.recognition if s.id == recognition.scheme)
        titles = {level.id: level.title.get(self.lang) for level in scheme.levels}
        following = next((lv for lv in scheme.levels if lv.id == recognition.next_level), None)
        previous = None
        if self.previous is not None and self.previous.scoring.recognition is not None:
            level = self.previous.scoring.recognition.level
            previous = self.t("no_level") if level is None else titles.get(level, level)
        return RecognitionView(
            scheme=scheme.title.get(self.lang),
            description=None if scheme.description is None else scheme.description.get(self.lang),
            level=None if recognition.level is None else titles[recognition.level],
            provisional=recognition.provisional,
            next_level=None if following is None else following.title.get(self.lang),
            shortfall=recognition.shortfall,
            next_basis=None if following is None else self.basis_label(following.basis),
            valid_years=scheme.valid_years,
            chart=self.recognition_chart(scheme),
            previous=previous,
        )

    def previous_total(self, basis: str) -> float | None:
        if self.previous is None:
            return None
        return next((t.points for t in self.previous.scoring.totals if t.basis == basis), None)

    def recognition_chart(self, scheme: RecognitionScheme) -> str:
        bars = []
        for total in self.result.scoring.totals:
            levels = [level for level in scheme.levels if level.basis == total.basis]
            if not levels:
                continue
            bars.append(
                Bar(
                    label=self.basis_label(total.basis),
                    value=total.points,
                    maximum=total.maximum,
                    text=f"{self.f.number(total.points)} / {self.f.number(total.maximum)}",
                    provisional=total.unassessed > 0,
                    previous=self.previous_total(total.basis),
                    thresholds=tuple(
                        Threshold(
                            level.threshold,
                            f"{level.title.get(self.lang)} ({self.f.number(level.threshold)})",
                        )
                        for level in levels
                    ),
                )
            )
        return bar_chart(bars, self.t("chart_recognition"), self.legend(self.t("legend_points")))

    def legend(self, value: str) -> Legend:
        return Legend(value, self.t("legend_provisional"), self.t("legend_previous"))

    def totals(self) -> tuple[TotalView, ...]:
        views = []
        for total in self.result.scoring.totals:
            before = self.previous_total(total.basis)
            views.append(
                TotalView(
                    label=self.basis_label(total.basis),
                    points=total.points,
                    maximum=total.maximum,
                    unassessed=total.unassessed,
                    previous=before,
                    delta=None if before is None else total.points - before,
                )
            )
        return tuple(views)

    # dimensions

    def previous_group(self, dimension: Dimension, group_id: str) -> GroupScore | None:
        if self.previous is None:
            return None
        return next(
            (
                g
                for g in self.previous.scoring.groups
                if (g.dimension, g.group) == (dimension.id, group_id)
            ),
            None,
        )

    def dimension(self, dimension: Dimension) -> DimensionView:
        groups = []
        for group in dimension.groups:
            score = self.result.scoring.group(dimension.id, group.id)
            before = self.previous_group(dimension, group.id)
            now = score.points if dimension.weighted else score.score
            then = (
                None if before is None else (before.points if dimension.weighted else before.score)
            )
            groups.append(
                GroupView(
                    title=group.title.get(self.lang),
                    score=score.score,
                    coverage=score.coverage,
                    size=len(self.framework.members(dimension.id, group.id)),
                    missing=len(score.missing),
                    weight=score.weight,
                    points=score.points,
                    previous=then,
                    delta=None if now is None or then is None else now - then,
                )
            )
        title = dimension.title.get(self.lang)
        return DimensionView(
            title, dimension.weighted, tuple(groups), self.chart(title, dimension, groups)
        )

    def chart(self, title: str, dimension: Dimension, groups: list[GroupView]) -> str:
        heading = self.t("scores_per", dimension=title.lower())
        if dimension.weighted:
            bars = [
                Bar(
                    label=g.title,
                    value=g.points,
                    maximum=g.weight or 1.0,
                    text=self.t("no_score")
                    if g.points is None
                    else f"{self.f.number(g.points)} / {self.f.number(g.weight or 0)}",
                    provisional=g.coverage < 1,
                    previous=g.previous,
                )
                for g in groups
            ]
            return bar_chart(bars, heading, self.legend(self.t("legend_points")))
        if len(groups) >= 3 and all(g.score is not None for g in groups):
            previous = [g.previous for g in groups] if self.previous is not None else None
            return radar_chart(
                [(g.title, g.score or 0.0) for g in groups],
                heading,
                self.legend(self.t("legend_score")),
                self.f.share,
                previous,
            )
        bars = [
            Bar(
                label=g.title,
                value=g.score,
                maximum=1.0,
                text=self.share(g.score),
                provisional=g.coverage < 1,
                previous=g.previous,
            )
            for g in groups
        ]
        return bar_chart(bars, heading, self.legend(self.t("legend_score")))

    # strengths, points to improve, recommendations

    def ranked(self, keep: Callable[[float], bool], reverse: bool) -> list[CriterionScore]:
        scored = [s for s in self.result.scoring.criteria if s.score is not None and keep(s.score)]
        return sorted(scored, key=lambda s: s.score or 0.0, reverse=reverse)

    def observed(self, kind: ObservationKind) -> tuple[Point, ...]:
        return tuple(
            Point(
                title=", ".join(self.title(ref.criterion) for ref in obs.criteria),
                text=obs.text,
                source=" · ".join(filter(None, (obs.id, obs.auditor))),
            )
            for obs in self.result.findings
            if obs.kind is kind
        )

    def facet_summary(self, score: CriterionScore) -> str:
        parts = [
            f"{self.facet_label(s.facet)} {self.f.share(s.score)} ({self.basis_of(s)})"
            for s in score.facets
        ]
        parts += [
            f"{self.facet_label(facet)}: {self.t('missing')}" for facet in score.missing_facets
        ]
        return "; ".join(parts)

    def basis_of(self, facet: FacetScore) -> str:
        return self.kind_label(facet.basis).lower()

    def strengths(self) -> tuple[Point, ...]:
        criteria = tuple(
            Point(self.title(s.criterion), self.facet_summary(s), s.score, s.criterion)
            for s in self.ranked(lambda value: value >= STRENGTH, reverse=True)
        )
        return criteria + self.observed(ObservationKind.STRENGTH)

    def improvements(self) -> tuple[Point, ...]:
        criteria = tuple(
            Point(self.title(s.criterion), self.facet_summary(s), s.score, s.criterion)
            for s in self.ranked(lambda value: value < IMPROVE, reverse=False)
        )
        return criteria + self.observed(ObservationKind.IMPROVEMENT)

    def recommendations(self) -> tuple[Recommendation, ...]:
        auditor = tuple(
            Recommendation(
                title=", ".join(self.title(ref.criterion) for ref in obs.criteria),
                actions=(obs.text,),
                source=" · ".join(filter(None, (obs.id, obs.auditor))),
            )
            for obs in self.result.findings
            if obs.kind is ObservationKind.RECOMMENDATION
        )
        derived = []
        for score in self.ranked(lambda value: value < IMPROVE, reverse=False):
            criterion = self.framework.criterion(score.criterion)
            facets = {fs.facet: fs.score for fs in score.facets}
            actions = tuple(
                self.advice(facet, facets.get(facet))
                for facet in Facet
                if facets.get(facet, 0.0) < IMPROVE
            )
            derived.append(
                Recommendation(
                    title=criterion.title.get(self.lang),
                    actions=actions,
                    goal=criterion.description.get(self.lang),
                    hints=self.hints(criterion),
                    score=score.score,
                    source=criterion.id,
                )
            )
        missing: tuple[Recommendation, ...] = ()
        if self.result.missing:
            missing = (
                Recommendation(
                    title=self.t("advice_missing_title", count=len(self.result.missing)),
                    actions=(self.t("advice_missing"),),
                ),
            )
        return auditor + tuple(derived) + missing

    # change since the previous audit

    def change(self) -> ChangeView | None:
        previous = self.previous
        if previous is None:
            return None
        improved: list[Point] = []
        declined: list[Point] = []
        newly = gone = 0
        for score in self.result.scoring.criteria:
            before = self.before.get(score.criterion)
            then = None if before is None else before.score
            if score.score is not None and then is None:
                newly += 1
            elif score.score is None and then is not None:
                gone += 1
            elif score.score is not None and then is not None and abs(score.score - then) > 1e-9:
                point = Point(
                    self.title(score.criterion),
                    f"{self.f.share(then)} → {self.f.share(score.score)}",
                    score.score - then,
                    score.criterion,
                )
                (improved if score.score > then else declined).append(point)
        recognition = None
        view = self.recognition()
        if view is not None and view.previous is not None:
            recognition = (view.previous, view.level or self.t("no_level"))
        return ChangeView(
            version=previous.version,
            same_version=previous.version == self.result.version,
            recognition=recognition,
            improved=tuple(sorted(improved, key=lambda p: -(p.score or 0.0))),
            declined=tuple(sorted(declined, key=lambda p: p.score or 0.0)),
            newly_scored=newly,
            no_longer_scored=gone,
        )

    # criteria and their evidence

    def sections(self) -> tuple[Section, ...]:
        framework = self.framework
        main = framework.points_dimension or (
            framework.dimensions[0] if framework.dimensions else None
        )
        if main is None:
            return (
                Section(
                    self.t("criteria"), tuple(self.criterion(c, None) for c in framework.criteria)
                ),
            )
        shown: set[str] = set()
        sections = []
        for group in main.groups:
            members = [c for c in framework.members(main.id, group.id) if c.id not in shown]
            shown.update(c.id for c in members)
            if members:
                sections.append(
                    Section(
                        group.title.get(self.lang), tuple(self.criterion(c, main) for c in members)
                    )
                )
        return tuple(sections)

    def criterion(self, criterion: Criterion, main: Dimension | None) -> CriterionView:
        score = self.scores[criterion.id]
        parts = [
            dimension.group(group_id).title.get(self.lang)
            for dimension in self.framework.dimensions
            if dimension is not main
            for group_id in criterion.groups.get(dimension.id, ())
        ]
        facets = {fs.facet: fs for fs in score.facets}
        return CriterionView(
            id=criterion.id,
            title=criterion.title.get(self.lang),
            description=criterion.description.get(self.lang),
            reference=criterion.reference,
            parts=" · ".join(parts),
            score=score.score,
            facets=tuple(
                FacetView(self.facet_label(facet), None)
                if facet not in facets
                else FacetView(
                    self.facet_label(facet),
                    facets[facet].score,
                    self.basis_of(facets[facet]),
                    facets[facet].count,
                )
                for facet in Facet
            ),
            evidence=self.lines(CriterionRef(self.framework.name, criterion.id)),
            hints=self.hints(criterion),
        )

    def lines(self, ref: CriterionRef) -> tuple[EvidenceLine, ...]:
        evidence = self.evidence
        return (
            *(
                self.observation(o, ref.criterion)
                for o in evidence.observations
                if ref in o.criteria
            ),
            *(self.indicator(v, ref.criterion) for v in evidence.indicators if ref in v.criteria),
            *(self.gap(g, ref.criterion) for g in evidence.gaps if ref in g.criteria),
            *self.answers(ref),
        )

    def indicator_name(self, indicator: str, criterion_id: str) -> str:
        criterion = self.framework.criterion(criterion_id)
        return next(
            (h.text.get(self.lang) for h in criterion.evidence if h.indicator == indicator),
            indicator,
        )

    def gaps(self, criterion_id: str) -> tuple[str, ...]:
        """Why the register gave no value for the indicators ``criterion_id`` names."""
        ref = CriterionRef(self.framework.name, criterion_id)
        return tuple(
            f"{self.indicator_name(g.indicator, criterion_id)}: {g.reason.get(self.lang)}"
            for g in self.evidence.gaps
            if ref in g.criteria
        )

    def gap(self, gap: MissingIndicator, criterion_id: str) -> EvidenceLine:
        return EvidenceLine(
            kind=self.kind_label(EvidenceKind.INDICATOR),
            text=f"{self.indicator_name(gap.indicator, criterion_id)}: {gap.reason.get(self.lang)}",
            rating=self.t("missing"),
            details=(gap.indicator,),
        )

    def measured(self, value: float, unit: str) -> str:
        shown = self.f.share(value) if unit == "share" else self.f.number(value, 2)
        if unit not in ("", "share"):
            shown = f"{shown} {self.text('unit_' + unit, unit)}"
        return shown

    def facet_text(self, facet: Facet | None) -> str | None:
        return None if facet is None else self.facet_label(facet)

    def observation(self, obs: Observation, criterion_id: str) -> EvidenceLine:
        details = [
            *([f"{self.t('auditor')}: {obs.auditor}"] if obs.auditor else []),
            *([self.f.day(obs.observed_on)] if obs.observed_on else []),
            *([f"{self.t('documents')}: {'; '.join(obs.documents)}"] if obs.documents else []),
            *([f"{self.t('source')}: {obs.source}"] if obs.source else []),
        ]
        return EvidenceLine(
            kind=f"{self.t('evidence_observation')} · {self.t(f'observation_{obs.kind}')}",
            text=obs.text,
            facet=self.facet_text(obs.facet),
            rating=None if obs.level is None else self.level_label(criterion_id, obs.level),
            details=(obs.id, *details),
            **_cases(obs.cases),
        )

    def indicator(self, value: IndicatorValue, criterion_id: str) -> EvidenceLine:
        name = self.indicator_name(value.indicator, criterion_id)
        shown = self.measured(value.value, value.unit)
        rating = (
            self.t("attainment", share=self.f.share(value.attainment))
            if value.attainment is not None
            else self.t("not_scored")
        )
        details = [value.indicator]
        if value.period_start is not None and value.period_end is not None:
            last = value.period_end - timedelta(days=1)
            details.append(
                self.t("period", start=self.f.day(value.period_start), end=self.f.day(last))
            )
        details += [f"{p.label}: {self.measured(p.value, p.unit)}" for p in value.parts]
        return EvidenceLine(
            kind=self.kind_label(EvidenceKind.INDICATOR),
            text=f"{name}: {shown}",
            facet=self.facet_text(value.facet),
            rating=rating,
            details=tuple(details),
            **_cases(value.cases),
        )

    def answers(self, ref: CriterionRef) -> list[EvidenceLine]:
        """The questionnaire answers on ``ref``: one line per respondent's row."""
        rows: dict[tuple[str, str, str | None], list[QuestionnaireAnswer]] = {}
        for answer in self.evidence.answers:
            if answer.criterion == ref:
                rows.setdefault((answer.respondent, answer.remarks, answer.source), []).append(
                    answer
                )
        lines = []
        for (respondent, remarks, source), answers in rows.items():
            details = [f"{self.t('respondent')}: {respondent}"]
            if source:
                details.append(f"{self.t('source')}: {source}")
            rating = " · ".join(
                f"{self.facet_label(a.facet)} {self.level_label(ref.criterion, a.level)}"
                for a in answers
            )
            lines.append(
                EvidenceLine(
                    kind=self.kind_label(EvidenceKind.QUESTIONNAIRE),
                    text=remarks,
                    rating=rating,
                    details=tuple(details),
                )
            )
        return lines

    def sources(self) -> SourcesView:
        evidence = self.evidence
        periods = sorted(
            {
                self.t(
                    "period",
                    start=self.f.day(v.period_start),
                    end=self.f.day(v.period_end - timedelta(days=1)),
                )
                for v in evidence.indicators
                if v.period_start is not None and v.period_end is not None
            }
        )
        return SourcesView(
            respondents=_unique(a.respondent for a in evidence.answers),
            answers=len(evidence.answers),
            observations=len(evidence.observations),
            auditors=_unique(o.auditor for o in evidence.observations if o.auditor),
            indicators=len(evidence.indicators),
            periods=tuple(periods),
        )


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _cases(cases: Iterable[object]) -> Mapping[str, Any]:
    ids = [str(case) for case in cases]
    return {"cases": tuple(ids[:CASES_SHOWN]), "more_cases": max(len(ids) - CASES_SHOWN, 0)}
