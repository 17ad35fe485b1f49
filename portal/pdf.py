"""The one place that makes PDFs: a Jinja template in the document layout, rendered to A4 with WeasyPrint."""
import json
import multiprocessing
import secrets
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from pathlib import Path

from flask import current_app, render_template, send_file

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
RENDER_TIMEOUT_S = 300


_executor: ProcessPoolExecutor | None = None


def render_html(template: str, **context) -> str:
    """Render a printable's HTML in the document layout (pdf/base.html), under the hall's letterhead."""
    if "hall" not in context:
        raise ValueError(f"{template}: a printable needs the hall, whose letterhead it carries")
    return render_template(template, **context)


def render_pdf(template: str, **context) -> bytes:
    """Render a template to PDF bytes, in a recycled child process outside tests."""
    html = render_html(template, **context)
    if current_app.config.get("PDF_IN_CHILD_PROCESS", True):
        return _render_pool(current_app.config["PDF_RENDERS_PER_CHILD"]).submit(
            html_to_pdf, html).result(timeout=RENDER_TIMEOUT_S)
    return html_to_pdf(html)


def _render_pool(renders_per_child: int) -> ProcessPoolExecutor:
    # WeasyPrint's memory grows with every render, so it never runs in the web worker. The child
    # keeps its fonts loaded between renders (a cold start costs seconds for a CJK font) and is
    # replaced after a few renders, which returns its memory to the system.
    global _executor
    if _executor is None:
        _executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        max_tasks_per_child=renders_per_child)
    return _executor


def html_to_pdf(html: str) -> bytes:
    """Turn HTML into PDF bytes, fetching only files under static/."""
    from weasyprint import HTML
    return HTML(string=html, base_url=str(STATIC_DIR), url_fetcher=_static_fetcher()).write_pdf()


def _static_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Fetch local files under static/ and nothing else (no network, no other paths)."""

        def fetch(self, url, headers=None):
            if not url.startswith("file://"):
                raise ValueError("PDF may only load local files")
            path = Path(url[len("file://"):].split("?")[0]).resolve()
            if STATIC_DIR not in path.parents:
                raise ValueError("PDF may only load files under static/")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"})


def pdf_response(template: str, filename: str, **context):
    """Answer with a rendered PDF, shown inline in the browser."""
    data = render_pdf(template, **context)
    return send_file(BytesIO(data), mimetype="application/pdf", download_name=filename,
                     as_attachment=False, max_age=0)


# --- long documents: rendered in the background while the person sees progress -------------

JOB_MAX_AGE_S = 24 * 3600


def _jobs_dir() -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]) / "pdf-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(template: str, filename: str, owner_id: int, **context) -> str:
    """Render the HTML now and the PDF in a detached child process; return the job id."""
    html = render_html(template, **context)
    jobs = _jobs_dir()
    _sweep(jobs)
    job = secrets.token_urlsafe(16)
    (jobs / f"{job}.html").write_text(html, encoding="utf-8")
    (jobs / f"{job}.json").write_text(json.dumps({"owner": owner_id, "filename": filename,
                                                  "started": time.time()}), encoding="utf-8")
    # The job state lives on disk, so whichever worker answers the next poll can read it.
    subprocess.Popen([sys.executable, "-m", "portal.pdf_worker", str(jobs / f"{job}.html"),
                      str(jobs / f"{job}.pdf")], cwd=STATIC_DIR.parent, start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return job


def job_state(job: str, owner_id: int) -> dict | None:
    """Return a job's state (running, done or failed) for its owner; None if it is not theirs."""
    if not job.replace("-", "").replace("_", "").isalnum():
        return None
    meta_path = _jobs_dir() / f"{job}.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["owner"] != owner_id:
        return None
    pdf = _jobs_dir() / f"{job}.pdf"
    state = "done" if pdf.is_file() else "failed" if pdf.with_suffix(".pdf.err").is_file() else "running"
    return {**meta, "job": job, "state": state, "elapsed": int(time.time() - meta["started"])}


def job_response(job: str, owner_id: int):
    """Serve a finished job's PDF to its owner."""
    state = job_state(job, owner_id)
    if state is None or state["state"] != "done":
        return None
    return send_file(_jobs_dir() / f"{job}.pdf", mimetype="application/pdf",
                     download_name=state["filename"], as_attachment=False, max_age=0)


def _sweep(jobs: Path) -> None:
    limit = time.time() - JOB_MAX_AGE_S
    for path in jobs.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
