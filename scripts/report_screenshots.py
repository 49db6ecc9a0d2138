"""Screenshots of a monthly report for docs/: the HTML in headless Chromium, the Word file's first
two pages and the first pages of 附件 1 and 附件 2 through LibreOffice (PDF) and poppler.

    .venv/bin/python scripts/report_screenshots.py reports/2012-12 docs

Needs chromium, soffice, pdftotext and pdftoppm (scripts/system-deps.sh installs them).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 1700  # the browser window of the HTML shot
DPI = 80  # A4 at 80 dpi: 662 x 936 pixels
ANNEXES = {"report-word-annex1.png": "附件 1", "report-word-annex2.png": "附件 2"}


def html_shot(report: Path, out: Path) -> None:
    """The top of the HTML report as a reader's browser window shows it."""
    from playwright.sync_api import ViewportSize, sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport=ViewportSize(width=WIDTH, height=HEIGHT))
        page.goto((report / "report.html").as_uri())
        page.screenshot(path=str(out / "report-screenshot.png"))
        browser.close()


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of a PDF."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split("\f")


def page_png(pdf: Path, number: int, target: Path) -> None:
    """Page `number` (1-based) of the PDF as a PNG."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(number),
                    "-l", str(number), str(pdf), str(stem)], check=True)  # fmt: skip


def word_shots(report: Path, out: Path) -> None:
    """Pages 1 and 2 of the Word report and the first page of each annex."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp,
                        str(report / "report.docx")], capture_output=True, timeout=300,
                       check=True)  # fmt: skip
        pdf = Path(tmp) / "report.pdf"
        for number in (1, 2):
            page_png(pdf, number, out / f"report-word-page-{number:02d}.png")
        texts = page_texts(pdf)
        for name, heading in ANNEXES.items():
            number = next(i for i, t in enumerate(texts, 1) if t.strip().startswith(heading))
            page_png(pdf, number, out / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the month's report folder")
    parser.add_argument("out", type=Path, help="where the PNG files go (docs/)")
    args = parser.parse_args()
    html_shot(args.report, args.out)
    word_shots(args.report, args.out)


if __name__ == "__main__":
    main()
