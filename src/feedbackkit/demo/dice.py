"""Seeded randomness for the demo generator: one ``random.Random`` and fast weighted draws."""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import accumulate
from typing import Generic, TypeVar

from feedbackkit.models import time_ordered_id

__all__ = ["Dice", "Weighted"]

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed set of choices with weights, drawn in O(log n) from one random number."""

    __slots__ = ("choices", "cumulative", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        listed = [(choice, weight) for choice, weight in pairs if weight > 0]
        if not listed:
            raise ValueError("a weighted choice needs at least one positive weight")
        self.choices: tuple[T, ...] = tuple(choice for choice, _ in listed)
        self.cumulative: tuple[float, ...] = tuple(accumulate(weight for _, weight in listed))
        self.total: float = self.cumulative[-1]

    def draw(self, dice: Dice) -> T:
        return self.choices[bisect(self.cumulative, dice.random() * self.total)]


class Dice:
    """Every random decision of one generator run; same seed, same decisions."""

    __slots__ = ("_bits", "random")

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.random: Callable[[], float] = rng.random
        self._bits: Callable[[int], int] = rng.getrandbits

    def uuid(self, at: datetime) -> uuid.UUID:
        """A UUIDv7 of moment ``at``, its random bits drawn from the seeded generator (never
        from the OS): ids of later moments sort later, as :func:`~feedbackkit.models.new_id`'s.
        Draws 128 bits, as a version-4 id did, so the rest of a run stays as it was."""
        return time_ordered_id(int(at.timestamp() * 1000), self._bits(128))

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def below(self, n: int) -> int:
        """A whole number in ``0..n-1``."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """A whole number in ``low..high`` (both included)."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, choices: Sequence[T]) -> T:
        return choices[int(self.random() * len(choices))]
