"""Find a pose model bundle and verify it against the manifest in ``models/``.

Search order: an explicit path, ``$GAIT_MODELS_DIR``, the repository's ``models/``,
then the user cache (``$XDG_CACHE_HOME/gait/models`` or ``~/.cache/gait/models``).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gait.errors import ModelChecksumMismatch, ModelNotFound, UsageError
from gait.paths import user_cache_dir
from gait.video.reader import file_sha256
from gait.vocabulary import MODEL_NAMES

REPO_MODELS = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    sha256: str
    verified: bool  # sha256 matches the manifest
    found_in: str  # "explicit" | "GAIT_MODELS_DIR" | "repo" | "user cache"


@lru_cache(maxsize=1)
def manifest() -> dict:
    with open(REPO_MODELS / "MANIFEST.json", encoding="utf-8") as fh:
        return json.load(fh)


def search_dirs() -> list[tuple[str, Path]]:
    dirs: list[tuple[str, Path]] = []
    if os.environ.get("GAIT_MODELS_DIR"):
        dirs.append(("GAIT_MODELS_DIR", Path(os.environ["GAIT_MODELS_DIR"])))
    dirs.append(("repo", REPO_MODELS))
    dirs.append(("user cache", user_cache_dir("models")))
    return dirs


def how_to_get(name: str) -> str:
    url = manifest()["official_url"].format(name=name)
    return (f"download Google's official bundle from {url} into {user_cache_dir('models')}, "
            f"or point GAIT_MODELS_DIR at a folder holding pose_landmarker_{name}.task")


def _verify(name: str, path: Path, found_in: str) -> ModelInfo:
    known = manifest()["models"][name]["sha256"]
    digest = file_sha256(path)
    if digest != known and os.environ.get("GAIT_TRUST_MODEL") != "1":
        raise ModelChecksumMismatch(
            f"{path} has sha256 {digest[:12]}…, not the {known[:12]}… listed in models/MANIFEST.json for the "
            f"{name} model: the file is damaged or another build (set GAIT_TRUST_MODEL=1 to use it anyway).")
    return ModelInfo(name, str(path), digest, digest == known, found_in)


def resolve_model(name: str = "full", path: str | os.PathLike | None = None) -> ModelInfo:
    """Return the verified bundle for ``name``; raise a GaitError saying how to get one if absent."""
    if name not in MODEL_NAMES:
        raise UsageError(f"Unknown model '{name}'; choose one of {', '.join(MODEL_NAMES)}.")
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ModelNotFound(f"Model file {p} does not exist; {how_to_get(name)}.")
        return _verify(name, p, "explicit")
    fname = manifest()["models"][name]["file"]
    for where, d in search_dirs():
        if (d / fname).is_file():
            return _verify(name, d / fname, where)
    raise ModelNotFound(f"No {name} pose model found (looked in {', '.join(str(d) for _, d in search_dirs())}); "
                        f"{how_to_get(name)}.")


def list_models() -> list[dict]:
    """One row per known model: where it was found (if anywhere) and whether its sha256 checks out."""
    rows = []
    for name in MODEL_NAMES:
        try:
            info = resolve_model(name)
            rows.append({"name": name, "path": info.path, "found_in": info.found_in, "sha256_ok": info.verified,
                         "status": "ok"})
        except (ModelNotFound, ModelChecksumMismatch) as err:
            rows.append({"name": name, "path": None, "found_in": None, "sha256_ok": False, "status": str(err)})
    return rows
