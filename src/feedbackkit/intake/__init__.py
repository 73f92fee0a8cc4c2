"""Quick registration of informal feedback by any employee (``docs/intake.md``)."""

from feedbackkit.intake.informal import ORAL_CHANNELS, register_informal

__all__ = ["ORAL_CHANNELS", "register_informal"]
