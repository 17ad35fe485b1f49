"""Render HTML to PDF in a child process, so a web worker never grows with WeasyPrint's memory.

Run by portal.pdf as `python -m portal.pdf_worker` (stdin to stdout) or
`python -m portal.pdf_worker IN.html OUT.pdf` (a background job: writes OUT.pdf atomically,
or OUT.pdf.err with the reason).
"""
import os
import sys
import traceback

from portal.pdf import html_to_pdf


def _job(source: str, target: str) -> int:
    try:
        with open(source, encoding="utf-8") as f:
            data = html_to_pdf(f.read())
        with open(target + ".part", "wb") as f:
            f.write(data)
        os.replace(target + ".part", target)
        return 0
    except Exception:  # noqa: BLE001 - the reason is kept for the person waiting, then the job ends
        with open(target + ".err", "w", encoding="utf-8") as f:
            f.write(traceback.format_exc()[-2000:])
        return 1


if __name__ == "__main__":
    if len(sys.argv) == 3:
        sys.exit(_job(sys.argv[1], sys.argv[2]))
    sys.stdout.buffer.write(html_to_pdf(sys.stdin.buffer.read().decode()))
