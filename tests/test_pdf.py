"""The documents as a real word processor lays them out: LibreOffice to PDF, poppler to read.

No mocks. Every example is rendered in-process and converted in ONE ``convert_to_pdf`` call
(a session fixture); the tests then read the PDFs with poppler's tools. Without LibreOffice or
poppler the tests are skipped, unless the environment variable ``CI`` is set: CI must install
them (``.ci/run`` does), so there they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from docgen import pdf as pdf_module
from docgen.errors import DocgenError
from docgen.model.project import Form
from docgen.pdf import (
    NO_UNO_NOTE,
    STAGING_PREFIX,
    PdfConversionError,
    PdfConverter,
    convert_to_pdf,
    find_soffice,
    find_uno_python,
    font_substitutions,
    substitution_warning,
    warm_note,
)
from docgen.pipeline import CheckedProject, check_file
from docgen.preview import (
    page_count,
    page_size,
    pdf_fonts,
    pdf_text,
    render_pages,
)
from docgen.render.documents import KINDS, Kind, render_document
from docgen.render.filters import general, plain
from tests.commands import run_docgen
from tests.conftest import example_files

A4 = (595.3, 841.9)  # points
ONE_PAGE_INDICATORS = 15
CJK_FONT = re.compile(r"CJK|Noto|WenQuanYi|WQY|Droid|Sim(Sun|Hei|Kai|Fang)|Song|Hei|Fang|Kai|Ming")
TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdfinfo", "pdffonts")


def _missing_tools() -> list[str]:
    return [
        tool
        for tool in TOOLS
        if (find_soffice() if tool == "soffice" else shutil.which(tool)) is None
    ]


def require_tools() -> None:
    """Skip without LibreOffice and poppler; fail instead when ``CI`` is set."""
    missing = _missing_tools()
    if not missing:
        return
    message = (
        f"{', '.join(missing)} not installed; install them with: sudo apt-get install "
        "libreoffice-writer-nogui fonts-noto-cjk fonts-liberation poppler-utils"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so .ci/run must have installed them)")
    pytest.skip(message)


def require_uno() -> str:
    """Return the Python with LibreOffice's ``uno`` for warm workers; skip without one, unless
    ``CI`` is set (``scripts/install-system-packages.sh`` installs python3-uno there)."""
    require_tools()
    python = find_uno_python()
    if python is not None:
        return python
    message = "no Python with LibreOffice's uno; install it with: sudo apt-get install python3-uno"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so .ci/run must have installed it)")
    pytest.skip(message)


def squeeze(text: str) -> str:
    """Return *text* without any whitespace: CJK extraction breaks lines and adds spaces."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Doc:
    """One example document: its project, kind, .docx and PDF."""

    item: CheckedProject
    kind: Kind
    docx: Path
    pdf: Path

    @property
    def indicators(self) -> int:
        assert self.item.project is not None
        return len(self.item.project.indicators)


def _examples() -> list[tuple[str, CheckedProject]]:
    """Return every example project with a test id: ``seed002#2``."""
    found = []
    for path in example_files():
        for item in check_file(path):
            found.append((f"{path.name.split('_')[0]}#{item.source.index + 1}", item))
    return found


EXAMPLES = _examples()
CASES = [(f"{name}-{key}", index, key) for index, (name, _) in enumerate(EXAMPLES) for key in KINDS]
CASE_IDS = [case[0] for case in CASES]


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Doc]:
    """Render every example's 自评表 and 自评报告, then convert them all in one call."""
    require_tools()
    folder = tmp_path_factory.mktemp("pdf")
    docs: dict[tuple[int, str], Doc] = {}
    for index, (_, item) in enumerate(EXAMPLES):
        assert item.project is not None and item.evaluation is not None, item.errors
        assert not item.errors, item.errors
        for key, kind in KINDS.items():
            docx = folder / "docx" / f"{index:02d}_{kind.filename(item.project)}"
            docx.parent.mkdir(exist_ok=True)
            docx.write_bytes(render_document(kind, item.project, item.evaluation))
            docs[(index, key)] = Doc(item, kind, docx, folder / "pdf" / f"{docx.stem}.pdf")
    pdfs = convert_to_pdf([doc.docx for doc in docs.values()], folder / "pdf")
    assert pdfs == [doc.pdf for doc in docs.values()]
    return docs


@pytest.fixture(scope="session")
def texts(converted: dict[tuple[int, str], Doc]) -> dict[Path, str]:
    """Return each PDF's text in drawing order (each cell's text together), whitespace-free."""
    return {doc.pdf: squeeze(pdf_text(doc.pdf, raw=True)) for doc in converted.values()}


def _two(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def test_every_document_converts(converted: dict[tuple[int, str], Doc]) -> None:
    assert len(converted) == len(EXAMPLES) * len(KINDS)
    for doc in converted.values():
        assert doc.pdf.read_bytes()[:5] == b"%PDF-"
        assert page_count(doc.pdf) >= 1
    assert not list(next(iter(converted.values())).pdf.parent.glob(STAGING_PREFIX + "*"))


@pytest.mark.parametrize(("case", "index", "key"), CASES, ids=CASE_IDS)
def test_text_has_name_figures_and_indicators(
    converted: dict[tuple[int, str], Doc], texts: dict[Path, str], case: str, index: int, key: str
) -> None:
    doc = converted[(index, key)]
    project, evaluation = doc.item.project, doc.item.evaluation
    assert project is not None and evaluation is not None
    text = texts[doc.pdf]
    assert squeeze(doc.kind.title) in text
    assert squeeze(project.name) in text
    # The 2022 自评表 prints scores as written (99.5, 10), the 2023/2024 one with two decimals;
    # the report's sentence says 93.10分.
    points = plain if key == "table" and project.edition is Form.F2022 else _two
    assert points(evaluation.total_score) in text, "总分"
    # The report prints its tables' figures as the official one does (数字格式: 常规): 100, 31.04.
    figure = _two if key == "table" else general
    assert figure(evaluation.rate) in text, "执行率"
    if key == "table":
        assert points(evaluation.funds_score) in text, "资金得分"
        assert squeeze(project.department) in text
    missing = [row.name for row in project.indicators if squeeze(row.name) not in text]
    assert not missing, f"三级指标 not in the PDF text: {missing}"
    assert "\ufffd" not in text


def test_short_table_fits_one_a4_page(converted: dict[tuple[int, str], Doc]) -> None:
    short = [doc for (_, key), doc in converted.items() if key == "table"]
    short = [doc for doc in short if doc.indicators <= ONE_PAGE_INDICATORS]
    assert short, "no example 自评表 with at most 15 indicators"
    for doc in short:
        assert page_count(doc.pdf) == 1, f"{doc.pdf.name}: {doc.indicators} indicators"
        width, height = page_size(doc.pdf)
        assert abs(width - A4[0]) <= 2 and abs(height - A4[1]) <= 2, (width, height)


def test_long_table_repeats_indicator_header(converted: dict[tuple[int, str], Doc]) -> None:
    long = [doc for (_, key), doc in converted.items() if key == "table"]
    long = [doc for doc in long if doc.indicators > ONE_PAGE_INDICATORS]
    assert len(long) >= 2, "the seed002 forms should have more than 15 indicators"
    for doc in long:
        assert page_count(doc.pdf) > 1, doc.pdf.name
        page2 = squeeze(pdf_text(doc.pdf, page=2))
        # 一级|指标 is two lines in its narrow column: look for its first line.
        assert "一级" in page2, f"{doc.pdf.name}: the indicator header is not repeated"
        assert "三级指标" in page2


def test_chinese_renders_with_embedded_cjk_fonts(converted: dict[tuple[int, str], Doc]) -> None:
    for doc in converted.values():
        fonts = pdf_fonts(doc.pdf)
        assert any(CJK_FONT.search(name) for name, _, _ in fonts), (doc.pdf.name, fonts)
        assert not [f for f in fonts if f[1] == "Type 3"], f"bitmap (Type 3) fonts: {fonts}"
        assert all(embedded for _, _, embedded in fonts), f"fonts not embedded: {fonts}"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_render_pages_writes_png_pages(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    doc = next(d for (_, key), d in converted.items() if key == "table" and d.indicators > 15)
    dpi = 40
    pages = render_pages(doc.pdf, tmp_path, dpi=dpi)
    assert [p.name for p in pages] == [
        f"{doc.pdf.stem}-{n}.png" for n in range(1, page_count(doc.pdf) + 1)
    ]
    for page in pages:
        width, height = _png_size(page)
        assert abs(width - dpi * 8.27) <= 2 and abs(height - dpi * 11.69) <= 2
    assert render_pages(doc.pdf, tmp_path / "two", dpi=dpi, first=2, last=2) == [
        tmp_path / "two" / f"{doc.pdf.stem}-2.png"
    ]


def test_render_pages_converts_a_docx_first(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    """The one other LibreOffice run: a 自评表 straight from .docx to PNG."""
    doc = next(d for (_, key), d in converted.items() if key == "table" and d.indicators <= 15)
    (page,) = render_pages(doc.docx, tmp_path, dpi=30)
    assert page == tmp_path / f"{doc.docx.stem}-1.png"
    width, _ = _png_size(page)
    assert abs(width - 30 * 8.27) <= 2
    assert list(tmp_path.iterdir()) == [page], "no PDF or temporary file left beside the PNG"


def test_a_broken_document_is_named_and_the_others_still_convert(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    good = next(iter(converted.values())).docx
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a Word document")
    out = tmp_path / "out"
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf([broken, good], out)
    assert caught.value.failed == [broken.resolve()]
    assert caught.value.converted == [out / f"{good.stem}.pdf"]
    assert "broken.docx" in str(caught.value)
    assert (out / f"{good.stem}.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in out.iterdir()) == [f"{good.stem}.pdf"], "no partial files"


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if text in args:
            found.append(args.replace("\0", " "))
    return found


def test_a_document_over_the_time_limit_fails_alone_and_libreoffice_is_replaced(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    from docx import Document

    slow = tmp_path / "in" / "slow.docx"
    slow.parent.mkdir()
    document = Document()
    document.add_paragraph("x" * 1_000_000)  # one long word: LibreOffice lays it out for minutes
    document.save(str(slow))
    good = [doc.docx for doc in converted.values()][:2]
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(PdfConversionError) as caught:  # first: its clock starts after start-up
        convert_to_pdf([slow, *good], out, timeout=5)
    assert time.monotonic() - started < 40
    error = caught.value
    assert error.failed == [slow.resolve()]
    assert "slow.docx: LibreOffice did not convert it within 5 s; it was stopped" in str(error)
    assert [p.name for p in error.converted] == [f"{good[0].stem}.pdf", f"{good[1].stem}.pdf"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in error.converted)
    if Path("/proc/self/cmdline").exists():
        assert _processes_mentioning(str(out)) == [], "a LibreOffice process survived"


def test_inputs_are_checked_before_libreoffice_starts(tmp_path: Path) -> None:
    assert convert_to_pdf([], tmp_path / "none") == []
    with pytest.raises(DocgenError, match="no such file"):
        convert_to_pdf([tmp_path / "absent.docx"], tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "x.docx").write_bytes(b"")
    with pytest.raises(DocgenError, match=r"would both be converted to x\.pdf"):
        convert_to_pdf([tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx"], tmp_path)


def _tables(converted: dict[tuple[int, str], Doc], count: int) -> list[Path]:
    """Return *count* 自评表 .docx files of the examples, the shortest first."""
    tables = sorted(
        (d for (_, k), d in converted.items() if k == "table"), key=lambda d: d.indicators
    )
    return [doc.docx for doc in tables[:count]]


def _complete(pdfs: list[Path]) -> bool:
    return all(p.read_bytes()[:5] == b"%PDF-" and b"%%EOF" in p.read_bytes()[-1024:] for p in pdfs)


def test_a_worker_replaces_its_libreoffice_after_n_documents(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    sources = _tables(converted, 5)
    finished: list[int] = []
    converter = PdfConverter(jobs=1, recycle_after=2, on_progress=finished.append)
    pdfs = converter.convert(sources, tmp_path / "out")
    assert pdfs == [tmp_path / "out" / f"{p.stem}.pdf" for p in sources]
    assert _complete(pdfs)
    assert converter.processes_started == 3, "2 + 2 + 1 documents: three LibreOffice processes"
    assert sum(finished) == 5 and all(n > 0 for n in finished)
    assert len(converter.profiles) == 1 and not converter.profiles[0].exists()


def test_each_worker_has_its_own_profile_and_the_queue_is_shared(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    sources = _tables(converted, 4)
    converter = PdfConverter(jobs=2)
    pdfs = converter.convert(sources, tmp_path / "out")
    assert _complete(pdfs)
    assert converter.processes_started == 2, "two documents for each of the two workers"
    assert len(set(converter.profiles)) == 2, "one profile per worker"
    assert not any(profile.exists() for profile in converter.profiles)


def test_a_killed_libreoffice_is_replaced_and_its_document_converted(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("finds LibreOffice's process through /proc")
    sources = _tables(converted, 4)
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_libreoffice(_: int) -> None:
        if killed:
            return
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                args = cmdline.read_bytes().split(b"\0")
            except OSError:
                continue
            if args and args[0].endswith(b"soffice.bin") and str(out).encode() in b" ".join(args):
                os.kill(int(cmdline.parent.name), signal.SIGKILL)  # as the OOM killer would
                killed.append(int(cmdline.parent.name))

    converter = PdfConverter(jobs=1, on_progress=kill_libreoffice)
    pdfs = converter.convert(sources, out)
    assert killed, "LibreOffice was running after the first PDF"
    assert _complete(pdfs) and len(pdfs) == 4
    assert converter.processes_started == 2, "the killed one and its replacement"
    assert _processes_mentioning(str(out)) == [], "a LibreOffice process survived"


def test_batch_pdf_shows_progress_and_names_substituted_fonts(tmp_path: Path) -> None:
    """Through the real command: progress while converting, then the fonts replaced."""
    require_tools()
    data = Path(__file__).resolve().parents[1] / "data" / "seed001_minhang_weijian_2023.yaml"
    (tmp_path / "data").mkdir()
    shutil.copy(data, tmp_path / "data" / data.name)
    result = run_docgen(
        "batch", "data", "-o", "out", "--pdf", "--kind", "自评表", "--jobs", "2",
        cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    progress = [line for line in lines if re.fullmatch(r"PDF \d+/13 documents", line)]
    assert progress[-1] == "PDF 13/13 documents" and len(progress) >= 5, result.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 13
    substitutes = font_substitutions(sorted((tmp_path / "out").glob("*.docx")))
    if not substitutes:
        pytest.skip("the fonts the 自评表 names (宋体, 黑体) are installed here")
    (warning,) = [line for line in lines if line.startswith("warning: the PDFs use substitutes")]
    for name, used in substitutes.items():
        assert f"{name} → {used}" in warning
    assert "Times New Roman" not in warning, "a metric-compatible substitute is not reported"


def _docx_naming(path: Path, *fonts: str) -> Path:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for font in fonts:
        run = document.add_paragraph().add_run("财政项目支出绩效自评表")
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.save(str(path))
    return path


def test_government_fonts_that_are_missing_are_named_with_their_substitute(
    tmp_path: Path,
) -> None:
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) not installed: LibreOffice uses its own fallbacks")
    docx = _docx_naming(tmp_path / "gov.docx", "仿宋_GB2312", "方正小标宋简体")
    substitutes = font_substitutions([docx, docx])
    installed = subprocess.run(
        ["fc-list", ":family=仿宋_GB2312"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if installed:
        pytest.skip("仿宋_GB2312 is installed here")
    assert set(substitutes) == {"仿宋_GB2312", "方正小标宋简体"}, substitutes
    # docgen's aliases for the conversion: the serif Noto CJK, when it is installed
    if "Noto Serif CJK SC" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        assert substitutes["仿宋_GB2312"] == "Noto Serif CJK SC"
    warning = substitution_warning(substitutes)
    assert warning is not None and warning.startswith(
        "warning: the PDFs use substitutes for fonts that the documents name: 仿宋_GB2312 → "
    )
    assert "install those fonts" in warning
    assert substitution_warning({}) is None


def test_the_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    require_tools()
    data = Path(__file__).resolve().parents[1] / "data" / "seed000_minhang_yibao_2022.yaml"
    shutil.copy(data, tmp_path / data.name)
    result = run_docgen(
        "render", data.name, "-o", "out", "--pdf", cwd=tmp_path, env={"FORCE_COLOR": "1"},
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr)
    assert re.search(r"PDF\s.*2/2 documents", plain), plain
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 2


# The warm workers: one LibreOffice per worker fed through UNO (docgen/pdf_bridge.py).


def _soffice_of(out: Path) -> list[int]:
    """Return the ids of the soffice.bin processes converting into *out* (their profile is in it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"soffice.bin") and str(out).encode() in b" ".join(args):
            found.append(int(cmdline.parent.name))
    return found


def test_warm_workers_convert_as_the_cold_ones_do(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    """Same LibreOffice, same filter: the same pages and text through UNO as with --convert-to."""
    require_uno()
    sources = (
        _tables(converted, 1) + [d.docx for (_, k), d in converted.items() if k == "report"][:1]
    )
    warm = PdfConverter(jobs=1, warm=True)
    cold = PdfConverter(jobs=1, warm=False)
    warm_pdfs = warm.convert(sources, tmp_path / "warm")
    cold_pdfs = cold.convert(sources, tmp_path / "cold")
    assert warm.warm_used and not cold.warm_used
    assert _complete(warm_pdfs)
    for one, other in zip(warm_pdfs, cold_pdfs, strict=True):
        assert page_count(one) == page_count(other) >= 1
        assert squeeze(pdf_text(one)) == squeeze(pdf_text(other))
        assert pdf_fonts(one) == pdf_fonts(other)


def test_a_warm_worker_is_recycled_after_n_documents(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    require_uno()
    sources = _tables(converted, 5)
    finished: list[int] = []
    converter = PdfConverter(jobs=1, recycle_after=2, on_progress=finished.append, warm=True)
    pdfs = converter.convert(sources, tmp_path / "out")
    assert converter.warm_used
    assert _complete(pdfs) and len(pdfs) == 5
    assert converter.processes_started == 3, "2 + 2 + 1 documents: three LibreOffice starts"
    assert finished == [1, 1, 1, 1, 1]
    if Path("/proc/self/cmdline").exists():
        assert _soffice_of(tmp_path / "out") == [], "a recycled LibreOffice survived"


def test_a_warm_document_over_its_time_limit_fails_alone(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    """The stuck document's LibreOffice and bridge are killed; a new one converts the rest."""
    require_uno()
    from docx import Document

    slow = tmp_path / "in" / "slow.docx"
    slow.parent.mkdir()
    document = Document()
    document.add_paragraph("x" * 1_000_000)  # one long word: LibreOffice lays it out for minutes
    document.save(str(slow))
    good = _tables(converted, 2)
    out = tmp_path / "out"
    converter = PdfConverter(jobs=1, timeout=5, warm=True)
    started = time.monotonic()
    with pytest.raises(PdfConversionError) as caught:
        converter.convert([good[0], slow, good[1]], out)
    assert time.monotonic() - started < 60
    assert converter.warm_used
    assert caught.value.failed == [slow.resolve()]
    assert "slow.docx: LibreOffice did not convert it within 5 s" in str(caught.value)
    assert [p.name for p in caught.value.converted] == [f"{p.stem}.pdf" for p in good]
    assert _complete(caught.value.converted)
    assert converter.processes_started == 2, "the stuck one and its replacement"
    if Path("/proc/self/cmdline").exists():
        assert _processes_mentioning(str(out)) == [], "a LibreOffice or bridge survived"


def test_a_killed_warm_libreoffice_is_replaced(
    converted: dict[tuple[int, str], Doc], tmp_path: Path
) -> None:
    require_uno()
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("finds LibreOffice's process through /proc")
    sources = _tables(converted, 4)
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_libreoffice(_: int) -> None:
        if not killed:
            for pid in _soffice_of(out):
                os.kill(pid, signal.SIGKILL)  # as the OOM killer would
                killed.append(pid)

    converter = PdfConverter(jobs=1, on_progress=kill_libreoffice, warm=True)
    pdfs = converter.convert(sources, out)
    assert converter.warm_used
    assert killed, "LibreOffice was running after the first PDF"
    assert _complete(pdfs) and len(pdfs) == 4
    assert converter.processes_started == 2, "the killed one and its replacement"
    assert _processes_mentioning(str(out)) == [], "a LibreOffice or bridge survived"


def test_without_uno_the_converter_runs_soffice_per_chunk(
    converted: dict[tuple[int, str], Doc], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOCGEN_PDF_UNO=0, or no Python with uno: the cold path, and one info line why."""
    require_tools()
    sources = _tables(converted, 3)
    monkeypatch.setenv("DOCGEN_PDF_UNO", "0")
    converter = PdfConverter(jobs=1)
    assert _complete(converter.convert(sources, tmp_path / "off"))
    assert not converter.warm_used and converter.processes_started == 1
    assert warm_note() is None, "turned off on purpose: nothing to say"
    monkeypatch.delenv("DOCGEN_PDF_UNO")
    monkeypatch.setattr(pdf_module, "find_uno_python", lambda: None)
    assert warm_note() == NO_UNO_NOTE
    converter = PdfConverter(jobs=1)
    assert _complete(converter.convert(sources, tmp_path / "none"))
    assert not converter.warm_used and converter.processes_started == 1


def test_render_pdf_through_the_command_warm_and_cold(tmp_path: Path) -> None:
    """`docgen render data -o out --pdf`, relative paths: warm by default, the same PDFs cold."""
    require_uno()
    root = Path(__file__).resolve().parents[1] / "data"
    (tmp_path / "data").mkdir()
    for name in ("seed000_minhang_yibao_2022.yaml", "seed004_shanghai_yibao_report.yaml"):
        shutil.copy(root / name, tmp_path / "data" / name)
    warm = run_docgen("render", "data", "-o", "out", "--pdf", cwd=tmp_path, timeout=600)
    assert warm.returncode == 0, warm.stderr
    assert "info:" not in warm.stderr, "uno is there: no note about its absence"
    cold = run_docgen(
        "render", "data", "-o", "cold", "--pdf", cwd=tmp_path, env={"DOCGEN_PDF_UNO": "0"},
        timeout=600,
    )  # fmt: skip
    assert cold.returncode == 0, cold.stderr
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(pdfs) == len(list((tmp_path / "out").glob("*.docx"))) >= 4
    for path in pdfs:
        other = tmp_path / "cold" / path.name
        assert page_count(path) == page_count(other) >= 1, path.name
        assert squeeze(pdf_text(path)) == squeeze(pdf_text(other)), path.name
    assert not list((tmp_path / "out").glob(STAGING_PREFIX + "*"))
