"""Asking the relationship-outcome survey after handling and taking in the answers
(domain.md §3: the customer decides whether handling was effective)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.errors import ConflictError, FeedbackkitError, ValidationError
from feedbackkit.models import RelationshipOutcome
from feedbackkit.survey.policy import OnNegative, SurveyPolicy, default_policies, load_policies
from feedbackkit.survey.questions import outcome_from_answers
from feedbackkit.survey.tokens import (
    SurveyToken,
    TokenInvalidError,
    TokenUsedError,
    new_survey_id,
)
from feedbackkit.vocabulary import label

if TYPE_CHECKING:
    from feedbackkit.notifications import Delivery
    from feedbackkit.service import CaseView, FeedbackKit

__all__ = ["Invitation", "SurveyError", "SurveyResult", "Surveys"]

ACTOR = "survey"
"""Actor of what the customer's answer records on the case."""


class SurveyError(FeedbackkitError):
    """The survey cannot be asked for this case (still open, or not asked for its kind)."""


@attrs.frozen
class Invitation:
    """A survey asked: the one-time token to hand to the customer and until when it works."""

    case_id: uuid.UUID
    survey: str
    token: str = attrs.field(repr=False)
    expires_at: datetime
    url: str | None = attrs.field(default=None, repr=False)
    """The survey form's address with the token, when ``[survey] url`` is configured."""


@attrs.frozen
class SurveyResult:
    """An answered survey: the stored outcome and what it did to the case."""

    outcome: RelationshipOutcome
    negative: bool
    reopened: bool
    view: CaseView


class Surveys:
    """The survey of one :class:`~feedbackkit.service.FeedbackKit` (``kit.survey``)."""

    def __init__(self, kit: FeedbackKit) -> None:
        self.kit = kit

    def _key(self) -> bytes:
        key = self.kit.settings.survey_key
        if key is None:
            raise ValidationError(
                "survey.secret_key", "configure a secret key ([survey] secret_key_env)"
            )
        return key

    def policy(self, case_id: uuid.UUID) -> SurveyPolicy:
        """The survey policy of the case (``data/survey.toml`` or the configured file)."""
        view = self.kit.view(case_id)
        path = self.kit.settings.survey_policy
        policies = load_policies(path) if path is not None else default_policies()
        return policies.for_case(view.feedback, view.procedure.name)

    def request(self, case_id: uuid.UUID, *, actor: str = "feedbackkit") -> Invitation:
        """Ask the survey for a handled case: a new one-time token, recorded on the case.

        Raises :class:`SurveyError` while the case is being handled or when its policy does
        not ask the survey, and :class:`ValidationError` without a secret key.
        """
        key = self._key()
        view = self.kit.view(case_id)
        if not view.state.done:
            raise SurveyError(
                f"case {case_id} is still being handled (state {view.state.state!r}); "
                "ask the survey after handling"
            )
        policy = self.policy(case_id)
        if not policy.ask:
            raise SurveyError(
                f"no survey for {label(view.feedback.kind, 'en').lower()} under procedure "
                f"{view.procedure.name!r} (see survey.toml)"
            )
        now = self.kit.clock.now()
        expires_at = (now + timedelta(days=policy.expires_days)).replace(microsecond=0)
        token = SurveyToken(case_id, new_survey_id(), expires_at)
        self.kit.act(
            case_id,
            "survey_requested",
            actor=actor,
            payload={"survey": token.survey, "expires_at": expires_at.isoformat()},
            at=max(now, view.events[-1].at),
        )
        text = token.sign(key)
        url = self.kit.settings.survey_url
        return Invitation(
            case_id, token.survey, text, expires_at, url.replace("{token}", text) if url else None
        )

    def invite(
        self, case_id: uuid.UUID, *, actor: str = "feedbackkit"
    ) -> tuple[Invitation, tuple[Delivery, ...]]:
        """Request the survey and send the invitation letter with the link to the customer."""
        from feedbackkit.notifications import notify

        if self.kit.settings.survey_url is None:
            raise ValidationError("survey.url", "configure the address of the survey form")
        invitation = self.request(case_id, actor=actor)
        context = {"url": invitation.url, "expires_at": invitation.expires_at}
        return invitation, notify(self.kit, case_id, "survey_invitation", context, actor=actor)

    def check(self, token: str) -> SurveyToken:
        """The token's survey if it can still be answered; typed errors say why not."""
        found = SurveyToken.verify(token, self._key(), self.kit.clock.now())
        events = self.kit.store.events(found.case_id)
        asked = {e.payload.get("survey") for e in events if e.action == "survey_requested"}
        if found.survey not in asked:
            raise TokenInvalidError("no such survey was requested")
        if any(
            e.action == "survey_answered" and e.payload.get("survey") == found.survey
            for e in events
        ):
            raise TokenUsedError(found.survey)
        return found

    def answer(self, token: str, answers: Mapping[str, Any]) -> SurveyResult:
        """Store the customer's answers as a :class:`RelationshipOutcome` on the case.

        The token works once and until it expires (:class:`TokenUsedError`,
        :class:`TokenExpiredError`, :class:`TokenInvalidError`); invalid answers raise
        :class:`ValidationError` naming ``answers.<question>``. A negative answer reopens
        the case or records a task, as the policy says.
        """
        found = self.check(token)
        now = self.kit.clock.now()
        outcome = outcome_from_answers(found.case_id, answers, now)
        policy = self.policy(found.case_id)
        negative = policy.is_negative(outcome)
        view = self.kit.view(found.case_id)
        payload = {
            "survey": found.survey,
            "relationship": outcome.relationship.value,
            "negative": negative,
            "outcome": str(outcome.id),
        }
        at = max(now, view.events[-1].at)
        try:
            view = self.kit.act(
                found.case_id,
                "survey_answered",
                actor=ACTOR,
                payload=payload,
                at=at,
                expected_version=view.state.version,
            )
        except ConflictError:
            self.check(token)  # answered meanwhile: TokenUsedError
            raise
        self.kit.record_outcome(outcome)
        reopened = False
        if negative and policy.on_negative is not OnNegative.NONE:
            reopened = self._follow_up(view, outcome, policy, at)
        return SurveyResult(outcome, negative, reopened, self.kit.view(found.case_id))

    def _follow_up(
        self, view: CaseView, outcome: RelationshipOutcome, policy: SurveyPolicy, at: datetime
    ) -> bool:
        """Reopen the case (where allowed and wanted; True) or record a task to follow up."""
        why = f"Klantvraag na afhandeling: relatie {label(outcome.relationship).lower()}" + (
            f"; toelichting: {outcome.free_text}" if outcome.free_text else ""
        )
        if policy.on_negative is OnNegative.REOPEN and "reopen" in view.allowed_actions:
            self.kit.act(view.id, "reopen", actor=ACTOR, payload={"reason": why}, at=at)
            return True
        task = f"Neem contact op met de klant over het negatieve antwoord. {why}"
        self.kit.act(view.id, "task", actor=ACTOR, payload={"text": task}, at=at)
        return False
