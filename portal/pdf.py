"""The one place that makes PDFs: a Jinja template in the document layout, rendered to A4 with WeasyPrint."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from pathlib import Path

from flask import current_app, render_template, send_file, url_for

from . import clock, jobs

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


# --- long documents: rendered by the background worker while the person sees progress ---------


def start_job(template: str, filename: str, owner_id: int, **context) -> str:
    """Render the HTML now and queue the PDF for the worker; return the job's token."""
    return jobs.submit("pdf", owner_id, filename, render_html(template, **context))


def job_page(job: str, back: str, back_label: str) -> str:
    """Return the progress page of a job, with a link back to the page that started it."""
    return url_for("pdfjobs.status", job=job, back=back, back_label=back_label)


def job_state(job: str, owner_id: int) -> dict | None:
    """Return a job's state (queued with its place, running, done or failed) for its owner, or None."""
    found = jobs.owned(job, owner_id)
    if found is None:
        return None
    return {"job": found.token, "filename": found.label, "state": found.state, "place": jobs.place(found),
            "at_once": current_app.config["JOBS_AT_ONCE"],
            "elapsed": int((clock.now() - (found.started_at or found.created_at)).total_seconds())}


def job_response(job: str, owner_id: int):
    """Serve a finished job's PDF to its owner, from the database (any app server can)."""
    found = jobs.owned(job, owner_id)
    if found is None or found.result is None:
        return None
    return send_file(BytesIO(found.result), mimetype="application/pdf", download_name=found.label,
                     as_attachment=False, max_age=0)
