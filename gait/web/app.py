"""The web app: upload a clip, watch the analysis, read the report, follow an athlete over time.

Pages render with Jinja2 (autoescaped); the browser polls ``/api/jobs/{id}`` while a
background worker runs ``gait.pipeline.analyze`` (never inside the request).
"""
from __future__ import annotations

import re
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from gait.web import upload as up
from gait.web.db import Database, normalize_athlete_name
from gait.web.guard import allowed_host_names, cross_site_reason, host_allowed
from gait.web.jobs import Job, JobManager, QueueFull

HERE = Path(__file__).parent
VIEWS = [("auto", "Detect automatically"), ("side", "Side (either side)"), ("side_left", "Side, runner's left"),
         ("side_right", "Side, runner's right"), ("rear", "From behind"), ("front", "From the front")]


def _vocab() -> dict[str, tuple]:
    """Symptom choices from the findings vocabulary, so the form and the CLI accept the same words."""
    from gait.findings.intake import form_vocabulary

    return form_vocabulary()  # list fields as (value, label) choices, plus the yes/no questions


@dataclass
class _Site:
    """What every route needs: the stores, the page renderer and the limits."""

    db: Database
    jobs: JobManager
    templates: Jinja2Templates
    max_upload_mb: float
    defaults: dict[str, Any]
    allowed: frozenset[str]

    @property
    def max_bytes(self) -> int:
        return int(self.max_upload_mb * (1 << 20))

    def page(self, request: Request, name: str, code: int = 200, **ctx: Any) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, {"max_upload_mb": self.max_upload_mb, **ctx},
                                               status_code=code)


def create_app(data_dir: str | Path, *, max_upload_mb: float = 500, analyze_fn: Callable | None = None,
               db_path: str | Path | None = None, report_fn: Callable | None = None, workers: int = 1,
               use_processes: bool | None = None, job_timeout_s: float = 1800.0,
               default_options: dict[str, Any] | None = None, allowed_hosts: Iterable[str] | None = None) -> FastAPI:
    """Build the app. ``analyze_fn`` / ``report_fn`` replace gait.pipeline.analyze / gait.report.write_outputs
    (tests); injected functions run in a thread unless ``use_processes`` is set (they must then be picklable).
    ``default_options``: server-wide analyze options (e.g. model, model_path) under each upload's own.
    ``allowed_hosts``: the Host names answered (default: loopback only; see gait.web.guard)."""
    data = Path(data_dir)
    if not data.exists():
        data.mkdir(parents=True, mode=0o700)  # athletes' health data: this user only (docs/security.md)
    db = Database(db_path or data / "gait.db")
    if use_processes is None:
        use_processes = analyze_fn is None and report_fn is None
    jobs = JobManager(data / "jobs", db, analyze_fn=analyze_fn, report_fn=report_fn, workers=workers,
                      use_processes=use_processes, job_timeout_s=job_timeout_s)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["num"] = _num
    site = _Site(db, jobs, templates, max_upload_mb, default_options or {},
                 frozenset(allowed_hosts) if allowed_hosts is not None else allowed_host_names("127.0.0.1"))

    @asynccontextmanager
    async def lifespan(app_: FastAPI):
        yield
        app_.state.interrupted = jobs.shutdown()  # running jobs are queued again on the next start

    app = FastAPI(title="gait", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db, app.state.jobs, app.state.max_upload_mb = db, jobs, max_upload_mb
    for add in (_guard, _pages, _files, _api_jobs, _api_athletes, _errors):
        add(app, site)
    # after the plotly route, so /static/plotly.min.js is not shadowed by the folder
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app


def _guard(app: FastAPI, site: _Site) -> None:
    @app.middleware("http")
    async def own_pages_only(request: Request, call_next):
        # No login: answer only our own host names (DNS rebinding) and our own pages' posts (cross-site).
        if not host_allowed(request.headers.get("host"), site.allowed):
            return JSONResponse({"error": f"This server answers only to {', '.join(sorted(site.allowed))}; start "
                                          f"gait serve with --allowed-host NAME to add a name."}, status_code=421)
        why = cross_site_reason(request.method, request.headers, site.allowed)
        if why is not None:
            return JSONResponse({"error": f"Cross-site requests are not allowed ({why})."}, status_code=403)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def _pages(app: FastAPI, site: _Site) -> None:
    db, jobs, page = site.db, site.jobs, site.page

    @app.get("/", response_class=HTMLResponse)
    def upload_page(request: Request, athlete: int | None = None):
        return page(request, "upload.html", athletes=db.list_athletes(), views=VIEWS, vocab=_vocab(),
                    selected_athlete=athlete, today=date.today().isoformat())

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str):
        job = _job_or_404(jobs, job_id)
        athlete = db.get_athlete(job.athlete_id) if job.athlete_id else None
        assessment = db.assessment_for_job(job.id) if job.status == "done" else None
        return page(request, "job.html", job=job, status=jobs.status(job_id), athlete=athlete,
                    assessment=assessment)

    @app.get("/athletes", response_class=HTMLResponse)
    def athletes_page(request: Request):
        return page(request, "athletes.html", athletes=db.list_athletes())

    @app.get("/athletes/{athlete_id}", response_class=HTMLResponse)
    def athlete_page(request: Request, athlete_id: int):
        athlete = _athlete_or_404(db, athlete_id)
        return page(request, "athlete.html", athlete=athlete, sessions=db.assessments_for(athlete_id),
                    trend=db.trend(athlete_id))

    @app.get("/athletes/{athlete_id}/compare", response_class=HTMLResponse)
    def compare_page(request: Request, athlete_id: int, before: int, after: int):
        from gait.web.compare import compare_context

        athlete = _athlete_or_404(db, athlete_id)
        return page(request, "compare.html", athlete=athlete, **compare_context(db, athlete_id, before, after))


def _files(app: FastAPI, site: _Site) -> None:
    jobs = site.jobs

    @app.get("/jobs/{job_id}/files/{name:path}")
    def job_file(job_id: str, name: str, download: bool = False):
        job = _job_or_404(jobs, job_id)
        if name not in set(job.files.values()):  # whitelist: only what the worker wrote
            raise HTTPException(404, "No such file.")
        path = jobs.job_dir(job_id) / "out" / name
        if not path.is_file():
            raise HTTPException(404, "No such file.")
        if download:
            stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(job.display_name).stem)[:40] or "video"
            return FileResponse(path, filename=f"{stem}_{Path(name).name}")
        return FileResponse(path)

    @app.get("/static/plotly.min.js")
    def plotly_js():
        # imported on first request: starting the app needs no report renderer
        from gait.report.html import plotly_js_file

        return Response(plotly_js_file(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


def _api_jobs(app: FastAPI, site: _Site) -> None:
    jobs = site.jobs

    @app.post("/api/jobs")
    async def create_job(request: Request):
        job_id, job_dir = jobs.new_job_dir()
        try:
            form = await up.receive(request.headers.get("content-type"), request.headers.get("content-length"),
                                    request.stream(), job_dir / "upload.part", site.max_bytes)
            job, new_athlete = _build_job(site.db, job_id, form, site.defaults)
        except up.UploadRejected as err:
            _remove_dir(job_dir)
            return JSONResponse({"error": str(err)}, status_code=err.status)
        return _queue(request, site, job, job_dir, new_athlete)

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: str):
        status = jobs.status(job_id)
        if status is None:
            raise HTTPException(404, "No such job.")
        status["files"] = {k: f"/jobs/{job_id}/files/{v}" for k, v in status["files"].items()}
        status.pop("options", None)
        return status


def _queue(request: Request, site: _Site, job: Job, job_dir: Path, new_athlete: str | None):
    """A received upload: refuse what is not a video, else queue it (and only then create its athlete)."""
    jobs, db = site.jobs, site.db
    ext = up.sniff_container(job_dir / "upload.part")
    urls = {"job_id": job.id, "status_url": f"/api/jobs/{job.id}", "page_url": f"/jobs/{job.id}"}
    if ext is None:  # cheap check before queuing; the worker's probe catches the rest
        (job_dir / "upload.part").unlink(missing_ok=True)
        jobs.fail(job, up.not_a_video_message(job.display_name))
        return _reply(request, {**urls, "status": "failed", "error": job.error}, 422)
    job.input_name = "input" + ext
    (job_dir / "upload.part").rename(job_dir / job.input_name)
    try:
        jobs.check_room()
        if new_athlete:  # only now: a rejected upload must not leave an athlete behind
            job.athlete_id = db.add_athlete(new_athlete).id
        jobs.submit(job)
    except QueueFull as err:
        _remove_dir(job_dir)
        return JSONResponse({"error": str(err)}, status_code=503)
    return _reply(request, {**urls, "status": "queued"}, 202)


def _api_athletes(app: FastAPI, site: _Site) -> None:
    db = site.db

    @app.get("/api/athletes")
    def list_athletes():
        return [asdict(a) for a in db.list_athletes()]

    @app.post("/api/athletes", status_code=201)
    async def add_athlete(request: Request):
        body = await _body(request)
        try:
            athlete = db.add_athlete(str(body.get("name", "")), notes=str(body.get("notes", ""))[:2000])
        except ValueError as err:
            raise HTTPException(400, str(err)) from None
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse(f"/athletes/{athlete.id}", status_code=303)
        return asdict(athlete)

    @app.get("/api/athletes/{athlete_id}/trend")
    def athlete_trend(athlete_id: int):
        _athlete_or_404(db, athlete_id)
        return db.trend(athlete_id)

    @app.post("/api/assessments/{assessment_id}/notes")
    async def set_notes(request: Request, assessment_id: int):
        body = await _body(request)
        if not db.set_notes(assessment_id, str(body.get("notes", ""))[:5000]):
            raise HTTPException(404, "No such assessment.")
        return {"ok": True}


def _errors(app: FastAPI, site: _Site) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return site.page(request, "error.html", code=exc.status_code, message=exc.detail)


def _athlete_or_404(db: Database, athlete_id: int):
    athlete = db.get_athlete(athlete_id)
    if athlete is None:
        raise HTTPException(404, "No such athlete.")
    return athlete


def _build_job(db: Database, job_id: str, form: up.Upload, defaults: dict[str, Any]) -> tuple[Job, str | None]:
    """Validate the form into (Job, name of an athlete to create once the upload is accepted).

    Raises UploadRejected(400) with one sentence; nothing is written here."""
    from gait.errors import UsageError
    from gait.pipeline import Options

    def number(name: str, label: str) -> float | None:
        text = form.get(name).replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise up.UploadRejected(f"{label} '{text[:20]}' is not a number.") from None

    kmh, cm = number("belt_speed_kmh", "Belt speed"), number("height_cm", "Height")
    options = {**defaults, "view": form.get("view", "auto") or "auto",
               "belt_speed_mps": kmh / 3.6 if kmh is not None else None,  # 0 is refused by validate(), not dropped
               "height_m": cm / 100.0 if cm is not None else None,
               "pelvis_markers": form.get("markers") in ("1", "on", "true"),
               "capture_fps": number("capture_fps", "Capture rate")}
    try:
        Options(**options).validate()
        symptoms = _symptoms(form)
    except UsageError as err:
        raise up.UploadRejected(str(err)) from None
    athlete_id, new_athlete = None, None
    if form.get("athlete_name"):
        try:
            new_athlete = normalize_athlete_name(form.get("athlete_name"))
        except ValueError as err:
            raise up.UploadRejected(str(err)) from None
    elif form.get("athlete_id"):
        if not form.get("athlete_id").isdigit() or db.get_athlete(int(form.get("athlete_id"))) is None:
            raise up.UploadRejected("That athlete does not exist; choose one from the list or type a new name.")
        athlete_id = int(form.get("athlete_id"))
    session_date = form.get("session_date") or date.today().isoformat()
    if not up.valid_date(session_date):
        raise up.UploadRejected(f"Session date '{session_date[:20]}' is not a date (YYYY-MM-DD).")
    job = Job(id=job_id, created_at=_now(), display_name=form.client_filename, input_name="", options=options,
              symptoms=symptoms, athlete_id=athlete_id, session_date=session_date, notes=form.get("notes")[:5000])
    return job, new_athlete


def _symptoms(form: up.Upload) -> dict[str, Any] | None:
    vocab = _vocab()
    if not vocab:
        return None
    from gait.findings.symptoms import symptoms_from_form

    s = symptoms_from_form(form.get, form.getlist)  # validates; the worker rebuilds it from the plain dict
    return None if s is None else s.to_dict()


def _reply(request: Request, body: dict, status: int) -> Response:
    """JSON for the page's script; a redirect when a browser posts the form without JavaScript."""
    if "text/html" in request.headers.get("accept", "") and "application/json" not in request.headers.get("accept", ""):
        return RedirectResponse(body["page_url"], status_code=303)
    return JSONResponse(body, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        data = await request.json()
        return data if isinstance(data, dict) else {}
    return dict(await request.form())


def _job_or_404(jobs: JobManager, job_id: str) -> Job:
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "No such analysis.")
    return job


def _remove_dir(d: Path) -> None:
    for p in sorted(d.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink(missing_ok=True)
    d.rmdir()


def _now() -> str:
    from gait.web.db import utc_now

    return utc_now()


def _num(v: Any, nd: int = 0, unit: str = "", missing: str = "—") -> str:
    if v is None:
        return missing
    return f"{v:.{nd}f}{('' if unit == '°' else ' ') + unit if unit else ''}"


__all__ = ["create_app"]
