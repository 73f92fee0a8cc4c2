"""feedbackkit: register, handle and learn from every form of customer feedback.

The public API in one place::

    from feedbackkit import FeedbackKit, Feedback, Kind, Channel
"""

from feedbackkit.errors import (
    ConflictError,
    FeedbackkitError,
    IllegalActionError,
    NotFoundError,
    ValidationError,
)
from feedbackkit.hookspecs import hookimpl
from feedbackkit.models import (
    CaseRecord,
    Event,
    ExternalCase,
    Feedback,
    Link,
    Party,
    PartyRef,
    RelationshipOutcome,
    Retention,
    new_id,
)
from feedbackkit.service import CaseView, FeedbackKit
from feedbackkit.storage.protocol import Query
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Judgement,
    Kind,
    LinkType,
    Origin,
    PartyKind,
    PartyRole,
    Relationship,
)

__version__ = "0.1.0"

__all__ = [
    "CaseRecord",
    "CaseView",
    "Channel",
    "ConflictError",
    "ContactPreference",
    "Event",
    "ExternalCase",
    "Feedback",
    "FeedbackKit",
    "FeedbackkitError",
    "Form",
    "IllegalActionError",
    "Initiative",
    "Judgement",
    "Kind",
    "Link",
    "LinkType",
    "NotFoundError",
    "Origin",
    "Party",
    "PartyKind",
    "PartyRef",
    "PartyRole",
    "Query",
    "Relationship",
    "RelationshipOutcome",
    "Retention",
    "ValidationError",
    "__version__",
    "hookimpl",
    "new_id",
]
