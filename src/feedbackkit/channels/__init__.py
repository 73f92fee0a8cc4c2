"""Intake channels: e-mail (.eml, mbox, IMAP), complaint registers (CSV, Excel),
Signalen, and the quarantine for what they reject. See ``docs/channels.md``."""
