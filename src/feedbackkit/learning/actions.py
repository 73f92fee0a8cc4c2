"""Closing the loop: telling customers what their feedback changed ("you said, we did").

When an improvement action is done, the customer of every case it answers is sent the
``you_said_we_did`` letter of :mod:`feedbackkit.notifications` — their own words and the
change made — by e-mail through the configured notifier, or as a ``task`` event on the
case for a person to send (no notifier, a letter by post, sending failed). Each case's
outcome is kept on the action as a :class:`~feedbackkit.learning.models.Notice`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from feedbackkit.learning.models import ImprovementAction, Notice
from feedbackkit.notifications import notify
from feedbackkit.ports import Notifier

if TYPE_CHECKING:
    from feedbackkit.service import FeedbackKit

__all__ = ["LETTER", "NO_CONTACT", "TASK", "tell"]

LETTER = "you_said_we_did"
TASK = "task"
NO_CONTACT = "none"
"""``via`` of a notice when the case has no customer to tell, or they want no contact."""


def tell(
    kit: FeedbackKit,
    action: ImprovementAction,
    case_id: uuid.UUID,
    *,
    actor: str,
    notifier: Notifier | None = None,
) -> Notice:
    """Send the customers of ``case_id`` what ``action`` changed; how it went."""
    deliveries = notify(
        kit,
        case_id,
        LETTER,
        {"we_did": action.change_made or action.title},
        actor=actor,
        notifier=notifier,
    )
    at = kit.clock.now()
    sent = [d for d in deliveries if d.action == "message_sent"]
    if sent:
        return Notice(case_id, sent[0].medium, at, sent[0].reference)
    tasks = [d for d in deliveries if d.action == TASK]
    if tasks:
        file = tasks[0].file
        return Notice(case_id, TASK, at, str(file) if file else tasks[0].reason)
    return Notice(case_id, NO_CONTACT, at)
