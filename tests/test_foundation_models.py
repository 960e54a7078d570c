"""Model resolution order, sha256 verification, and the message when no model is found."""
from __future__ import annotations

import pytest

from gait.cli import main
from gait.errors import ModelChecksumMismatch, ModelNotFound
from gait.poses import models
from tests.conftest import SHARED_MODELS


@pytest.fixture
def no_user_models(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GAIT_MODELS_DIR", raising=False)
    monkeypatch.delenv("GAIT_TRUST_MODEL", raising=False)


def test_full_model_ships_in_the_repo_and_verifies(no_user_models):
    info = models.resolve_model("full")
    assert info.found_in == "repo" and info.verified


def test_env_dir_comes_before_repo(no_user_models, monkeypatch):
    monkeypatch.setenv("GAIT_MODELS_DIR", str(SHARED_MODELS))
    info = models.resolve_model("full")
    assert info.found_in == "GAIT_MODELS_DIR" and info.path.startswith(str(SHARED_MODELS))
    assert models.resolve_model("heavy").verified


def test_explicit_path_wins(no_user_models):
    info = models.resolve_model("lite", SHARED_MODELS / "pose_landmarker_lite.task")
    assert info.found_in == "explicit" and info.verified


def test_missing_model_says_how_to_get_it(no_user_models):
    with pytest.raises(ModelNotFound) as e:
        models.resolve_model("heavy")
    msg = str(e.value)
    assert "https://storage.googleapis.com/mediapipe-models/pose_landmarker/pose_landmarker_heavy" in msg
    assert "GAIT_MODELS_DIR" in msg


def test_checksum_mismatch_is_refused(no_user_models, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "pose_landmarker_lite.task"
    data = bytearray((SHARED_MODELS / "pose_landmarker_lite.task").read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    bad.write_bytes(bytes(data))
    monkeypatch.setenv("GAIT_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelChecksumMismatch):
        models.resolve_model("lite")
    monkeypatch.setenv("GAIT_TRUST_MODEL", "1")
    assert not models.resolve_model("lite").verified  # allowed, but marked unverified


def test_gait_models_command_lists_and_verifies(no_user_models, monkeypatch, capsys):
    monkeypatch.setenv("GAIT_MODELS_DIR", str(SHARED_MODELS))
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name in ("lite", "full", "heavy"):
        assert f"{name}" in out
    assert out.count("verified") == 3
