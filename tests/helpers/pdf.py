"""PDFs of corpus policies printed by the system Chromium, as a user saves a page ("Print → Save as PDF").

The HTML form of a text (``edits.to_html``) is printed with Chromium's own header and footer (date,
title, file URL, "3/12") unless ``header_footer`` is off; a print style sheet hides the page's
navigation bar, as sites do for print (the PDF would otherwise carry its link words as policy text).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from monitor.watch.browser import QUIET_CHROMIUM

CHROMIUM_FLAGS = ("--headless", *QUIET_CHROMIUM)
PRINT_CSS = "<style>@media print { nav { display: none } }</style>"


def chromium() -> str | None:
    """The system Chromium, or None (then the PDF tests skip)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def cannot_print() -> str | None:
    """Why the PDF forms cannot be printed here (then their tests skip, saying so), or None."""
    if chromium() is None:
        return "Chromium is not installed (.ci/run installs it): the PDF forms cannot be printed"
    fc_list = shutil.which("fc-list")
    if fc_list:
        fonts = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
        if not fonts.stdout.strip():
            return "no Chinese font (fonts-noto-cjk): Chromium would print the policies as empty boxes"
    return None


@dataclass(frozen=True)
class PrintJob:
    html: str  # the page
    out: Path  # where the PDF goes
    header_footer: bool = True
    page_size: str | None = None  # CSS @page size ("A5"); Chromium's default (Letter) when None


def _page(job: PrintJob) -> str:
    css = PRINT_CSS
    if job.page_size:
        css += f"<style>@page {{ size: {job.page_size} }}</style>"
    return job.html.replace("</head>", css + "</head>", 1)


def print_pdfs(jobs: list[PrintJob], parallel: int = 3, timeout: float = 120) -> None:
    """Print every job's page to its PDF (a few Chromium processes at a time, each its own profile)."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("Chromium is not installed")
    pending = list(jobs)
    while pending:
        batch, pending = pending[:parallel], pending[parallel:]
        running = []
        for job in batch:
            work = Path(tempfile.mkdtemp(prefix="pm-print-"))
            page = work / "page.html"
            page.write_text(_page(job), encoding="utf-8")
            args = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}"]
            if not job.header_footer:
                args.append("--no-pdf-header-footer")
            args += [f"--print-to-pdf={job.out}", page.as_uri()]
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            running.append((job, proc, work))
        for job, proc, work in running:
            try:
                _, err = proc.communicate(timeout=timeout)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                shutil.rmtree(work, ignore_errors=True)
            if proc.returncode != 0 or not job.out.is_file() or os.path.getsize(job.out) == 0:
                tail = err.decode("utf-8", "replace")[-500:]
                raise RuntimeError(f"Chromium did not print {job.out} (exit {proc.returncode}): {tail}")
