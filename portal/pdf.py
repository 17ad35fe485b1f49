"""The one place that makes PDFs: a Jinja template rendered to A4 with WeasyPrint."""
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from flask import current_app, render_template, send_file

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
RENDER_TIMEOUT_S = 300


def render_pdf(template: str, **context) -> bytes:
    """Render a template to PDF bytes (in a short-lived child process outside tests)."""
    html = render_template(template, **context)
    if current_app.config.get("PDF_IN_CHILD_PROCESS", True):
        # WeasyPrint's memory grows with every render; a child process returns it all.
        done = subprocess.run([sys.executable, "-m", "portal.pdf_worker"], input=html.encode(),
                              capture_output=True, timeout=RENDER_TIMEOUT_S, check=False,
                              cwd=STATIC_DIR.parent)
        if done.returncode != 0:
            raise RuntimeError(f"PDF render failed: {done.stderr.decode(errors='replace')[-500:]}")
        return done.stdout
    return html_to_pdf(html)


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
