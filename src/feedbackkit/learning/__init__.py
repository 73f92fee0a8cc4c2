"""Learning from feedback: text analysis and the learning loop.

The text-analysis port and its result models are in :mod:`feedbackkit.learning.text`,
the built-in analyser in :mod:`feedbackkit.learning.overlap`. The learning loop on a
store (``kit.learning``: themes, service recovery, golden complaints, improvement
actions) is :mod:`feedbackkit.learning.loop`; its pages are
:mod:`~feedbackkit.learning.agenda`, :mod:`~feedbackkit.learning.spotlight` and
:mod:`~feedbackkit.learning.report`.
"""
