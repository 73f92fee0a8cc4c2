"""The built-in SMTP notifier (standard library ``smtplib``).

Configured in the organisation's settings::

    [notifications]
    notifier = "smtp"

    [notifications.smtp]
    host = "smtp.gemeente.example"
    port = 587                      # default: 465 for ssl, 587 for starttls, 25 for none
    security = "starttls"           # starttls | ssl | none (none only on loopback)
    sender = "Gemeente Voorbeeld <klachten@gemeente.example>"
    user = "klachten"               # optional: log in
    password_env = "FEEDBACKKIT_SMTP_PASSWORD"   # or password_file
    cafile = "ca.pem"               # optional: trust this CA (a private mail server)
    timeout = 30

Messages are multipart/alternative (plain text and HTML), UTF-8, quoted-printable.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.errors import FeedbackkitError, ValidationError
from feedbackkit.ports import Message

__all__ = ["NotificationError", "SmtpNotifier", "build_email"]

_SECURITY = ("starttls", "ssl", "none")
_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


class NotificationError(FeedbackkitError):
    """A message could not be sent; names the server and the reason."""


def _field(key: str) -> str:
    return f"notifications.smtp.{key}"


@attrs.frozen
class SmtpSettings:
    """Validated SMTP options."""

    host: str
    sender: str
    security: str = "starttls"
    port: int | None = None
    user: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    cafile: str | None = None
    timeout: float = 30.0

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> SmtpSettings:
        known = {
            "host",
            "port",
            "security",
            "sender",
            "user",
            "password_env",
            "password_file",
            "cafile",
            "timeout",
        }
        for key in options:
            if key not in known:
                raise ValidationError(
                    _field(key), f"unknown option; known: {', '.join(sorted(known))}"
                )
        for key in ("host", "sender"):
            if not options.get(key):
                raise ValidationError(_field(key), "required")
        security = str(options.get("security", "starttls"))
        if security not in _SECURITY:
            raise ValidationError(_field("security"), f"{security!r} is not one of {_SECURITY}")
        host = str(options["host"])
        if security == "none" and host not in _LOOPBACK:
            raise ValidationError(_field("security"), "none is only allowed on loopback")
        sender = str(options["sender"])
        if not any("@" in address for _, address in getaddresses([sender])):
            raise ValidationError(_field("sender"), f"{sender!r} is not an e-mail address")
        port = options.get("port")
        if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
            raise ValidationError(_field("port"), f"{port!r} is not a port number")
        return cls(
            host=host,
            sender=sender,
            security=security,
            port=port,
            user=options.get("user"),
            password=_password(options),
            cafile=options.get("cafile"),
            timeout=float(options.get("timeout", 30)),
        )


def _password(options: Mapping[str, Any]) -> str | None:
    if "password_env" in options:
        value = os.environ.get(str(options["password_env"]))
        if value is None:
            raise ValidationError(
                _field("password_env"), f"environment variable {options['password_env']} is not set"
            )
        return value
    if "password_file" in options:
        try:
            return Path(str(options["password_file"])).read_text("utf-8").strip()
        except OSError as exc:
            raise ValidationError(_field("password_file"), str(exc)) from None
    return None


def build_email(message: Message, sender: str) -> EmailMessage:
    """``message`` as a MIME message from ``sender``: text and HTML alternatives."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    domain = Address(addr_spec=getaddresses([sender])[0][1]).domain
    email["Message-ID"] = make_msgid(domain=domain or None)
    email["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers.items():
        email[name] = value
    email.set_content(message.body_text, cte="quoted-printable")
    if message.body_html is not None:
        email.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    email["Content-Language"] = message.language  # set_content clears Content-* headers
    return email


class SmtpNotifier:
    """Sends messages through an SMTP server; ``configure`` gives it its server."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings | None = None) -> None:
        self.settings = settings

    def configure(self, options: Mapping[str, Any]) -> SmtpNotifier:
        """A notifier using ``options`` (the ``[notifications.smtp]`` settings)."""
        return SmtpNotifier(SmtpSettings.parse(options))

    def send(self, message: Message) -> str:
        """Send ``message``; its Message-ID. :class:`NotificationError` names the server."""
        settings = self.settings
        if settings is None:
            raise ValidationError("notifications.smtp", "the SMTP notifier is not configured")
        email = build_email(message, settings.sender)
        port = settings.port or _PORTS[settings.security]
        context = ssl.create_default_context(cafile=settings.cafile)
        try:
            smtp: smtplib.SMTP
            if settings.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    settings.host, port, timeout=settings.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(settings.host, port, timeout=settings.timeout)
            with smtp:
                if settings.security == "starttls":
                    smtp.starttls(context=context)
                if settings.user is not None:
                    smtp.login(settings.user, settings.password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise NotificationError(
                f"SMTP server {settings.host}:{port} did not accept the message: {exc}"
            ) from exc
        return str(email["Message-ID"])
