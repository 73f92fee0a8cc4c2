"""Click commands of the built-in CLI; each module exposes ``COMMANDS``."""
