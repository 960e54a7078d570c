"""``gait serve``: start the local web app (uvicorn)."""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from gait.errors import UsageError


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
    p.set_defaults(func=run)
    return p


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from gait.web import create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"Port {args.port} is not between 1 and 65535.")
    if args.max_upload_mb <= 0:
        raise UsageError("--max-upload-mb must be a positive number.")
    data = Path(args.data) if args.data else default_data_dir()
    if not _is_loopback(args.host):
        print(f"gait: warning: binding {args.host} exposes the app to your network; it has no login, so anyone "
              f"who can reach this address can upload videos and read results.", file=sys.stderr)
    if args.workers < 1:
        raise UsageError("--workers must be at least 1.")
    app = create_app(data, max_upload_mb=args.max_upload_mb, db_path=args.db, workers=args.workers,
                     default_options={"model": args.model, "model_path": args.model_path})
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"gait: serving on http://{shown}:{args.port}/  (data in {data}; Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
