"""Letters and e-mails that close the loop with customers (``docs/closing-the-loop.md``):
acknowledgement (Awb 9:6), not handled (9:8), postponement (9:11), findings (9:12),
survey invitation and "you said, we did"."""

from feedbackkit.notifications.letters import Letter, RenderedLetter, letters, render_letter
from feedbackkit.notifications.sending import (
    ConfigurableNotifier,
    Delivery,
    letter_context,
    notifier_of,
    notify,
)
from feedbackkit.notifications.smtp import NotificationError, SmtpNotifier

__all__ = [
    "ConfigurableNotifier",
    "Delivery",
    "Letter",
    "NotificationError",
    "RenderedLetter",
    "SmtpNotifier",
    "letter_context",
    "letters",
    "notifier_of",
    "notify",
    "render_letter",
]
