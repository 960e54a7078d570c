"""Who may talk to the web app: the Host and Origin checks (pure functions; the middleware is in app.py).

The app has no login, so the browser on this machine is the only trusted client.
- Host: a DNS-rebinding page (evil.example resolving to 127.0.0.1) talks to us with
  ``Host: evil.example``; only the configured names are answered (421 otherwise).
- Origin: a cross-site page may still *send* requests (form posts, fetch without
  reading the answer); anything that changes data must come from one of our own
  origins. ``Origin: null`` (sandboxed iframes, file:// pages) is never ours.
See docs/security.md.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable, Mapping
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sec-Fetch-Site values a browser sends for requests from our own pages or typed by the user.
_OWN_FETCH_SITES = frozenset({"same-origin", "none"})
_WILDCARD_BINDS = ("0.0.0.0", "::", "")


def allowed_host_names(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback names, the bound address itself when it is a specific one, and names given with --allowed-host."""
    names = {*LOOPBACK_NAMES, *(n.strip().lower().strip("[]") for n in extra if n.strip())}
    if bind_host not in _WILDCARD_BINDS:
        names.add(bind_host.lower().strip("[]"))
    return frozenset(names)


def host_name(host_header: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'; '' when malformed."""
    h = host_header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[1:end] if end > 0 else ""
    if h.count(":") > 1:  # a bare IPv6 address without port
        try:
            return str(ipaddress.IPv6Address(h))
        except ValueError:
            return ""
    return h.rsplit(":", 1)[0] if ":" in h else h


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    return bool(host_header) and host_name(host_header) in allowed


def cross_site_reason(method: str, headers: Mapping[str, str], allowed: frozenset[str]) -> str | None:
    """Why a data-changing request is refused as cross-site, or None when it may proceed.

    Requests without Origin or Sec-Fetch-Site come from scripts (curl, Python), not from
    a browser tricked by another page: they are allowed, as the Host check already passed.
    """
    if method.upper() in SAFE_METHODS:
        return None
    origin = headers.get("origin")
    if origin is not None:
        if origin == "null":
            return "Origin null (a sandboxed frame or a local file)"
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not host_allowed(parts.netloc, allowed) \
                or parts.netloc.lower() != headers.get("host", "").lower():
            return f"Origin {origin[:80]}"
        return None
    site = headers.get("sec-fetch-site")
    if site is not None and site not in _OWN_FETCH_SITES:
        return f"Sec-Fetch-Site {site[:20]}"
    return None
