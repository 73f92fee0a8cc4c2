"""The relationship-outcome survey after handling (``docs/closing-the-loop.md``)."""

from feedbackkit.survey.policy import OnNegative, SurveyPolicies, SurveyPolicy
from feedbackkit.survey.questions import Question, outcome_from_answers, questions
from feedbackkit.survey.surveys import Invitation, SurveyError, SurveyResult, Surveys
from feedbackkit.survey.tokens import (
    SurveyToken,
    TokenExpiredError,
    TokenInvalidError,
    TokenUsedError,
)

__all__ = [
    "Invitation",
    "OnNegative",
    "Question",
    "SurveyError",
    "SurveyPolicies",
    "SurveyPolicy",
    "SurveyResult",
    "SurveyToken",
    "Surveys",
    "TokenExpiredError",
    "TokenInvalidError",
    "TokenUsedError",
    "outcome_from_answers",
    "questions",
]
