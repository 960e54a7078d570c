"""Web app API: upload -> job -> result, history trends, upload limits, bad uploads, path traversal.

The analysis and report are replaced by fakes (injected into create_app) so these
tests run in a second; test_web_browser.py runs the real pipeline end to end.
"""
from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from gait.errors import NotEnoughGait  # noqa: E402
from gait.result import Finding, Result, Summary  # noqa: E402
from gait.video.reader import VideoInfo  # noqa: E402
from gait.web import create_app  # noqa: E402

LOCAL = "http://127.0.0.1:8000"  # the app answers only its own host names (DNS rebinding), not "testserver"
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
GATE = threading.Event()  # tests that need a job to stay "running" clear it


def fake_video(cadence: float = 170.0, drop_l: float = 8.0, drop_r: float = 6.0, tag: str = "") -> bytes:
    """Bytes that pass the container sniff; the fake analysis reads its numbers from them."""
    spec = json.dumps({"cadence": cadence, "drop_l": drop_l, "drop_r": drop_r, "tag": tag}).encode()
    return MP4_HEAD + b"SPEC" + spec + b"\n" + b"\0" * 2048


def fake_analyze(path, progress=None, **options) -> Result:
    data = Path(path).read_bytes()
    spec = json.loads(data[data.index(b"SPEC") + 4:data.index(b"\n")])
    progress("poses", 0.5)
    assert GATE.wait(10)
    if spec["tag"] == "nogait":
        raise NotEnoughGait(f"Only 1 stride was found in {Path(path).name}; at least 4 are needed.")
    if spec["tag"] == "bug":
        raise ZeroDivisionError("boom")
    r = Result(video=VideoInfo.from_dict({"path": str(path)}), model="fake", view="rear", inputs=dict(options, symptoms=None))
    r.summary = Summary(cadence_spm=spec["cadence"], pelvic_drop_left_deg=spec["drop_l"],
                        pelvic_drop_right_deg=spec["drop_r"], contact_time_ms=250.0)
    r.findings = [Finding(id="drop", title="Pelvic drop above 7°", severity="mild", side="left", values={},
                          threshold="> 7°", evidence="heuristic", mechanism=[], explanation="", sources=[])]
    if options.get("symptoms") is not None:
        r.warn("symptoms:" + ",".join(options["symptoms"].pain_locations))
    progress("done", 1.0)
    return r


def fake_report(result, out_dir, overlay=False) -> dict:
    out = Path(out_dir)
    (out / "report.html").write_text("<html><body><h1>Gait report</h1></body></html>")
    (out / "strides.csv").write_text("side,foot_strike_s\nleft,0.1\n")
    files = {"report": out / "report.html", "strides": out / "strides.csv"}
    if overlay:
        (out / "overlay.webm").write_bytes(b"\x1a\x45\xdf\xa3webm")
        files["overlay"] = out / "overlay.webm"
    return files


@pytest.fixture
def client(tmp_path):
    GATE.set()
    app = create_app(tmp_path / "data", max_upload_mb=1, analyze_fn=fake_analyze, report_fn=fake_report,
                     workers=2)
    with TestClient(app, base_url=LOCAL) as c:
        yield c
    GATE.set()


def upload(client, content: bytes, filename: str = "run.mp4", **fields):
    data = {k: v for k, v in fields.items()}
    return client.post("/api/jobs", files={"video": (filename, content, "video/mp4")}, data=data,
                       headers={"Accept": "application/json"})


def wait(client, job_id: str, timeout: float = 10.0) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = client.get(f"/api/jobs/{job_id}").json()
        if s["status"] in ("done", "failed"):
            return s
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {s}")


def test_upload_job_result_flow(client):
    GATE.clear()  # hold the worker so the running state is observable
    r = upload(client, fake_video(), athlete_name="Ana Runner", belt_speed_kmh="12", height_cm="170",
               view="rear", pain_locations="outside_hip", pain_side="left", pain_score="3")
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", job_id)
    for _ in range(100):
        s = client.get(f"/api/jobs/{job_id}").json()
        if s["status"] == "running" and s["progress"] > 0:
            break
        time.sleep(0.05)
    assert s["status"] == "running" and s["stage"] == "poses" and 0 < s["progress"] < 1
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200 and 'id="progress-card"' in page.text
    GATE.set()
    s = wait(client, job_id)
    assert s["status"] == "done", s
    assert s["progress"] == 1.0 and s["assessment_id"]
    assert s["headline"]["cadence_spm"] == 170.0
    assert "symptoms:outside_hip" in s["headline"]["warnings"]
    # the options reached analyze in SI units
    result = client.get(s["files"]["result_json"]).json()
    assert result["inputs"]["belt_speed_mps"] == pytest.approx(12 / 3.6)
    assert result["inputs"]["height_m"] == pytest.approx(1.7)
    assert result["inputs"]["view"] == "rear"
    page = client.get(f"/jobs/{job_id}").text
    assert 'id="report"' in page and "report.html" in page  # iframe
    assert '<video id="overlay"' in page and "overlay.webm" in page
    assert "Download result.json" in page and "Download strides.csv" in page
    assert "Ana Runner" in page
    dl = client.get(s["files"]["strides_csv"] + "?download=1")
    assert dl.status_code == 200 and "attachment" in dl.headers["content-disposition"]
    assert dl.text.startswith("side,foot_strike_s")
    assert client.get(s["files"]["report_html"]).text.startswith("<html>")


def test_history_two_sessions_trend(client):
    a = client.post("/api/athletes", json={"name": "Ben"}).json()
    j1 = upload(client, fake_video(162, 9.0, 7.5), athlete_id=str(a["id"]), session_date="2026-01-10",
                notes="first visit").json()["job_id"]
    j2 = upload(client, fake_video(171, 5.5, 5.0), athlete_name="ben", session_date="2026-03-02").json()["job_id"]
    assert wait(client, j1)["status"] == wait(client, j2)["status"] == "done"
    athletes = client.get("/api/athletes").json()
    assert [x["name"] for x in athletes] == ["Ben"] and athletes[0]["sessions"] == 2  # "ben" is the same athlete
    trend = client.get(f"/api/athletes/{a['id']}/trend").json()
    assert trend["date"] == ["2026-01-10", "2026-03-02"]
    assert trend["cadence_spm"] == [162, 171]
    assert trend["pelvic_drop_left_deg"] == [9.0, 5.5] and trend["pelvic_drop_right_deg"] == [7.5, 5.0]
    page = client.get(f"/athletes/{a['id']}").text
    assert 'src="/static/plotly.min.js"' in page and "chart-drop" in page and "first visit" in page
    assert "cdn" not in page.lower()
    sid = trend["assessment_id"][1]
    assert client.post(f"/api/assessments/{sid}/notes", json={"notes": "better after 6 weeks"}).json()["ok"]
    assert "better after 6 weeks" in client.get(f"/athletes/{a['id']}").text
    assert client.get("/static/plotly.min.js").text.count("Plotly") > 10


def test_data_survives_restart(tmp_path):
    GATE.set()
    app = create_app(tmp_path / "d", analyze_fn=fake_analyze, report_fn=fake_report)
    with TestClient(app, base_url=LOCAL) as c:
        job_id = upload(c, fake_video(), athlete_name="Cy").json()["job_id"]
        wait(c, job_id)
    with TestClient(create_app(tmp_path / "d", analyze_fn=fake_analyze, report_fn=fake_report), base_url=LOCAL) as c:
        assert c.get(f"/api/jobs/{job_id}").json()["status"] == "done"
        assert c.get("/api/athletes").json()[0]["sessions"] == 1


def test_upload_over_limit_is_413(client):
    big = MP4_HEAD + b"\0" * (1 << 20) + b"x" * 10  # limit is 1 MB
    r = upload(client, big)
    assert r.status_code == 413
    assert "1 MB upload limit" in r.json()["error"]
    # no job folder keeps the partial file
    data = Path(client.app.state.jobs.root)
    assert not list(data.rglob("upload.part")) and not list(data.rglob("input*"))


def test_streamed_upload_without_length_stops_at_limit(client):
    body_parts = [b"--XyZ\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\n\r\n", MP4_HEAD]
    sent = {"n": 0}

    def gen():
        for p in body_parts:
            yield p
        for _ in range(64):  # 4 MB in 64 KB chunks, no Content-Length header
            sent["n"] += 1
            yield b"\0" * 65536
        yield b"\r\n--XyZ--\r\n"

    r = client.post("/api/jobs", content=gen(), headers={"Content-Type": "multipart/form-data; boundary=XyZ"})
    assert r.status_code == 413


def test_text_file_named_mp4_fails_clearly_and_others_run(client):
    good = upload(client, fake_video(tag="ok"), filename="good.mp4").json()["job_id"]
    bad = upload(client, b"hello, this is not a video\n" * 50, filename="notes.mp4")
    assert bad.status_code == 422
    body = bad.json()
    assert body["status"] == "failed"
    assert body["error"].startswith("notes.mp4 is not a video file")
    assert body["error"].count(".") <= 3 and "\n" not in body["error"]  # one sentence
    assert wait(client, body["job_id"])["status"] == "failed"
    page = client.get(body["page_url"]).text
    assert "notes.mp4 is not a video file" in page
    assert wait(client, good)["status"] == "done"


def test_analysis_errors_stay_on_their_job(client):
    nogait = upload(client, fake_video(tag="nogait"), filename="short.MOV").json()["job_id"]
    bug = upload(client, fake_video(tag="bug"), filename="x.mp4").json()["job_id"]
    ok = upload(client, fake_video(tag="ok")).json()["job_id"]
    s = wait(client, nogait)
    assert s["status"] == "failed"
    assert s["error"] == "Only 1 stride was found in short.MOV; at least 4 are needed."  # user's name, not ours
    s = wait(client, bug)
    assert s["status"] == "failed" and "ZeroDivisionError" in s["error"] and "Traceback" not in s["error"]
    assert wait(client, ok)["status"] == "done"


@pytest.mark.parametrize("name", ["../../etc/passwd.mp4", "..\\..\\win.ini.mp4", "/abs/path/evil.mp4",
                                  "a/../../b.mp4", "con.mp4\x00.txt", "..", ""])
def test_path_traversal_filenames_are_never_paths(client, tmp_path, name):
    r = upload(client, fake_video(), filename=name)
    if name == "":  # no file name at all: multipart treats it as a plain field
        assert r.status_code == 400
        return
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    s = wait(client, job_id)
    assert s["status"] == "done"
    root = Path(client.app.state.jobs.root)
    files = {p.relative_to(root).parts[0] for p in root.rglob("*")}
    assert files <= {d.name for d in root.iterdir() if re.fullmatch(r"[0-9a-f]{32}", d.name)}
    assert sorted(p.name for p in (root / job_id).iterdir() if p.is_file())[:2] == ["input.mp4", "job.json"]
    assert not (tmp_path / "etc").exists() and not Path("/abs/path/evil.mp4").exists()
    assert "/" not in s["display_name"] and "\\" not in s["display_name"] and "\x00" not in s["display_name"]


def test_file_route_serves_only_whitelisted_files(client):
    job_id = upload(client, fake_video()).json()["job_id"]
    wait(client, job_id)
    for name in ["../job.json", "..%2Fjob.json", "../input.mp4", "%2e%2e/job.json", "/etc/passwd", "out/result.json"]:
        assert client.get(f"/jobs/{job_id}/files/{name}").status_code == 404, name
    for bad_id in ["..", "abc", "0" * 31 + "g"]:
        assert client.get(f"/api/jobs/{bad_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/files/result.json").status_code == 200


def test_bad_form_values_are_400_with_one_sentence(client):
    r = upload(client, fake_video(), belt_speed_kmh="fast")
    assert r.status_code == 400 and r.json()["error"] == "Belt speed 'fast' is not a number."
    r = upload(client, fake_video(), height_cm="20")
    assert r.status_code == 400 and "outside 90–250 cm" in r.json()["error"]
    r = upload(client, fake_video(), view="top")
    assert r.status_code == 400 and "Unknown view" in r.json()["error"]
    r = upload(client, fake_video(), pain_locations="elbow")
    assert r.status_code == 400 and "elbow" in r.json()["error"]
    r = upload(client, fake_video(), athlete_id="999")
    assert r.status_code == 400
    r = client.post("/api/jobs", data={"view": "rear"})
    assert r.status_code == 400
    assert not [p for p in Path(client.app.state.jobs.root).iterdir()]  # nothing left behind


def test_cross_site_post_is_refused(client):
    r = client.post("/api/athletes", json={"name": "X"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert client.post("/api/athletes", json={"name": "X"}, headers={"Origin": LOCAL}).status_code == 201


def test_serve_command_defaults_to_localhost():
    from gait.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000 and args.max_upload_mb == 500
    args = build_parser().parse_args(["serve", "--port", "9001", "--data", "/tmp/x", "--max-upload-mb", "50"])
    assert (args.port, args.data, args.max_upload_mb) == (9001, "/tmp/x", 50)


def crash_or_analyze(path, progress=None, **options) -> Result:
    """Process-pool fake: 'crash' kills the worker process outright, like a decoder segfault."""
    import os

    if b'"tag": "crash"' in Path(path).read_bytes()[:200]:
        os._exit(139)
    GATE.set()  # a fresh worker process has its own, unset, event
    return fake_analyze(path, progress, **options)


def test_worker_process_crash_fails_only_that_job(tmp_path):
    app = create_app(tmp_path / "d", analyze_fn=crash_or_analyze, report_fn=fake_report, use_processes=True)
    with TestClient(app, base_url=LOCAL) as c:
        crash = upload(c, fake_video(tag="crash"), filename="broken.mp4").json()["job_id"]
        ok = upload(c, fake_video(171, 5.0, 5.0)).json()["job_id"]
        s = wait(c, crash, timeout=90)
        assert s["status"] == "failed" and s["error"].startswith("The analysis process crashed on broken.mp4")
        s = wait(c, ok, timeout=90)
        assert s["status"] == "done" and s["headline"]["cadence_spm"] == 171


def test_truncated_video_fails_in_probe_with_users_file_name(tmp_path):
    """Real gait.pipeline.analyze: passes the magic-byte check, then probe rejects it in the worker."""
    clip = Path(__file__).resolve().parents[1].parent / "shared" / "sample_videos" / "phantom" / "rear_drop0_169spm_60fps.mp4"
    if not clip.exists():
        pytest.skip("sample clip not available")
    app = create_app(tmp_path / "d", report_fn=fake_report, use_processes=False)
    with TestClient(app, base_url=LOCAL) as c:
        r = upload(c, clip.read_bytes()[:40_000], filename="IMG_0001.MOV")
        assert r.status_code == 202
        s = wait(c, r.json()["job_id"], timeout=60)
    assert s["status"] == "failed"
    assert s["error"].startswith("IMG_0001.MOV ") and "input." not in s["error"], s["error"]


def test_a_job_cut_off_by_a_stop_is_interrupted_then_run_again(tmp_path):
    GATE.clear()  # the job stays running until the app is gone
    app = create_app(tmp_path / "d", analyze_fn=fake_analyze, report_fn=fake_report)
    c = TestClient(app, base_url=LOCAL)
    job_id = upload(c, fake_video()).json()["job_id"]
    end = time.monotonic() + 10
    while c.get(f"/api/jobs/{job_id}").json()["status"] != "running" and time.monotonic() < end:
        time.sleep(0.02)
    assert app.state.jobs.shutdown() == 1
    assert c.get(f"/api/jobs/{job_id}").json()["status"] == "interrupted"
    with TestClient(create_app(tmp_path / "d", analyze_fn=fake_analyze, report_fn=fake_report), base_url=LOCAL) as c2:
        s = c2.get(f"/api/jobs/{job_id}").json()
        assert s["status"] in ("queued", "running"), s  # queued again, not "please upload again"
        GATE.set()
        s = wait(c2, job_id)
    assert s["status"] == "done" and s["attempts"] == 2 and s["assessment_id"]


def test_container_sniff_and_display_names(tmp_path):
    from gait.web.upload import display_name, sniff_container

    cases = {b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00": ".mov", MP4_HEAD: ".mp4",
             b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat": ".mp4", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81": ".mkv",
             b"RIFF\x00\x00\x00\x00AVI LIST": ".avi", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR": None,
             b"GIF89a": None, b"hello world, text": None, b"": None}
    for i, (head, ext) in enumerate(cases.items()):
        p = tmp_path / f"f{i}"
        p.write_bytes(head)
        assert sniff_container(p) == ext, head
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\me\\IMG_1.MOV") == "IMG_1.MOV"
    assert display_name("a\x00b\r\n.mp4") == "ab.mp4"
    assert display_name("..") == "video" and display_name(None) == "video"
    assert len(display_name("x" * 500 + ".mp4")) == 80


def test_add_athlete_from_plain_form_redirects(client):
    r = client.post("/api/athletes", data={"name": "  Eve   Long  "}, headers={"Accept": "text/html"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/athletes/")
    page = client.get(r.headers["location"], headers={"Accept": "text/html"})
    assert "<h1>Eve Long</h1>" in page.text and "No assessments yet" in page.text
    assert client.get("/athletes/999", headers={"Accept": "text/html"}).status_code == 404
    assert client.post("/api/athletes", json={"name": "   "}).status_code == 400


def test_hostile_names_are_escaped(client):
    name = '<img src=x onerror=alert(1)>.mp4'
    job_id = upload(client, fake_video(), filename=name, athlete_name="<b>Bo</b>").json()["job_id"]
    wait(client, job_id)
    for url in (f"/jobs/{job_id}", "/athletes", "/"):
        text = client.get(url).text
        assert "<img src=x" not in text and "<b>Bo</b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;.mp4" in client.get(f"/jobs/{job_id}").text


def test_serve_rejects_bad_options(capsys):
    from gait.cli import main

    assert main(["serve", "--port", "0"]) == 2
    assert main(["serve", "--max-upload-mb", "-1"]) == 2
    err = capsys.readouterr().err
    assert "Port 0 is not between 1 and 65535." in err and "--max-upload-mb must be a positive number." in err
