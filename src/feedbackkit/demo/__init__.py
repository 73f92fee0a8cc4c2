"""Synthetic demo data: a realistic, deterministic year of a Dutch municipality's feedback.

    from feedbackkit.demo import generate

    for record in generate(1000, seed=7):
        ...

See ``docs/demo.md`` for what is generated and where the ground truth lives.
"""

from feedbackkit.demo.generator import (
    COVERAGE,
    DEFAULT_SEED,
    DEFAULT_SIZE,
    DEFAULT_YEAR,
    GROUP_TAG,
    MIN_COVERAGE_SIZE,
    generate,
    group_of,
    reference_day,
)

__all__ = [
    "COVERAGE",
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "DEFAULT_YEAR",
    "GROUP_TAG",
    "MIN_COVERAGE_SIZE",
    "generate",
    "group_of",
    "reference_day",
]
