"""E-mail from an IMAP mailbox: fetched, read like ``.eml`` files, then flagged as processed.

The ``imap`` channel reads an *account file* (``*.imap.toml``, reference in
``docs/channels.md``) naming the server, the user, where the password is (an
environment variable or a file, never the account file itself) and which messages to
fetch. Each message is flagged with the keyword ``$FeedbackkitImported`` (and
``\\Seen`` unless ``mark_seen = false``) after it has been handed on: fetching
``unprocessed`` messages again never repeats one, and a message fetched twice
(``all``) still yields the same case id, so it is stored once.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import os
import re
import ssl
import tomllib
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.channels.email import EmailChannel, parse_message
from feedbackkit.channels.routing import Item, Sinks
from feedbackkit.errors import FeedbackkitError, ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected, Skipped

if TYPE_CHECKING:
    from feedbackkit.channels.quarantine import Quarantine

__all__ = ["PROCESSED", "ImapAccount", "ImapChannel", "ImapMailbox", "load_account"]

PROCESSED = "$FeedbackkitImported"
"""The IMAP keyword set on every message the channel has handed on."""

_SEARCH = {"unprocessed": f"UNKEYWORD {PROCESSED}", "unseen": "UNSEEN", "all": "ALL"}
_PORTS = {"ssl": 993, "starttls": 143, "none": 143}


@attrs.frozen
class ImapAccount:
    """Where and how to fetch mail (the account file's contents)."""

    host: str
    user: str
    password_env: str | None = None
    password_file: Path | None = None
    security: str = "ssl"
    port: int | None = None
    mailbox: str = "INBOX"
    fetch: str = "unprocessed"
    mark_seen: bool = True
    timeout: float = 60.0

    @property
    def url(self) -> str:
        """``imap://user@host:port/mailbox``, the source named in rejections."""
        return f"imap://{self.user}@{self.host}:{self.port or _PORTS[self.security]}/{self.mailbox}"

    def password(self) -> str:
        """The password from the environment variable or file the account names."""
        if self.password_env is not None:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ValidationError("account password_env", f"{self.password_env} is not set")
            return value
        if self.password_file is not None:
            try:
                return self.password_file.read_text("utf-8").strip()
            except OSError as exc:
                raise ValidationError(
                    "account password_file", f"{exc.strerror}: {self.password_file}"
                ) from None
        raise ValidationError("account password_env", "name password_env or password_file")


_KEYS = {f.name for f in attrs.fields(ImapAccount)}


def load_account(path: Path) -> ImapAccount:
    """Read and check an account file; :class:`ValidationError` names the wrong key."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError("account", f"cannot read {path}: {exc}") from None
    for key in data:
        if key not in _KEYS:
            raise ValidationError(
                f"account {key}", f"unknown key; known: {', '.join(sorted(_KEYS))}"
            )
    if "password" in data:
        raise ValidationError("account password", "use password_env or password_file")
    for key in ("host", "user"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValidationError(f"account {key}", "required text")
    security = data.get("security", "ssl")
    if security not in _PORTS:
        raise ValidationError("account security", f"{security!r} is not one of ssl, starttls, none")
    if security == "none" and not _loopback(data["host"]):
        raise ValidationError("account security", "'none' (no encryption) only on this machine")
    if data.get("fetch", "unprocessed") not in _SEARCH:
        raise ValidationError("account fetch", f"must be one of {', '.join(_SEARCH)}")
    if "password_file" in data:
        data["password_file"] = (path.parent / str(data["password_file"])).resolve()
    try:
        return ImapAccount(**data)
    except TypeError as exc:
        raise ValidationError("account", str(exc)) from None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapMailbox:
    """An open IMAP mailbox (a context manager): search, fetch and flag messages by UID."""

    def __init__(self, account: ImapAccount) -> None:
        self.account = account
        self._conn: imaplib.IMAP4 | None = None

    def __enter__(self) -> ImapMailbox:
        account = self.account
        port = account.port or _PORTS[account.security]
        try:
            if account.security == "ssl":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    account.host,
                    port,
                    ssl_context=ssl.create_default_context(),
                    timeout=account.timeout,
                )
            else:
                conn = imaplib.IMAP4(account.host, port, timeout=account.timeout)
                if account.security == "starttls":
                    conn.starttls(ssl.create_default_context())
            self._conn = conn
            conn.login(account.user, account.password())
            self._ok(conn.select(_quote(account.mailbox)), "SELECT")
        except (OSError, imaplib.IMAP4.error) as exc:
            self.close()
            raise FeedbackkitError(f"{account.url}: {exc}") from None
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                self._conn.logout()
            self._conn = None

    @property
    def conn(self) -> imaplib.IMAP4:
        if self._conn is None:
            raise FeedbackkitError(f"{self.account.url}: the mailbox is not open")
        return self._conn

    def _ok(self, response: tuple[str, list[Any]], command: str) -> list[Any]:
        status, data = response
        if status != "OK":
            detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise FeedbackkitError(f"{self.account.url}: {command} failed: {detail}")
        return data

    def _uid(self, *args: str) -> list[Any]:
        try:
            return self._ok(self.conn.uid(*args), f"UID {args[0]}")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise FeedbackkitError(f"{self.account.url}: UID {args[0]}: {exc}") from None

    def search(self) -> list[int]:
        """The UIDs of the messages to fetch (``fetch`` in the account), oldest first."""
        data = self._uid("SEARCH", _SEARCH[self.account.fetch])
        return sorted(int(uid) for uid in b" ".join(data).split())

    def size(self, uid: int) -> int:
        data = self._uid("FETCH", str(uid), "(RFC822.SIZE)")
        found = _SIZE.search(b" ".join(d for d in data if isinstance(d, bytes)))
        return int(found.group(1)) if found else 0

    def fetch(self, uid: int, *, headers_only: bool = False) -> tuple[bytes, datetime | None]:
        """The message's bytes (only its header when ``headers_only``) and its arrival time."""
        part = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
        data = self._uid("FETCH", str(uid), f"(INTERNALDATE {part})")
        for item in data:
            if isinstance(item, tuple):
                return item[1], _arrival(item[0])
        raise FeedbackkitError(f"{self.account.url}: message UID {uid} has gone")

    def mark(self, uid: int) -> None:
        """Flag the message as processed (and seen, unless the account says otherwise)."""
        flags = f"(\\Seen {PROCESSED})" if self.account.mark_seen else f"({PROCESSED})"
        self._uid("STORE", str(uid), "+FLAGS.SILENT", flags)

    def flags(self, uid: int) -> frozenset[str]:
        """The message's flags (for checks and tests)."""
        data = self._uid("FETCH", str(uid), "(FLAGS)")
        text = b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace")
        found = re.search(r"FLAGS \(([^)]*)\)", text)
        return frozenset(found.group(1).split()) if found else frozenset()


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _arrival(response: bytes) -> datetime | None:
    found = _INTERNALDATE.search(response)
    if not found:
        return None
    try:
        return datetime.strptime(found.group(1).decode("ascii").strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


@attrs.frozen
class ImapChannel:
    """The ``imap`` channel: reads the mailbox an account file (``*.imap.toml``) names.

    Options are those of the ``email`` channel (kind, attachments, limits).
    """

    name = "imap"
    suffixes = (".imap.toml",)
    option_help = EmailChannel.option_help

    email: EmailChannel = attrs.field(factory=EmailChannel)
    options: Mapping[str, str] = attrs.field(factory=dict)
    sinks: Sinks = attrs.field(factory=Sinks)

    def configure(
        self,
        options: Mapping[str, str],
        *,
        quarantine: Quarantine | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> ImapChannel:
        return attrs.evolve(
            self,
            email=self.email.configure(options),
            options=dict(options),
            sinks=Sinks(quarantine, on_skip),
        )

    def read_raw(self, raw: bytes, source: str, position: int) -> list[Item]:
        return self.email.read_raw(raw, source, position)

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        """Every message to fetch, flagged as processed once it has been handed on."""
        account = load_account(path)
        settings = self.email.settings
        with ImapMailbox(account) as box:
            for uid in box.search():
                size = box.size(uid)
                if size > settings.max_message_bytes:
                    raw, _ = box.fetch(uid, headers_only=True)
                    reason = (
                        f"message of {size} bytes exceeds the limit of "
                        f"{settings.max_message_bytes}; left on the server (UID {uid})"
                    )
                    item: Item = Rejected(
                        account.url, uid, "message", reason, raw.decode("utf-8", "replace")
                    )
                else:
                    raw, arrival = box.fetch(uid)
                    item = parse_message(
                        raw,
                        source=account.url,
                        position=uid,
                        settings=settings,
                        clock=self.email.clock,
                        arrival=arrival,
                    )
                routed = self.sinks.route(
                    item, raw, channel=self.name, options=self.options, suffix=".eml"
                )
                if routed is not None:
                    yield routed
                box.mark(uid)
