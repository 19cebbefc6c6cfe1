"""Bad data files: pages that need a broken table name the file and the problem; the others keep working.

Every table is broken three ways (missing, corrupt bytes, a schema-breaking
header) and checked at load time; on the pages, each table is broken one of
those ways (rotating, so each way is seen on every page) and every page runs.
A page either shows the error, naming ``data/<table>.csv`` and the problem,
or draws exactly what it draws on intact data. Never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import chart_elements

from guarantee_atlas import schema
from guarantee_atlas.data import load_dataset
from guarantee_atlas.layout import ROOT, available_pages

PAGES = available_pages()
TABLES = schema.REQUIRED_TABLES + schema.OPTIONAL_TABLES


def _missing(path: Path) -> None:
    path.unlink(missing_ok=True)


def _corrupt(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00\x81 not a CSV \x00")


def _wrong_header(path: Path) -> None:
    columns = list(schema.SCHEMAS[path.stem].columns)
    body = path.read_text(encoding="utf-8").split("\n", 1)[1] if path.exists() else ""
    path.write_text(",".join(["renamed_column", *columns[1:]]) + "\n" + body, encoding="utf-8")


# How each breakage is reported (see data.read_csv and data.validate_table).
BREAKAGES = {
    "missing": (_missing, "file is missing"),
    "corrupt": (_corrupt, "is not UTF-8 text"),
    "schema": (_wrong_header, "missing column"),
}
# On the pages, the tables take the three breakages in turn.
PAGE_BREAKAGE = {table: list(BREAKAGES)[i % len(BREAKAGES)] for i, table in enumerate(TABLES)}
# aid_yearly is optional: absent is a valid state, so it is broken by bytes, not by absence.
PAGE_BREAKAGE["aid_yearly"] = "corrupt"


def _break(data_dir: Path, table: str, breakage: str) -> str:
    action, problem = BREAKAGES[breakage]
    action(data_dir / f"{table}.csv")
    return problem


@pytest.mark.parametrize("breakage", list(BREAKAGES))
@pytest.mark.parametrize("table", TABLES)
def test_each_broken_table_is_reported_by_file_and_problem(fixture_data_dir, table, breakage):
    if table in schema.OPTIONAL_TABLES and breakage == "missing":
        _missing(fixture_data_dir / f"{table}.csv")
        assert load_dataset(fixture_data_dir).errors == {}, "an optional table may be absent"
        return
    problem = _break(fixture_data_dir, table, breakage)
    ds = load_dataset(fixture_data_dir)
    assert ds.errors[table].file_name == f"data/{table}.csv"
    assert problem in str(ds.errors[table])
    if table != "sources":  # every table cites sources.csv; without it, they load unchecked
        assert set(ds.errors) == {table}, "only the broken table fails"


_INTACT_CHARTS: dict[str, int] = {}


@pytest.fixture
def intact_charts(run_page) -> dict[str, int]:
    """Charts each page draws on the intact fixture data (computed once)."""
    if not _INTACT_CHARTS:
        counts = {}
        for info in PAGES:
            at = run_page(info.path, fresh_data=info is PAGES[0])
            assert not at.exception, f"{info.page_id} fails on intact data"
            counts[info.page_id] = len(chart_elements(at))
        _INTACT_CHARTS.update(counts)
    return _INTACT_CHARTS


@pytest.mark.parametrize("table", TABLES)
def test_pages_name_the_broken_table_or_keep_working(run_page, fixture_data_dir, intact_charts, table):
    breakage = PAGE_BREAKAGE[table]
    problem = _break(fixture_data_dir, table, breakage)
    file_name = f"data/{table}.csv"
    showing_error = []
    for info in PAGES:  # the broken dataset is loaded once, then shared by every page
        at = run_page(info.path, data_dir=fixture_data_dir, fresh_data=info is PAGES[0])
        where = f"{info.page_id} with {file_name} {breakage}"
        assert not at.exception, f"{where}: traceback {at.exception[0].value[:200] if at.exception else ''}"
        sidebar = " ".join(e.value for e in at.sidebar.error)
        assert file_name in sidebar, f"{where}: the sidebar does not name the broken file"
        errors = [e.value for e in at.main.error]
        if errors:
            text = " ".join(errors)
            assert file_name in text and problem in text, f"{where}: unclear error {text[:300]!r}"
            showing_error.append(info.page_id)
        else:
            charts = len(chart_elements(at))
            assert charts == intact_charts[info.page_id], f"{where}: {charts} charts, {intact_charts[info.page_id]} on intact data"
    if table in ("models", "guarantors"):
        assert "home" in showing_error, "the home page needs models and guarantors"


# The one place HTML is written into a page: the compare page's cells, whose every piece of data
# text is escaped (tests/test_compare_figures.py holds hostile text to it).
ALLOWED_HTML = {"pages/3_compare.py": "st.markdown(block, unsafe_allow_html=True)"}


def test_no_unsafe_html_anywhere_and_xsrf_protection_on():
    """No page or module renders raw HTML but the one reviewed place; the server keeps XSRF protection on."""
    sources = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "src").rglob("*.py"))]
    raw_html = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1\.html\(")
    offenders = []
    for path in sources:
        name = str(path.relative_to(ROOT))
        for line in path.read_text(encoding="utf-8").splitlines():
            if raw_html.search(line) and line.strip() != ALLOWED_HTML.get(name):
                offenders.append(f"{name}: {line.strip()}")
    assert offenders == []
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^enableXsrfProtection\s*=\s*true", config, re.M)
