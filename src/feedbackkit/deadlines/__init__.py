"""Deadlines: statutory terms and service norms per procedure, on the Atw calendar.

Policies are data (``feedbackkit/data/deadlines/policies/*.toml``); an
organisation overrides them with its own TOML file through
:func:`policy_file_plugin`. :func:`compute_deadlines` is pure: ``today`` is
passed in and every computed :class:`Deadline` lists the rules applied.
See ``docs/deadlines.md``.
"""

from feedbackkit.deadlines.atw import AtwArticle, apply_atw, atw_exclusion
from feedbackkit.deadlines.calendar import (
    AtwCalendar,
    Calendar,
    Unit,
    atw_holidays,
    shipped_bridge_days,
)
from feedbackkit.deadlines.compute import (
    OBJECTION_TERM_WEEKS,
    Deadline,
    DeadlineStatus,
    compute_deadlines,
)
from feedbackkit.deadlines.loading import (
    PolicyFilePlugin,
    builtin_policies,
    load_policy_file,
    parse_policies,
    policy_file_plugin,
)
from feedbackkit.deadlines.policy import (
    OBJECTION_TERM_END,
    RECEIPT,
    Committee,
    DeadlinePolicy,
    OnReopen,
    Postponement,
    Suspension,
    Term,
)
from feedbackkit.errors import DeadlinePolicyError

__all__ = [
    "OBJECTION_TERM_END",
    "OBJECTION_TERM_WEEKS",
    "RECEIPT",
    "AtwArticle",
    "AtwCalendar",
    "Calendar",
    "Committee",
    "Deadline",
    "DeadlinePolicy",
    "DeadlinePolicyError",
    "DeadlineStatus",
    "OnReopen",
    "PolicyFilePlugin",
    "Postponement",
    "Suspension",
    "Term",
    "Unit",
    "apply_atw",
    "atw_exclusion",
    "atw_holidays",
    "builtin_policies",
    "compute_deadlines",
    "load_policy_file",
    "parse_policies",
    "policy_file_plugin",
    "shipped_bridge_days",
]
