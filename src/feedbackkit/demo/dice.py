"""Seeded randomness for the demo generator: one ``random.Random`` and fast weighted draws."""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

__all__ = ["Dice", "Weighted"]

T = TypeVar("T")

_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_VERSION_4 = (0x8000 << 48) | (4 << 76)
"""The RFC 4122 variant and version bits, as ``uuid.UUID(..., version=4)`` sets them."""


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

    def uuid(self) -> uuid.UUID:
        """A version-4 UUID drawn from the seeded generator (never from the OS)."""
        return uuid.UUID(int=self._bits(128) & _CLEAR | _VERSION_4)

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
