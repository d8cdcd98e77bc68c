"""The properties of every document docgen writes: app.xml, core.xml dates, thumbnail, compat."""

from __future__ import annotations

import datetime
import shutil
import zipfile
from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.ooxml.package import Package
from docgen.ooxml.properties import (
    app_properties,
    clean_package,
    custom_properties,
    document_moment,
    set_compatibility_mode,
    stamp_core,
)
from docgen.ooxml.xml import W, parse
from tests.commands import run_docgen

DATA = Path(__file__).resolve().parents[2] / "data"
SEEDS = ("seed004_shanghai_yibao_report.yaml", "seed002_shanghai_yibao_2024.yaml")
W_NS = f'xmlns:w="{W}"'
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/thumbnail" Target="docProps/preview.wmf"/></Relationships>'
)
TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/docProps/preview.wmf" ContentType="image/x-wmf"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Macintosh Word</Application>'
    "<Pages>3</Pages><Company>闵行区医疗保障局</Company><AppVersion>14.0000</AppVersion>"
    "</Properties>"
)


def names(root: object) -> list[str]:
    return [child.tag.split("}")[1] for child in root]  # type: ignore[attr-defined]


def test_settings_without_compat_get_one_before_what_follows_it() -> None:
    settings = parse(
        f"<w:settings {W_NS}><w:zoom w:percent='100'/><w:defaultTabStop w:val='420'/>"
        "<w:rsids/><w:themeFontLang w:val='en-US'/><w:decimalSymbol w:val='.'/></w:settings>"
    )
    set_compatibility_mode(settings)
    assert names(settings) == ["zoom", "defaultTabStop", "compat", "rsids", "themeFontLang",
                               "decimalSymbol"]  # fmt: skip
    (setting,) = settings.find(f"{{{W}}}compat")
    assert (setting.get(f"{{{W}}}name"), setting.get(f"{{{W}}}val")) == ("compatibilityMode", "15")


def test_compatibility_mode_14_becomes_15_and_other_settings_stay() -> None:
    settings = parse(
        f"<w:settings {W_NS}><w:compat><w:useFELayout/>"
        "<w:compatSetting w:name='compatibilityMode' w:uri='http://schemas.microsoft.com/office/"
        "word' w:val='14'/><w:compatSetting w:name='enableOpenTypeFeatures' "
        "w:uri='http://schemas.microsoft.com/office/word' w:val='1'/></w:compat></w:settings>"
    )
    set_compatibility_mode(settings)
    compat = settings.find(f"{{{W}}}compat")
    assert names(compat) == ["useFELayout", "compatSetting", "compatSetting"]
    assert [s.get(f"{{{W}}}val") for s in compat[1:]] == ["15", "1"]


def test_clean_package_drops_a_thumbnail_of_any_name_and_rewrites_app_xml() -> None:
    package = Package(
        "t.docx",
        (
            ("[Content_Types].xml", TYPES.encode()),
            ("_rels/.rels", RELS.encode()),
            ("docProps/app.xml", APP.encode()),
            ("docProps/preview.wmf", b"\x01\x02"),
            ("word/document.xml", f"<w:document {W_NS}/>".encode()),
        ),
    )
    cleaned = clean_package(package)
    assert cleaned.names() == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml",
                               "word/document.xml"]  # fmt: skip
    assert b"preview.wmf" not in cleaned.part("_rels/.rels")
    assert b"preview.wmf" not in cleaned.part("[Content_Types].xml")
    app = cleaned.part("docProps/app.xml").decode()
    assert "<Application>docgen</Application>" in app
    assert "<Company>闵行区医疗保障局</Company>" in app  # the owner's, kept
    assert "Microsoft" not in app and "<Pages>" not in app and "AppVersion" not in app


def test_a_package_without_app_xml_gets_one_declared_and_linked() -> None:
    package = Package(
        "t.docx",
        (
            ("[Content_Types].xml", TYPES.encode()),
            ("_rels/.rels", RELS.encode()),
            ("word/document.xml", f"<w:document {W_NS}/>".encode()),
        ),
    )
    cleaned = clean_package(package)
    assert cleaned.names()[-1] == "docProps/app.xml"
    assert b'PartName="/docProps/app.xml"' in cleaned.part("[Content_Types].xml")
    rels = cleaned.part("_rels/.rels").decode()
    assert 'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/' in rels
    assert 'Target="docProps/app.xml"' in rels


def test_app_properties_without_a_template() -> None:
    assert b"<Application>docgen</Application><DocSecurity>0</DocSecurity>" in app_properties()


def test_core_dates_revision_and_last_printed() -> None:
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><cp:revision>7</cp:revision>'
        "<cp:lastPrinted>2013-12-23T23:15:00Z</cp:lastPrinted><dcterms:created "
        'xsi:type="dcterms:W3CDTF">2013-12-23T23:15:00Z</dcterms:created></cp:coreProperties>'
    )
    moment = datetime.datetime(2024, 12, 31, tzinfo=datetime.timezone.utc)
    stamped = stamp_core(core.encode(), moment).decode()
    assert "2013" not in stamped and "lastPrinted" not in stamped
    assert "<cp:revision>1</cp:revision>" in stamped
    assert stamped.count(">2024-12-31T00:00:00Z</dcterms:") == 2  # created and modified


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [(None, "2024-12-31 00:00:00+00:00"), ("", "2024-12-31 00:00:00+00:00"),
     ("1735689600", "2025-01-01 00:00:00+00:00")],
)  # fmt: skip
def test_document_moment(epoch: str | None, expected: str) -> None:
    assert str(document_moment(2024, epoch)) == expected


def test_a_bad_source_date_epoch_says_what_to_set() -> None:
    with pytest.raises(InputError, match=r"SOURCE_DATE_EPOCH='yesterday' is not a time"):
        document_moment(2024, "yesterday")


def test_custom_properties_still_read() -> None:
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
        'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        'name="金额单位"><vt:lpwstr>元</vt:lpwstr></property></Properties>'
    )
    assert custom_properties(custom.encode()) == {"金额单位": "元"}


# --- what the user gets from `docgen render` -------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    for seed in SEEDS:
        shutil.copy(DATA / seed, tmp_path / "data" / seed)
    return tmp_path


def rendered(folder: Path, out: str, env: dict[str, str] | None = None) -> list[Path]:
    result = run_docgen("render", *(f"data/{s}" for s in SEEDS), "-o", out, cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    files = sorted((folder / out).glob("*.docx"))
    assert len(files) == 6  # seed 004: one project; seed 002: two; each a 自评表 and a 自评报告
    return files


def test_every_rendered_document_has_clean_properties(folder: Path) -> None:
    for path in rendered(folder, "out", {"SOURCE_DATE_EPOCH": ""}):
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            app = archive.read("docProps/app.xml").decode()
            core = archive.read("docProps/core.xml").decode()
            settings = archive.read("word/settings.xml").decode()
            rels = archive.read("_rels/.rels").decode()
        assert not [m for m in members if m.startswith("docProps/thumbnail")], path.name
        assert "thumbnail" not in rels
        assert "<Application>docgen</Application>" in app and "Microsoft" not in app
        year = path.name[:4]  # 2020_…, 2024_…: the 年度 of the data
        assert core.count(f">{year}-12-31T00:00:00Z</dcterms:") == 2, path.name
        assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" ' \
            'w:val="15"' in settings  # fmt: skip


def test_source_date_epoch_dates_every_document_and_output_is_deterministic(
    folder: Path,
) -> None:
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
    first = rendered(folder, "a", env)
    second = rendered(folder, "b", env)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
        with zipfile.ZipFile(one) as archive:
            core = archive.read("docProps/core.xml").decode()
        assert core.count(">2026-01-01T00:00:00Z</dcterms:") == 2, one.name


def test_a_bad_source_date_epoch_is_a_clear_error_and_writes_nothing(folder: Path) -> None:
    result = run_docgen(
        "render", f"data/{SEEDS[0]}", "-o", "out", cwd=folder, env={"SOURCE_DATE_EPOCH": "soon"}
    )
    assert result.returncode != 0
    assert "SOURCE_DATE_EPOCH='soon' is not a time" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(folder.glob("out/*.docx"))
