"""A throwaway Dovecot IMAP server on 127.0.0.1 (Debian ``dovecot-imapd``) for the reply-watcher tests.

Its own configuration, runtime folder, log and mail folders live in a temporary directory; users come from a
passwd-file (password logins) and from an OAuth 2.0 introspection endpoint (XOAUTH2 logins), so no system user
or system configuration is touched. Implicit TLS with a certificate from the tests' own authority.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
IMAP_USER, IMAP_PASSWORD = "pat@harbor.example", "imap-pass-1"


def available() -> str | None:
    """None when Dovecot can run here, else the reason (shown by the skipped tests)."""
    if not Path(DOVECOT).exists():
        return "Dovecot is not installed (apt-get install dovecot-imapd; .ci/run installs it)"
    if os.geteuid() != 0:
        return "the throwaway Dovecot needs root (it switches to the 'nobody' user for mail)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    cert_pem: str
    key_pem: str
    introspection_url: str
    cafile: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def conf(self) -> Path:
        return self.root / "dovecot.conf"

    def write_config(self) -> None:
        r = self.root
        (r / "passwd").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
        (r / "cert.pem").write_text(self.cert_pem)
        (r / "key.pem").write_text(self.key_pem)
        (r / "ca.pem").write_text(Path(self.cafile).read_text())  # readable by Dovecot's auth process
        (r / "oauth2.conf").write_text(
            f"introspection_mode = post\nintrospection_url = {self.introspection_url}\n"
            f"username_attribute = username\nactive_attribute = active\nactive_value = true\n"
            f"tls_ca_cert_file = {r}/ca.pem\n"
        )
        self.conf.write_text(f"""
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
info_log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{r}/cert.pem
ssl_key = <{r}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2 oauthbearer
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:{r}/mail/%n
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
mail_privileged_group =
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {r}/oauth2.conf
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={r}/mail/%n
}}
""")

    def start(self) -> Dovecot:
        self.write_config()
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir(exist_ok=True)
        os.chmod(self.root / "mail", 0o777)
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "Dovecot did not start: "
                    + (self.process.stderr.read().decode() if self.process.stderr else "")
                    + self.log()
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Dovecot did not listen in time: " + self.log())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def make(cert_pem: str, key_pem: str, cafile: str, introspection_url: str) -> Dovecot:
    root = Path(tempfile.mkdtemp(prefix="actdesk-dovecot-"))
    os.chmod(root, 0o755)
    return Dovecot(root, _free_port(), cert_pem, key_pem, introspection_url, cafile)
