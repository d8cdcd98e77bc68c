"""The service's PDF workers: LibreOffice started once and kept warm between documents."""

from __future__ import annotations

import pytest

from docgen.pdf import PdfConversionError, PdfPool
from docgen.pipeline import check_file
from docgen.render.documents import KINDS, render_document
from tests.conftest import ROOT
from tests.test_pdf import require_tools, require_uno


@pytest.fixture(scope="module")
def table() -> bytes:
    item = next(iter(check_file(ROOT / "data" / "seed002_shanghai_yibao_2024.yaml")))
    assert item.project is not None and item.evaluation is not None
    return render_document(KINDS["table"], item.project, item.evaluation)


def test_one_warm_libreoffice_converts_document_after_document(table: bytes) -> None:
    require_tools()
    require_uno()
    pool = PdfPool(jobs=1, timeout=120)
    try:
        pdfs = [pool.convert_bytes(table) for _unused in range(3)]
        (slot,) = pool._slots
        assert slot.runner.python is not None  # fed through UNO
        assert slot.runner.started == 1  # not one start per document
        assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)
        root = slot.profile.parents[1]
        assert root.is_dir()
    finally:
        pool.close()
    assert not root.exists(), "close removes the workers' profiles"


def test_a_document_that_fails_does_not_stop_the_worker(table: bytes) -> None:
    require_tools()
    require_uno()
    pool = PdfPool(jobs=1, timeout=120)
    try:
        with pytest.raises(PdfConversionError):
            pool.convert_bytes(b"PK\x03\x04 not a word document")
        assert pool.convert_bytes(table).startswith(b"%PDF-")
    finally:
        pool.close()
