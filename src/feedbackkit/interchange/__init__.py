"""The JSON Lines interchange format ``feedbackkit/1``: export, import, reject files.

See ``docs/interchange.md`` for the format and the command-line tools.
"""

from feedbackkit.interchange.exporting import RUNNING, export_cases
from feedbackkit.interchange.importing import (
    ImportReport,
    RejectFile,
    choose_channel,
    default_rejects_path,
    import_items,
)
from feedbackkit.interchange.jsonl import (
    CASE_KEYS,
    DERIVED_KEYS,
    FORMAT,
    JsonlChannel,
    decode,
    encode,
    read,
)

__all__ = [
    "CASE_KEYS",
    "DERIVED_KEYS",
    "FORMAT",
    "RUNNING",
    "ImportReport",
    "JsonlChannel",
    "RejectFile",
    "choose_channel",
    "decode",
    "default_rejects_path",
    "encode",
    "export_cases",
    "import_items",
    "read",
]
