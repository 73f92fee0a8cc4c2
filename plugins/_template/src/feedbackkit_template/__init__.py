"""A feedbackkit plugin: implement hooks from ``feedbackkit.hookspecs`` here."""
