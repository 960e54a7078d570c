"""Every red flag: taken in by the CLI, a symptoms file and the web form; each carries an urgency
and interim advice; any one withholds the plan."""
from __future__ import annotations

import json
import re
import time

import pytest

from gait.findings import Symptoms, SymptomsError, evaluate, load_symptoms
from gait.findings.intake import YES_NO, YES_NO_FIELDS
from gait.findings.kb import knowledge
from gait.findings.triage import red_flag_hits
from gait.result import Summary
from gait.video.reader import VideoInfo
from tests.findings_fixtures import ci, drop_summary

FLAGS = knowledge().red_flags
CLIP = drop_summary(10.5, 4.0, cadence_spm=156.0, cadence_spm_ci=ci(156, 1), speed_mps=3.2)
CLI_LIST_FLAG = {"pain_locations": "--pain", "pain_pattern": "--pain-pattern", "pain_timing": "--pain-when"}


def answers(flag) -> dict:
    """Symptom-file answers that trigger exactly this flag."""
    if flag.any_of:
        return {flag.field: [flag.any_of[-1]]}
    if flag.is_true:
        return {flag.field: True}
    return {flag.field: int(flag.at_least)}


def cli_args(flag) -> list[str]:
    if flag.any_of:
        return [CLI_LIST_FLAG[flag.field], flag.any_of[-1]]
    if flag.is_true:
        return ["--" + flag.field.replace("_", "-")]
    return ["--pain-score", f"{flag.at_least:g}"]


def form_fields(flag) -> dict[str, list[str]]:
    a = answers(flag)[flag.field]
    return {flag.field: a if isinstance(a, list) else ["1" if a is True else str(a)]}


def test_the_intake_takes_every_sign_the_issue_lists():
    wanted = {"swelling", "cannot_bear_weight", "pain_on_walking", "constant_pain", "fall_or_twist", "giving_way",
              "fever", "numbness", "leg_weakness", "bladder_or_bowel_change", "cancer_history",
              "past_stress_fracture", "low_energy_intake", "clicking_or_locking", "sudden_onset", "limping"}
    assert wanted <= set(YES_NO_FIELDS)
    assert {f.field for f in FLAGS if f.is_true} == set(YES_NO_FIELDS) - {"sudden_onset"}


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_each_flag_from_a_file(flag, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(answers(flag)))
    assert [h.id for h in red_flag_hits(load_symptoms(path))] == [flag.id]


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_each_flag_from_the_command_line(flag):
    from gait.analyze_command import _symptoms
    from gait.cli import build_parser

    args = build_parser().parse_args(["analyze", "clip.mp4", *cli_args(flag)])
    assert [h.id for h in red_flag_hits(_symptoms(args))] == [flag.id]


MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\0" * 2048


def _fake_analyze(path, progress=None, **options):
    from gait.result import Result

    r = Result(video=VideoInfo.from_dict({"path": str(path)}), model="fake", view="rear", inputs={})
    r.summary = Summary(cadence_spm=170.0)
    symptoms = options.get("symptoms")
    r.warn("flags:" + ",".join(h.id for h in red_flag_hits(symptoms)))
    r.warn("yes:" + ",".join(symptoms.yes() if symptoms is not None else ()))
    progress("done", 1.0)
    return r


def _fake_report(result, out_dir, overlay=False):
    (out_dir / "report.html").write_text("<html></html>")
    return {"report": out_dir / "report.html"}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from gait.web import create_app

    app = create_app(tmp_path_factory.mktemp("web"), analyze_fn=_fake_analyze, report_fn=_fake_report)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:  # the app answers only its own host names
        yield client


def submit(client, fields: dict) -> list[str]:
    """Upload a clip with these form fields; the warnings the (fake) analysis left."""
    r = client.post("/api/jobs", files={"video": ("run.mp4", MP4_HEAD, "video/mp4")}, data=fields,
                    headers={"Accept": "application/json"})
    assert r.status_code == 202, r.text
    job = r.json()["job_id"]
    for _ in range(200):
        s = client.get(f"/api/jobs/{job}").json()
        if s["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert s["status"] == "done", s
    return s["headline"]["warnings"]


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_each_flag_from_the_web_form(flag, web):
    assert f"flags:{flag.id}" in submit(web, form_fields(flag))


def test_the_upload_form_offers_every_question_and_choice(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from gait.web import create_app

    with TestClient(create_app(tmp_path / "data", analyze_fn=lambda *a, **k: None), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/").text
    for q in YES_NO:
        assert f'name="{q.name}"' in page and q.text in page
    assert 'value="night_lying_on_side"' in page and 'value="night_or_rest"' in page
    assert "at night, only when lying on the sore side" in page


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_each_flag_withholds_the_plan_with_urgency_and_interim_advice(flag):
    findings, recs = evaluate(CLIP, Symptoms(**answers(flag)))
    assert findings[0].id == "red_flags"
    assert [r.kind for r in recs] == ["see_clinician"]
    rec = recs[0]
    urgency = knowledge().urgency(flag.urgency)
    assert rec.urgency == flag.urgency and rec.title == urgency.title
    assert urgency.detail in rec.detail and "withheld" in rec.detail
    for interim_id in flag.interim:
        assert knowledge().interim_advice(interim_id).text in rec.detail
    assert flag.label in rec.detail
    assert rec.sources


def test_the_most_urgent_flag_sets_the_urgency_and_its_interim_advice_only():
    _, recs = evaluate(CLIP, Symptoms(cannot_bear_weight=True, pain_pattern=["worsens_during_run"]))
    rec = recs[0]
    assert rec.urgency == "today" and rec.title == "See a doctor today"
    assert "Walking is fine" not in rec.detail and "bike" not in rec.detail  # not next to a same-day sign
    _, recs = evaluate(CLIP, Symptoms(pain_score=8))
    assert recs[0].urgency == "if_not_better" and "1-2 weeks" in recs[0].title


@pytest.mark.parametrize("urgency_id", ["today", "this_week", "if_not_better"])
def test_every_urgency_is_used_by_some_flag(urgency_id):
    assert any(f.urgency == urgency_id for f in FLAGS)


def test_unknown_field_is_refused_in_one_sentence_and_new_flags_are_accepted(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("fever: yes\nnumbness: yes\npain_locations: [outside_hip]\n")
    s = load_symptoms(path)
    assert s.fever and s.numbness
    path.write_text("fevr: yes\n")
    with pytest.raises(SymptomsError) as err:
        load_symptoms(path)
    message = str(err.value)
    assert len(re.findall(r"[.!?](\s|$)", message)) == 1 and message.endswith(".")  # one sentence
    assert "'fevr'" in message and "did you mean 'fever'" in message


def test_cli_flags_for_clicking_and_sudden_onset():
    from gait.analyze_command import _symptoms
    from gait.cli import build_parser

    s = _symptoms(build_parser().parse_args(["analyze", "c.mp4", "--clicking-or-locking", "--sudden-onset",
                                            "--pain", "outside_hip"]))
    assert s.clicking_or_locking and s.sudden_onset


def test_web_upload_reaches_the_analysis_with_new_flags(web):
    warnings = submit(web, {"fever": "1", "numbness": "1", "pain_locations": "outside_hip"})
    assert "yes:fever,numbness" in warnings


def test_web_form_refuses_an_unknown_answer_in_one_sentence(web):
    r = web.post("/api/jobs", files={"video": ("run.mp4", MP4_HEAD, "video/mp4")},
                 data={"pain_timing": "at teatime"}, headers={"Accept": "application/json"})
    assert r.status_code == 400 and "pain_timing" in r.text
