"""One sentence and a documented exit code for every fault of ``gait analyze`` / ``gait batch``, through the
real command, and nothing already computed lost: --out problems, usage errors, out-of-range values, stderr
noise under --quiet, the video path in result.json, file modes."""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from cli_support import (
    as_nobody_prefix,
    cli_env,
    one_sentence,
    read_only_mount_prefix,
    run_cli,
)
from conftest import PHANTOM

from gait.errors import EXIT_CODES

SIDE = PHANTOM / "side_right_drop4_169spm_60fps.mp4"  # landmarks cached: analyse takes seconds
REAR = PHANTOM / "rear_drop0_169spm_60fps.mp4"


def _clips(tmp_path: Path) -> Path:
    d = tmp_path / "clips"
    d.mkdir()
    (d / SIDE.name).symlink_to(SIDE)
    return d


def test_exit_code_table_in_readme_matches_the_errors():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, flags=re.M))
    assert sorted(map(int, table)) == sorted(EXIT_CODES)


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_out_that_is_a_file_is_one_sentence_exit_11(tmp_path, command):
    taken = tmp_path / "results"
    taken.write_text("a file, not a folder\n")
    target = SIDE if command == "analyze" else _clips(tmp_path)
    proc = run_cli(command, target, "--out", taken, "--quiet")
    assert proc.returncode == 11, proc.stderr
    assert one_sentence(proc.stderr) == (f"gait: error: Cannot write to {taken}: it is a file, not a folder; "
                                         f"choose another --out folder.")
    assert taken.read_text() == "a file, not a folder\n"


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_out_in_a_folder_without_write_permission_is_one_sentence_exit_11(tmp_path, command):
    prefix = as_nobody_prefix()
    if prefix is None:
        pytest.skip("running as root and cannot drop to an unprivileged user here")
    open_dir = Path(tempfile.mkdtemp(prefix="gait-test-"))  # pytest's own tmp folders are 0700: not for nobody
    try:
        open_dir.chmod(0o755)
        locked = open_dir / "locked"
        locked.mkdir(mode=0o555)
        target = SIDE if command == "analyze" else _clips(open_dir)
        proc = run_cli(command, target, "--out", locked / "out", "--quiet", prefix=prefix)
    finally:
        shutil.rmtree(open_dir)
    assert proc.returncode == 11, proc.stderr
    assert one_sentence(proc.stderr).endswith(f"Cannot write to {locked / 'out'}: permission denied; "
                                              f"choose another --out folder.")


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_out_on_a_read_only_filesystem_is_one_sentence_exit_11(tmp_path, command):
    ro = tmp_path / "ro"
    prefix = read_only_mount_prefix(ro)
    if prefix is None:
        pytest.skip("needs root and unshare to mount a read-only filesystem")
    target = SIDE if command == "analyze" else _clips(tmp_path)
    proc = run_cli(command, target, "--out", ro / "out", "--quiet", prefix=prefix)
    assert proc.returncode == 11, proc.stderr
    assert one_sentence(proc.stderr).endswith("it is on a read-only filesystem; choose another --out folder.")


def test_a_write_failing_after_the_analysis_says_what_is_kept_and_where(tmp_path):
    out = tmp_path / "out"
    (out / "result.json").mkdir(parents=True)  # the folder is writable, the result file cannot be made
    proc = run_cli("analyze", SIDE, "--out", out, "--quiet")
    assert proc.returncode == 11, proc.stderr
    line = one_sentence(proc.stderr)
    assert line.startswith(f"gait: error: Could not write the results to {out} "
                           f"(a folder of that name is in the way)")
    assert f"the landmarks are cached in {os.environ['GAIT_CACHE_DIR']}, so re-running with a writable --out skips pose estimation" in line
    # the report fails next: result.json is written first and the message points at it
    shutil.rmtree(out)
    (out / "report.html").mkdir(parents=True)
    proc = run_cli("analyze", SIDE, "--out", out, "--quiet")
    assert proc.returncode == 11, proc.stderr
    assert f"{out / 'result.json'} holds every number and the landmarks are cached in" in one_sentence(proc.stderr)
    assert json.loads((out / "result.json").read_text())["summary"]["cadence_spm"] > 150
    rerun = run_cli("analyze", SIDE, "--out", tmp_path / "again", "--no-report")
    assert rerun.returncode == 0 and json.loads((tmp_path / "again" / "result.json").read_text())[
        "inputs"]["landmarks_from_cache"] is True


@pytest.mark.parametrize("argv, says", [
    (["analyze", "clip.mp4", "--view", "top"], "argument --view: invalid choice: 'top'"),
    (["analyze", "clip.mp4", "--belt-speed", "fast"], "'fast' is not a speed"),
    (["batch", "clips"], "the following arguments are required: --out"),
    (["serve", "--port", "eighty"], "argument --port: invalid int value: 'eighty'"),
    (["analyse", "clip.mp4"], "argument command: invalid choice: 'analyse'"),
])
def test_usage_errors_are_one_sentence_and_point_at_help(argv, says):
    proc = run_cli(*argv)
    assert proc.returncode == 2
    line = one_sentence(proc.stderr)
    assert says in line
    cmd = "gait" if argv[0] == "analyse" else f"gait {argv[0]}"
    assert line.startswith(f"{cmd}: error: ") and line.endswith(f"; see {cmd} --help.")


def test_a_file_named_like_an_option_gets_a_hint(tmp_path):
    (tmp_path / "-clip.mp4").write_bytes(b"")
    proc = run_cli("analyze", "-clip.mp4", cwd=tmp_path)
    assert proc.returncode == 2
    assert "for a file named -clip.mp4, write ./-clip.mp4 or put it after --" in one_sentence(proc.stderr)


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_height_zero_is_refused_like_any_out_of_range_height(tmp_path, command):
    target = SIDE if command == "analyze" else _clips(tmp_path)
    proc = run_cli(command, target, "--height-cm", "0", "--out", tmp_path / "o", "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert one_sentence(proc.stderr) == "gait: error: Height 0 cm is outside 90–250 cm."


def test_result_json_finds_its_video_from_any_folder_and_files_share_one_mode(tmp_path):
    """result.json keeps the path as typed and the absolute one: `gait report` run elsewhere still finds the
    clip (key frames remade, no "not there any more"). Every output file gets the same umask-based mode."""
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir(), elsewhere.mkdir()
    shutil.copy(SIDE, work / "run 1.mp4")
    env = cli_env()
    proc = run_cli("analyze", "run 1.mp4", "--out", "res", "--quiet", cwd=work, env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    data = json.loads((work / "res" / "result.json").read_text())
    assert data["video"]["path"] == "run 1.mp4"
    assert data["video"]["absolute_path"] == str(work / "run 1.mp4")
    modes = {p.name: p.stat().st_mode & 0o777 for p in (work / "res").iterdir() if p.is_file()}
    umask = os.umask(0o022); os.umask(umask)
    assert set(modes.values()) == {0o666 & ~umask}, modes  # result.json is not the odd one out (was 0600)
    shutil.rmtree(work / "res" / "keyframes")
    proc = run_cli("report", work / "res" / "result.json", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert "not there any more" not in proc.stderr and (work / "res" / "keyframes" / "index.json").is_file()


@pytest.mark.slow
def test_rear_view_runs_print_nothing_under_quiet_nor_into_the_batch_progress(tmp_path):
    """The pelvis segmenter's MediaPipe/TFLite banners used to escape the silencer (GLOG not muted here)."""
    env = {k: v for k, v in cli_env().items() if not k.startswith("GLOG_")}
    proc = run_cli("analyze", REAR, "--out", tmp_path / "a", "--quiet", "--no-report", env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / REAR.name).symlink_to(REAR)
    proc = run_cli("batch", clips, "--out", tmp_path / "b", "--no-report", "--workers", "1", env=env)
    assert proc.returncode == 0, proc.stderr
    noise = [ln for ln in proc.stderr.splitlines() if not ln.startswith(("gait batch", "Wrote:")) and ln.strip()]
    assert noise == [], proc.stderr


def test_a_landmark_cache_that_cannot_be_written_is_only_a_miss(tmp_path, monkeypatch, poses_of):
    import gait.poses as poses
    from gait.video import probe

    series = poses_of(SIDE)
    monkeypatch.setattr(poses, "estimate_clip",  # the estimate itself is not under test here
                        lambda video, model, **kw: poses.Estimate(series.with_arrays(video=video), False))
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path / "cache"))
    got, cached = poses.load_or_estimate(probe(SIDE), poses.resolve_model("full", None))
    assert cached is False and len(got.t_s) == len(series.t_s)


def test_report_into_an_out_that_is_a_file_is_exit_11(tmp_path):
    from report_fixtures import make_result

    (tmp_path / "result.json").write_text(make_result(view="side_right", video_path=str(SIDE)).to_json())
    (tmp_path / "taken").write_text("x")
    proc = run_cli("report", tmp_path / "result.json", "--out", tmp_path / "taken")
    assert proc.returncode == 11 and "it is a file, not a folder" in one_sentence(proc.stderr)


@pytest.mark.parametrize("content", [None, b"just notes\n"])
def test_a_refused_input_leaves_no_empty_output_folder(tmp_path, content):
    clip = tmp_path / "clip.mp4"
    if content is not None:
        clip.write_bytes(content)
    proc = run_cli("analyze", clip, "--quiet")
    assert proc.returncode == (3 if content is None else 4), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["clip.mp4"])
