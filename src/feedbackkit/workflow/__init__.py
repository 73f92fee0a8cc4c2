"""Handling workflows: procedures as transition tables, case state derived from events."""

from feedbackkit.workflow.case import CaseState, derive
from feedbackkit.workflow.procedure import Action, Procedure, State, load_procedure

__all__ = ["Action", "CaseState", "Procedure", "State", "derive", "load_procedure"]
