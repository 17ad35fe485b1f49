"""Read PDFs back with poppler-utils: their text and their embedded fonts."""
import subprocess
import tempfile


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF, as pdftotext extracts it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout


def pdf_fonts(data: bytes) -> str:
    """Return pdffonts' table of the fonts a PDF embeds (names look like Noto-Sans-CJK-SC)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdffonts", f.name], capture_output=True, check=True, text=True).stdout


def pdf_pages(data: bytes) -> int:
    """Return a PDF's page count, as pdfinfo reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
