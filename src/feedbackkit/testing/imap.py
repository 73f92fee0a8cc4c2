"""A real IMAP server for tests: Dovecot on loopback, with one user and a maildir.

:meth:`DovecotServer.start` writes a configuration into a fresh directory (a
passwd-file user database, plain-text login allowed on loopback only, a free port),
runs ``dovecot -F`` in the foreground and waits until it greets; :meth:`stop` ends
it and removes the directory. Needs Debian's ``dovecot-imapd``
(``./dev test`` installs it); :func:`dovecot_binary` tells whether it is there.
Run as root, Dovecot's own ``dovenull``/``dovecot`` users serve logins and the mail
belongs to ``mail``; otherwise everything runs as the current user.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import attrs

__all__ = ["DovecotServer", "dovecot_binary"]

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def dovecot_binary() -> str | None:
    """The ``dovecot`` executable, or ``None`` when Dovecot is not installed."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@attrs.define
class DovecotServer:
    """A running Dovecot with one user; a context manager that stops it on exit."""

    root: Path
    port: int
    user: str
    password: str
    process: subprocess.Popen[bytes]
    host: str = "127.0.0.1"

    @classmethod
    def start(
        cls, user: str = "klachten", password: str = "geheim", timeout: float = 15.0
    ) -> DovecotServer:
        """Start a server on a free loopback port; ``RuntimeError`` with its log if it fails."""
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
        # Outside pytest's private tmp: Dovecot's unprivileged processes must reach it,
        # and socket paths must stay short.
        root = Path(tempfile.mkdtemp(prefix="fk-dovecot-"))
        root.chmod(0o755)
        try:
            server = cls._launch(binary, root, user, password, timeout)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    @classmethod
    def _launch(
        cls, binary: str, root: Path, user: str, password: str, timeout: float
    ) -> DovecotServer:
        if os.geteuid() == 0:
            mail = pwd.getpwnam("mail")
            uid, gid = mail.pw_uid, mail.pw_gid
            internal, group, login = "dovecot", "dovecot", "dovenull"
        else:
            uid, gid = os.getuid(), os.getgid()
            internal = login = pwd.getpwuid(uid).pw_name
            group = grp.getgrgid(gid).gr_name
        (root / "mail").mkdir()
        os.chown(root / "mail", uid, gid)
        (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}::::::\n", "utf-8")
        port = _free_port()
        config = root / "dovecot.conf"
        config.write_text(
            _CONFIG.format(
                root=root,
                port=port,
                uid=uid,
                gid=gid,
                internal_user=internal,
                internal_group=group,
                login_user=login,
            ),
            "utf-8",
        )
        with (root / "stderr.log").open("wb") as stderr:  # startup errors land here
            process = subprocess.Popen(
                [binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=stderr
            )
        server = cls(root, port, user, password, process)
        server._wait(timeout)
        return server

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), 1) as s,
            ):
                if s.recv(64).startswith(b"* OK"):
                    return
            time.sleep(0.05)
        log = self.log()
        self.stop()
        raise RuntimeError(f"dovecot did not start on port {self.port}:\n{log}")

    def log(self) -> str:
        """What Dovecot logged (startup errors first)."""
        paths = (self.root / "stderr.log", self.root / "dovecot.log")
        return "".join(p.read_text("utf-8", "replace") for p in paths if p.exists())

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def client(self) -> imaplib.IMAP4:
        """A logged-in client (the caller logs out)."""
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def deliver(self, *messages: bytes, mailbox: str = "INBOX") -> None:
        """Put ``messages`` into ``mailbox`` with IMAP APPEND, as a mail server would."""
        conn = self.client()
        try:
            for raw in messages:
                status, data = conn.append(mailbox, "", None, raw)
                if status != "OK":
                    raise RuntimeError(f"APPEND failed: {data!r}")
        finally:
            conn.logout()
