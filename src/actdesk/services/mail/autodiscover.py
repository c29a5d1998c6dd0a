"""Find the server settings of an "other" mail account from its address, where the provider publishes them.

In order: providers actdesk knows (Microsoft 365, Google: sign in instead of a password); the domain's own
Thunderbird-style autoconfig file (``autoconfig.<domain>`` and ``<domain>/.well-known/autoconfig``); then
Thunderbird's public ISPDB. Optional and offline-safe: each lookup has a short timeout, any failure only
means "enter the settings by hand", and nothing is saved until the advisor accepts what was found.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import requests

from actdesk.services.mail.oauth_providers import HttpSession

KNOWN = {
    "gmail.com": "google",
    "googlemail.com": "google",
    "outlook.com": "microsoft",
    "hotmail.com": "microsoft",
    "live.com": "microsoft",
    "onmicrosoft.com": "microsoft",
}
URLS = (
    "https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={address}",
    "https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress={address}",
    "https://autoconfig.thunderbird.net/v1.1/{domain}",
)
_SECURITY = {"SSL": "ssl", "STARTTLS": "starttls"}


@dataclass(frozen=True)
class Discovered:
    source: str  # known | the URL the settings came from
    provider: str = "password"  # microsoft | google: sign in instead
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "ssl"
    username: str = ""


def _server(root: ET.Element, tag: str, kind: str, address: str) -> tuple[str, int, str, str] | None:
    local, _, domain = address.partition("@")
    for server in root.iter(tag):
        if server.get("type") != kind:
            continue
        socket_type = (server.findtext("socketType") or "").upper()
        if socket_type not in _SECURITY:
            continue  # never suggest a plain-text server
        host = (server.findtext("hostname") or "").strip()
        port = int((server.findtext("port") or "0").strip() or 0)
        user = (server.findtext("username") or "%EMAILADDRESS%").strip()
        user = user.replace("%EMAILADDRESS%", address).replace("%EMAILLOCALPART%", local)
        user = user.replace("%EMAILDOMAIN%", domain)
        if host and port:
            return host.replace("%EMAILDOMAIN%", domain), port, _SECURITY[socket_type], user
    return None


def parse_autoconfig(text: str, address: str, source: str) -> Discovered | None:
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    imap = _server(root, "incomingServer", "imap", address)
    smtp = _server(root, "outgoingServer", "smtp", address)
    if imap is None and smtp is None:
        return None
    found = Discovered(source)
    if smtp:
        found = Discovered(source, "password", smtp[0], smtp[1], smtp[2], username=smtp[3])
    if imap:
        found = Discovered(found.source, "password", found.smtp_host, found.smtp_port, found.smtp_security,
                           imap[0], imap[1], imap[2], found.username or imap[3])  # fmt: skip
    return found


def discover(
    address: str, *, urls: tuple[str, ...] = URLS, verify: bool | str = True, timeout: float = 5.0
) -> Discovered | None:
    """The settings for ``address``, or None when nobody publishes them (or we are offline)."""
    domain = address.rpartition("@")[2].strip().lower()
    if not domain or "." not in domain:
        return None
    for known, provider in KNOWN.items():
        if domain == known or domain.endswith("." + known):
            return Discovered("known", provider)
    session = HttpSession(verify, timeout)
    try:
        for template in urls:
            url = template.format(domain=domain, address=address)
            try:
                response = session.get(url, allow_redirects=False)
            except requests.RequestException:
                continue
            if response.status_code == 200 and len(response.content) < 200_000:
                found = parse_autoconfig(response.text, address, url.split("?")[0])
                if found:
                    return found
    finally:
        session.close()
    return None
