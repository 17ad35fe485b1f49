"""Render HTML from stdin to PDF on stdout; run as a child process by portal.pdf."""
import sys

from portal.pdf import html_to_pdf

if __name__ == "__main__":
    sys.stdout.buffer.write(html_to_pdf(sys.stdin.buffer.read().decode()))
