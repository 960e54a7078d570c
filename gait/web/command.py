"""``gait serve``: start the local web app (uvicorn)."""
from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path

from gait.errors import CannotListen, UsageError

_PRIVILEGED_PORTS = 1024  # below this, binding needs administrator rights


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "gait" / "web"


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("serve", help="start the local web app (upload clips, reports, athlete history)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this computer only; the app has no login)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--data", metavar="DIR", help=f"folder for uploads, results and the database "
                                                 f"(default {default_data_dir()})")
    p.add_argument("--db", metavar="PATH", help="SQLite database path (default DIR/gait.db)")
    p.add_argument("--max-upload-mb", type=float, default=500, metavar="N", help="largest accepted video (default 500)")
    p.add_argument("--model", default="full", choices=["lite", "full", "heavy"], help="pose model (default full)")
    p.add_argument("--model-path", help="explicit path to a pose_landmarker_*.task bundle")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="analyses run at the same time (default 1; each uses all CPU cores it can get)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="also answer requests for this host name (repeatable), e.g. the name a reverse proxy "
                        "forwards; by default only localhost, 127.0.0.1, ::1 and the --host address")
    p.set_defaults(func=run)
    return p


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or CannotListen with the reason in one sentence.

    Bound here, before anything is printed, so a busy port is reported as such (uvicorn
    would print "serving", then an errno, then exit 3).
    """
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise CannotListen(f"Cannot listen on {host}: no such host name or address (see --host).") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once after a stop (TIME_WAIT)
        sock.bind(addr)
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise CannotListen(_listen_error(host, port, err)) from None
    return sock


def _listen_error(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return f"Port {port} on {host} is already in use (another gait serve?); stop it or choose another --port."
    if err.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer; use --host 127.0.0.1 or one of its own addresses."
    if err.errno in (errno.EACCES, errno.EPERM) and port < _PRIVILEGED_PORTS:
        return f"Port {port} needs administrator rights; choose one from 1024 up with --port."
    return f"Cannot listen on {host} port {port} ({err.strerror or err})."


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from gait.outdir import check_writable
    from gait.web import create_app
    from gait.web.guard import allowed_host_names

    if not 0 < args.port < 65536:
        raise UsageError(f"Port {args.port} is not between 1 and 65535.")
    if args.max_upload_mb <= 0:
        raise UsageError("--max-upload-mb must be a positive number.")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1.")
    data = Path(args.data) if args.data else default_data_dir()
    check_writable(data, option="--data", mode=0o700)  # athletes' health data: this user only (docs/security.md)
    sock = listen(args.host, args.port)
    if not _is_loopback(args.host):
        print(f"gait: warning: binding {args.host} exposes the app to your network; it has no login, so anyone "
              f"who can reach this address can upload videos and read results.", file=sys.stderr)
    app = create_app(data, max_upload_mb=args.max_upload_mb, db_path=args.db, workers=args.workers,
                     default_options={"model": args.model, "model_path": args.model_path},
                     allowed_hosts=allowed_host_names(args.host, args.allowed_host))
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"gait: serving on http://{shown}:{args.port}/  (data in {data}; Ctrl+C to stop)", file=sys.stderr)
    try:
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down cleanly, then re-raises the Ctrl-C
        n = getattr(app.state, "interrupted", 0)
        print("gait: stopped" + (f"; {n} interrupted analysis{'es' if n != 1 else ''} will start again when the "
                                 f"server does." if n else "."), file=sys.stderr)
        return 130
    return 0
