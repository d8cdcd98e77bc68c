"""Look at documents as a word processor lays them out: PNG pages, text and page counts.

These helpers run poppler's command-line tools (``pdftoppm``, ``pdftotext``, ``pdfinfo``,
``pdffonts``) on PDFs that LibreOffice made from docgen's .docx output (``docgen.pdf``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.pdf import convert_to_pdf

POPPLER_HINT = N_(
    "install poppler's tools with: sudo apt-get install poppler-utils (Debian/Ubuntu), "
    "sudo dnf install poppler-utils (Fedora) or brew install poppler (macOS)"
)
TIMEOUT = 300.0


class PreviewUnavailable(DocgenError):
    """A poppler tool, needed to look at PDFs, is not installed."""


def require_tool(name: str) -> str:
    """Return the path of poppler's *name*; raise ``PreviewUnavailable`` when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise PreviewUnavailable(
            _("{tool} is needed to look at PDF pages; {hint}").format(
                tool=name, hint=_(POPPLER_HINT)
            )
        )
    return found


def _run(tool: str, *args: str, timeout: float = TIMEOUT) -> str:
    """Run poppler's *tool* with *args*; return its output, or raise with its error."""
    command = [require_tool(tool), *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DocgenError(
            _("{tool} did not finish within {seconds} s").format(tool=tool, seconds=f"{timeout:g}")
        ) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise DocgenError(
            _("{tool} failed with status {status}").format(tool=tool, status=done.returncode)
            + "".join(f"\n  {s}" for s in said)
        )
    return done.stdout.decode("utf-8", "replace")


def render_pages(
    source: Path,
    outdir: Path,
    dpi: int = 100,
    first: int | None = None,
    last: int | None = None,
) -> list[Path]:
    """Render pages of *source* (a .pdf, or a .docx converted first) as PNG files.

    The files are ``<stem>-<page>.png`` in *outdir* (page numbers without leading zeros), for
    pages *first* to *last* (default: all).  Returns them in page order.
    """
    source = Path(source)
    if not source.is_file():
        raise DocgenError(_("no such file"), file=str(source))
    if dpi < 1:
        raise DocgenError(_("dpi must be positive, not {dpi}").format(dpi=dpi))
    require_tool("pdftoppm")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as temp:
        if source.suffix.lower() == ".pdf":
            pdf = source
        else:
            (pdf,) = convert_to_pdf([source], Path(temp))
        pages = page_count(pdf)
        start = max(1, first or 1)
        end = min(pages, last or pages)
        if start > end:
            return []
        # pdftoppm pads page numbers to the page count's width; render into the temporary
        # folder, then give each file the plain name <stem>-<page>.png.
        prefix = Path(temp) / "page"
        _run("pdftoppm", "-png", "-r", str(dpi), "-f", str(start), "-l", str(end), str(pdf),
             str(prefix))  # fmt: skip
        written: list[Path] = []
        for page in range(start, end + 1):
            rendered = _find_page(Path(temp), page)
            target = outdir / f"{source.stem}-{page}.png"
            shutil.move(rendered, target)
            written.append(target)
        return written


def first_page_png(pdf: bytes, dpi: int = 90, timeout: float = TIMEOUT) -> bytes:
    """Return the first page of the PDF *pdf* as a PNG at *dpi* (``pdftoppm``, stopped past
    *timeout* seconds) — the web page's preview of a document."""
    if dpi < 1:
        raise DocgenError(_("dpi must be positive, not {dpi}").format(dpi=dpi))
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as temp:
        source = Path(temp) / "document.pdf"
        source.write_bytes(pdf)
        prefix = Path(temp) / "page"
        _run("pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
             str(source), str(prefix), timeout=timeout)  # fmt: skip
        image = prefix.with_suffix(".png")
        if not image.is_file():
            raise DocgenError(_("pdftoppm wrote no image of page {page}").format(page=1))
        return image.read_bytes()


def _find_page(folder: Path, page: int) -> Path:
    for candidate in folder.glob("page-*.png"):
        number = candidate.stem.removeprefix("page-")
        if number.isdigit() and int(number) == page:
            return candidate
    raise DocgenError(_("pdftoppm wrote no image of page {page}").format(page=page))


def pdf_text(pdf: Path, raw: bool = False, page: int | None = None) -> str:
    """Return the text of *pdf*, or of one *page* (1-based).

    By default laid out as on the page (``pdftotext -layout``), where the lines of cells side
    by side interleave.  ``raw=True`` gives the text in the order it was drawn
    (``pdftotext -raw``): each table cell's text stays together, which suits searching.
    """
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    mode = "-raw" if raw else "-layout"
    return _run("pdftotext", mode, "-enc", "UTF-8", *pages, str(pdf), "-")


def pdf_info(pdf: Path) -> dict[str, str]:
    """Return ``pdfinfo``'s fields of *pdf*: ``{"Pages": "2", "Page size": "595.3 x …"}``."""
    info: dict[str, str] = {}
    for line in _run("pdfinfo", str(pdf)).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def page_count(pdf: Path) -> int:
    """Return how many pages *pdf* has."""
    pages = pdf_info(pdf).get("Pages", "")
    if not pages.isdigit():
        raise DocgenError(_("pdfinfo reports no page count"), file=str(pdf))
    return int(pages)


def page_size(pdf: Path) -> tuple[float, float]:
    """Return the first page's width and height in points (A4: about 595 × 842)."""
    size = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(pdf).get("Page size", ""))
    if size is None:
        raise DocgenError(_("pdfinfo reports no page size"), file=str(pdf))
    return float(size.group(1)), float(size.group(2))


def pdf_fonts(pdf: Path) -> list[tuple[str, str, bool]]:
    """Return the fonts of *pdf* as (name, type, embedded), from ``pdffonts``."""
    row = re.compile(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+\s*")
    fonts = []
    for line in _run("pdffonts", str(pdf)).splitlines()[2:]:  # after the header, underlined
        match = row.fullmatch(line)
        if match:
            fonts.append((match.group(1), match.group(2), match.group(4) == "yes"))
    return fonts


__all__ = [
    "PreviewUnavailable",
    "first_page_png",
    "page_count",
    "page_size",
    "pdf_fonts",
    "pdf_info",
    "pdf_text",
    "render_pages",
    "require_tool",
]
