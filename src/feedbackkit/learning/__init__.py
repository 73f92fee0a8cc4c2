"""Learning from feedback: text analysis (similarity, clusters, keywords, emotion, themes).

The port and its result models are in :mod:`feedbackkit.learning.text`; the built-in
analyser in :mod:`feedbackkit.learning.overlap`.
"""
