"""Command-line options several subcommands share (analyze, batch, serve), and how they become analyze options."""
from __future__ import annotations

import argparse
import re

from gait.vocabulary import MODEL_NAMES, REQUESTABLE_VIEWS


def parse_speed(text: str) -> float:
    """Belt speed to m/s: '12' or '12kmh' = km/h (the treadmill display unit); '3.5mps' or '3.5m/s' = m/s."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(km/?h|kph|mps|m/s)?\s*", text.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a speed; write e.g. 12 (km/h), 12kmh or 3.5mps")
    value, unit = float(m.group(1)), m.group(2) or "kmh"
    return value if unit in ("mps", "m/s") else value / 3.6


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """Options shared by analyze, batch and serve defaults."""
    p.add_argument("--view", default="auto", choices=REQUESTABLE_VIEWS,
                   help="camera view (default: detect)")
    p.add_argument("--belt-speed", type=parse_speed, metavar="SPEED",
                   help="treadmill belt speed: km/h (12, 12kmh) or m/s with unit (3.5mps)")
    p.add_argument("--height-cm", type=float, metavar="CM", help="runner's height in cm (scale for overground clips)")
    p.add_argument("--model", default="full", choices=MODEL_NAMES, help="pose model (default full)")
    p.add_argument("--model-path", help="explicit path to a pose_landmarker_*.task bundle")
    p.add_argument("--no-cache", action="store_true", help="re-run pose estimation even if landmarks are cached")
    slow = p.add_mutually_exclusive_group()
    slow.add_argument("--capture-fps", type=float, metavar="N",
                      help="frames/s the clip was filmed at, for slow motion exported at a lower rate (e.g. 240)")
    slow.add_argument("--slowmo", type=float, metavar="FACTOR",
                      help="how many times slower than real time the clip plays (e.g. 8 for 240 fps shown at 30)")


def options_from_args(args: argparse.Namespace) -> dict:
    return {"view": args.view, "belt_speed_mps": args.belt_speed,
            "height_m": args.height_cm / 100.0 if args.height_cm is not None else None, "model": args.model,
            "model_path": args.model_path, "use_cache": not args.no_cache,
            "capture_fps": getattr(args, "capture_fps", None), "slowmo": getattr(args, "slowmo", None)}
