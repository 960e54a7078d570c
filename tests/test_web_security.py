"""The web app holds health data and has no login: against a real `gait serve` on loopback, it answers only
its own host names (DNS rebinding), takes data-changing requests only from its own pages (cross-site,
Origin: null), creates nothing for a rejected upload, and starts or fails with one clear sentence."""
from __future__ import annotations

import socket

import httpx
import pytest
from cli_support import one_sentence, run_cli
from web_support import start_server, upload

from tests.media import noise_clip

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web") / "data", "--allowed-host", "gait.lan")
    yield srv
    srv.stop()


def _host(server, host: str, path: str = "/") -> httpx.Response:
    return httpx.get(server.url + path, headers={"Host": host}, timeout=30)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "localhost.:{port}", ""])
def test_foreign_host_names_get_421_and_no_data(server, host):
    port = server.url.rsplit(":", 1)[1]
    for path in ("/", "/api/athletes", "/athletes"):
        r = _host(server, host.format(port=port), path)
        assert r.status_code == 421, (host, path, r.text)
        assert list(r.json()) == ["error"] and "answers only to" in r.json()["error"]  # nothing else leaks


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}",
                                  "gait.lan:{port}", "127.0.0.1"])
def test_own_host_names_are_served(server, host):
    port = server.url.rsplit(":", 1)[1]
    assert _host(server, host.format(port=port), "/api/athletes").status_code == 200


@pytest.mark.parametrize("headers", [{"Origin": "null"}, {"Origin": "http://evil.example"},
                                     {"Origin": "http://127.0.0.1:1"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"}, {"Origin": "file://"}])
def test_cross_site_and_sandboxed_writes_are_refused_and_change_nothing(server, headers):
    before = httpx.get(server.url + "/api/athletes", timeout=30).json()
    r = httpx.post(server.url + "/api/athletes", json={"name": "Mallory"}, headers=headers, timeout=30)
    assert r.status_code == 403 and r.json()["error"].startswith("Cross-site requests are not allowed")
    r = httpx.post(server.url + "/api/jobs", files={"video": ("a.mp4", b"x" * 100)}, data={"athlete_name": "Eve"},
                   headers=headers, timeout=30)
    assert r.status_code == 403
    assert httpx.get(server.url + "/api/athletes", timeout=30).json() == before


def test_writes_from_our_own_pages_and_from_scripts_are_accepted(server):
    own = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    r = httpx.post(server.url + "/api/athletes", json={"name": "Own Page"}, headers=own, timeout=30)
    assert r.status_code == 201
    r = httpx.post(server.url + "/api/athletes", json={"name": "Script"}, timeout=30)  # curl: no Origin
    assert r.status_code == 201


@pytest.mark.parametrize("fields, status, says", [
    ({"height_cm": "0"}, 400, "Height 0 cm is outside 90–250 cm."),
    ({"belt_speed_kmh": "0"}, 400, "Belt speed 0 m/s is outside 0.3–12 m/s."),
    ({"session_date": "yesterday"}, 400, "Session date 'yesterday' is not a date (YYYY-MM-DD)."),
    ({"view": "top"}, 400, "Unknown view 'top'"),
])
def test_a_rejected_upload_creates_no_athlete(server, tmp_path, fields, status, says):
    clip = noise_clip(tmp_path / "clip.mp4", 1).read_bytes()
    r = upload(server.url, clip, athlete_name="Nobody New", **fields)
    assert r.status_code == status and r.json()["error"].startswith(says), r.text
    assert "Nobody New" not in {a["name"] for a in httpx.get(server.url + "/api/athletes", timeout=30).json()}


def test_a_not_a_video_upload_is_recorded_but_creates_no_athlete(server):
    r = upload(server.url, b"just text\n" * 100, filename="notes.mp4", athlete_name="Text Person")
    assert r.status_code == 422 and r.json()["error"].startswith("notes.mp4 is not a video file")
    assert "Text Person" not in {a["name"] for a in httpx.get(server.url + "/api/athletes", timeout=30).json()}


def test_data_folder_is_private_and_job_files_share_one_mode(server, tmp_path):
    assert server.data.stat().st_mode & 0o777 == 0o700
    r = upload(server.url, noise_clip(tmp_path / "short.mp4", 2).read_bytes(), filename="short.mp4")
    assert r.status_code == 202
    job_dir = server.data / "jobs" / r.json()["job_id"]
    modes = {p.name: p.stat().st_mode & 0o777 for p in job_dir.iterdir() if p.is_file()}
    assert "job.json" in modes and len(set(modes.values())) == 1, modes  # job.json was 0600, input 0644


def test_a_busy_port_is_one_sentence_and_exit_12(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_cli("serve", "--port", port, "--data", tmp_path / "data", timeout=120)
    assert proc.returncode == 12, proc.stderr
    assert one_sentence(proc.stderr) == (f"gait: error: Port {port} on 127.0.0.1 is already in use (another gait "
                                         f"serve?); stop it or choose another --port.")
    assert "serving on" not in proc.stderr


def test_a_data_folder_that_cannot_be_written_is_exit_11(tmp_path):
    (tmp_path / "data").write_text("a file")
    proc = run_cli("serve", "--data", tmp_path / "data", timeout=120)
    assert proc.returncode == 11
    assert one_sentence(proc.stderr).endswith("it is a file, not a folder; choose another --data folder.")


@pytest.mark.parametrize("header, name", [("Example.ORG:8000", "example.org"), ("[::1]:8000", "::1"), ("::1", "::1"),
                                          ("127.0.0.1", "127.0.0.1"), ("[::1", ""), ("a:b:c", ""), ("", "")])
def test_host_header_parsing(header, name):
    from gait.web.guard import host_name

    assert host_name(header) == name


def test_allowed_names_follow_the_bind_address():
    from gait.web.guard import allowed_host_names

    assert allowed_host_names("0.0.0.0") == {"127.0.0.1", "localhost", "::1"}  # a wildcard is no name
    assert allowed_host_names("192.168.1.5", ["Gait.LAN "]) == {"127.0.0.1", "localhost", "::1", "192.168.1.5",
                                                                 "gait.lan"}
