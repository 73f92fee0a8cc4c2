"""One-time, expiring survey tokens, signed with HMAC-SHA256.

A token is ``v1.<case>.<survey>.<expires>.<signature>``: the case id (hex), a random
survey id, the expiry as a Unix time and the HMAC of those three under the
organisation's secret key. Only the survey id is recorded on the case (never the
token), so a copy of the database cannot answer surveys; one-time use is checked
against the case's ``survey_answered`` events.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import FeedbackkitError

__all__ = [
    "SurveyToken",
    "TokenExpiredError",
    "TokenInvalidError",
    "TokenUsedError",
    "new_survey_id",
]

_VERSION = "v1"


class TokenInvalidError(FeedbackkitError):
    """The token is malformed, its signature is wrong, or no such survey was requested."""


class TokenExpiredError(FeedbackkitError):
    """The token's expiry has passed."""

    def __init__(self, expires_at: datetime) -> None:
        self.expires_at = expires_at
        super().__init__(f"survey token expired at {expires_at.isoformat()}")


class TokenUsedError(FeedbackkitError):
    """The survey was already answered with this token (tokens are one-time)."""

    def __init__(self, survey: str) -> None:
        self.survey = survey
        super().__init__(f"survey {survey} has already been answered")


def new_survey_id() -> str:
    """A random, unguessable survey id (128 bits)."""
    return secrets.token_urlsafe(16)


def _signature(key: bytes, text: str) -> str:
    digest = hmac.new(key, text.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@attrs.frozen
class SurveyToken:
    """What a token says: which case, which survey, until when."""

    case_id: uuid.UUID
    survey: str
    expires_at: datetime

    def sign(self, key: bytes) -> str:
        """The token text (URL-safe) signed with ``key``."""
        body = f"{_VERSION}.{self.case_id.hex}.{self.survey}.{int(self.expires_at.timestamp())}"
        return f"{body}.{_signature(key, body)}"

    @classmethod
    def verify(cls, token: str, key: bytes, now: datetime) -> SurveyToken:
        """The token's content if its signature is valid and it has not expired.

        Raises :class:`TokenInvalidError` or :class:`TokenExpiredError`.
        """
        body, _, signature = token.strip().rpartition(".")
        parts = body.split(".")
        if len(parts) != 4 or parts[0] != _VERSION:
            raise TokenInvalidError("survey token is malformed")
        if not hmac.compare_digest(signature, _signature(key, body)):
            raise TokenInvalidError("survey token has an invalid signature")
        _, case_hex, survey, expires = parts
        expires_at = datetime.fromtimestamp(int(expires), AMSTERDAM)
        if now >= expires_at:
            raise TokenExpiredError(expires_at)
        return cls(uuid.UUID(hex=case_hex), survey, expires_at)
