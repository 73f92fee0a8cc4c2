"""The organisation's configuration: who it is, its ombudsman, ambassadors, survey and
notification settings, read from one TOML file (``docs/closing-the-loop.md``).

Secrets are never in the file: the survey key and the SMTP password are named by an
environment variable (``*_env``) or a file (``*_file``). Unknown sections and keys are
errors naming them, so a typo never silently turns a setting off.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.errors import ValidationError

__all__ = ["Ombudsman", "Organisation", "Settings", "load_settings", "parse_settings"]


@attrs.frozen
class Organisation:
    """Who sends the letters: name and the contact details printed on them."""

    name: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None


@attrs.frozen
class Ombudsman:
    """Where a complainant can turn after the findings (Awb 9:12, 9:20, 9:24)."""

    name: str = "Nationale ombudsman"
    website: str = "https://www.nationaleombudsman.nl"
    term_months: int = 12
    """Awb 9:24 lid 2: within one year after the body's notice."""


@attrs.frozen
class Settings:
    """Everything an organisation configures beyond plugins; every part has a default."""

    organisation: Organisation = attrs.field(factory=Organisation)
    ombudsman: Ombudsman = attrs.field(factory=Ombudsman)
    ambassador: str | None = None
    """Default ambassador (second handler) of informally registered feedback."""
    ambassadors: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    """Ambassador per org unit; overrides ``ambassador``."""
    survey_key: bytes | None = attrs.field(default=None, repr=False)
    """Secret that signs survey tokens (at least 16 bytes)."""
    survey_url: str | None = None
    """Address of the survey form; ``{token}`` is replaced by the token."""
    survey_policy: Path | None = None
    """A survey policy file replacing the built-in ``data/survey.toml``."""
    notifier: str | None = None
    """The registered notifier that sends e-mail (``smtp``); ``None``: tasks instead."""
    notifier_options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    letters_dir: Path | None = None
    """Where letters for post are written; ``None``: a task without a file."""
    letter_format: str = attrs.field(default="html")

    @letter_format.validator
    def _check_format(self, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in ("html", "pdf"):
            raise ValidationError("notifications.letter_format", f"{value!r} is not html or pdf")

    @survey_key.validator
    def _check_key(self, attribute: attrs.Attribute[bytes | None], value: bytes | None) -> None:
        if value is not None and len(value) < 16:
            raise ValidationError("survey.secret_key", "must be at least 16 bytes")

    def ambassador_for(self, org_unit: str | None) -> str | None:
        """The ambassador of ``org_unit``, else the default one."""
        if org_unit is not None and org_unit in self.ambassadors:
            return self.ambassadors[org_unit]
        return self.ambassador


_SECTIONS: dict[str, frozenset[str]] = {
    "organisation": frozenset(attrs.fields_dict(Organisation)),
    "ombudsman": frozenset(attrs.fields_dict(Ombudsman)),
    "intake": frozenset({"ambassador", "ambassadors"}),
    "survey": frozenset({"secret_key_env", "secret_key_file", "url", "policy"}),
    "notifications": frozenset({"notifier", "letters_dir", "letter_format"}),
}
"""Known keys per section; ``[notifications.NAME]`` holds the options of notifier NAME."""


def _secret(section: Mapping[str, Any], name: str, base: Path) -> bytes | None:
    """The secret a section names by ``NAME_env`` or ``NAME_file``."""
    env, file = section.get(f"{name}_env"), section.get(f"{name}_file")
    if env is not None:
        value = os.environ.get(str(env))
        if not value:
            raise ValidationError(f"survey.{name}_env", f"environment variable {env} is not set")
        return value.encode("utf-8")
    if file is not None:
        path = base / str(file)
        try:
            return path.read_bytes().strip()
        except OSError as exc:
            raise ValidationError(f"survey.{name}_file", f"cannot read {path}: {exc}") from None
    return None


def _path(value: Any, base: Path) -> Path | None:
    return None if value is None else base / str(value)


def parse_settings(data: Mapping[str, Any], base: Path = Path()) -> Settings:
    """Settings from parsed TOML; relative paths are taken from ``base``."""
    for section, body in data.items():
        if section not in _SECTIONS:
            raise ValidationError(section, f"unknown section; known: {', '.join(_SECTIONS)}")
        if not isinstance(body, Mapping):
            raise ValidationError(section, "must be a table")
        known_keys = _SECTIONS[section] | {str(body.get("notifier"))}
        for key in body:
            if key not in known_keys:
                known = ", ".join(sorted(_SECTIONS[section]))
                raise ValidationError(f"{section}.{key}", f"unknown key; known: {known}")
    intake = data.get("intake", {})
    survey = data.get("survey", {})
    notifications = dict(data.get("notifications", {}))
    notifier = notifications.get("notifier")
    try:
        return Settings(
            organisation=Organisation(**data.get("organisation", {})),
            ombudsman=Ombudsman(**data.get("ombudsman", {})),
            ambassador=intake.get("ambassador"),
            ambassadors=dict(intake.get("ambassadors", {})),
            survey_key=_secret(survey, "secret_key", base),
            survey_url=survey.get("url"),
            survey_policy=_path(survey.get("policy"), base),
            notifier=notifier,
            notifier_options=dict(notifications.get(str(notifier), {})) if notifier else {},
            letters_dir=_path(notifications.get("letters_dir"), base),
            letter_format=notifications.get("letter_format", "html"),
        )
    except TypeError as exc:
        raise ValidationError("settings", str(exc)) from None


def load_settings(path: Path) -> Settings:
    """Settings from the TOML file at ``path`` (relative paths in it: from its folder)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(str(path), f"invalid TOML: {exc}") from None
    return parse_settings(data, path.parent)
