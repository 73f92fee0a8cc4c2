"""What feedbackkit publishes for testing plugins and host applications:
Hypothesis strategies for every model and the storage contract every store must pass."""

from feedbackkit.testing import strategies
from feedbackkit.testing.contract import StoreContract, make_case

__all__ = ["StoreContract", "make_case", "strategies"]
