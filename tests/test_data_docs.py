"""The shipped data: every table loads, and every table and column is documented."""

import re
from pathlib import Path

import pytest

from guarantee_atlas import schema
from guarantee_atlas.data import DEFAULT_DATA_DIR, load_dataset

README = (DEFAULT_DATA_DIR / "README.md").read_text(encoding="utf-8")


def _section(table: str) -> str:
    match = re.search(rf"(?ms)^## {re.escape(table)}\.csv\s*$(.*?)(?=^## |\Z)", README)
    assert match, f"data/README.md has no section '## {table}.csv'"
    return match.group(1)


@pytest.mark.parametrize("table", list(schema.SCHEMAS))
def test_every_table_and_column_is_documented(table):
    section = _section(table)
    for column in schema.SCHEMAS[table].columns:
        assert re.search(rf"(?m)^- (`{column}`|\*\*{column}\*\*)", section), f"{table}.{column} is not described"


def test_every_data_file_has_a_schema():
    files = {p.stem for p in Path(DEFAULT_DATA_DIR).glob("*.csv")}
    assert files <= set(schema.SCHEMAS), f"CSV files without a schema: {files - set(schema.SCHEMAS)}"


def test_shipped_dataset_validates_completely():
    ds = load_dataset(DEFAULT_DATA_DIR)
    assert ds.errors == {}, {k: e.problems[:3] for k, e in ds.errors.items()}
    assert ds.version == (DEFAULT_DATA_DIR / "VERSION").read_text().strip()


def test_shipped_dataset_covers_what_the_product_promises():
    ds = load_dataset(DEFAULT_DATA_DIR)
    guarantors, agreements, aid, events = ds.require("guarantors", "agreements", "aid", "events")
    budapest = guarantors[guarantors["model_id"] == "budapest"]
    assert set(budapest.loc[budapest["role"] == "signatory_assurer", "iso3"]) == {"USA", "GBR", "RUS"}
    assert set(budapest.loc[budapest["role"] == "separate_assurance", "iso3"]) == {"FRA", "CHN"}
    assert "RUS" in set(budapest.loc[budapest["role"] == "violator", "iso3"])
    core = guarantors[(guarantors["model_id"] == "ksc") & (guarantors["role"] == "core_guarantor")]
    assert set(core["iso3"]) == {"USA", "GBR", "CAN", "POL", "ITA", "DEU", "FRA", "AUS", "TUR"}
    assert set(guarantors.loc[guarantors["role"] == "named_group_member", "basis"]) == {"inferred"}
    assert len(agreements) == 29 and agreements["in_official_list"].sum() == 28
    assert not agreements.loc[agreements["iso3"] == "HRV", "in_official_list"].item()
    assert aid["cutoff_date"].nunique() == 1 and aid["release"].nunique() == 1
    assert len(events) >= 35 and events["date"].min().year == 1991 and events["date"].max().year >= 2026
    for model_id in ds.registry.ids:
        assert events["model_ids"].str.contains(model_id).any(), f"the timeline has no lane entry for {model_id}"


def test_every_source_is_cited_by_a_row_or_the_data_readme():
    ds = load_dataset(DEFAULT_DATA_DIR)
    cited = set()
    for frame in ds.tables.values():
        if "source_ids" in frame.columns:
            cited |= {s for v in frame["source_ids"] for s in schema.split_ids(v)}
    unused = {s for s in set(ds.tables["sources"]["source_id"]) - cited if f"`{s}`" not in README}
    assert not unused, f"sources cited nowhere: {sorted(unused)[:10]}"


def _line_kind(line: str) -> str:
    """What a markdown line is, whatever its language: heading level, list item, table row, rule, blank, text."""
    stripped = line.strip()
    if not stripped:
        return "blank"
    if stripped.startswith("#"):
        return "h" + str(len(stripped) - len(stripped.lstrip("#")))
    if stripped == "---":
        return "rule"
    if stripped.startswith("|"):
        return f"row{stripped.count('|')}"
    if re.match(r"^(\s*)([-*]|\d+\.)\s", line):
        return "item" + str(len(line) - len(line.lstrip()))
    return "text"


@pytest.mark.parametrize("name", ["README", "CHANGELOG"])
def test_the_ukrainian_documentation_follows_the_english_line_by_line(name):
    """data/<name>-uk.md (shown on the Methodology page in Ukrainian) has every line of data/<name>.md:
    same headings, lists, tables and `code` in the same places; an English edit without its Ukrainian fails."""
    english = (DEFAULT_DATA_DIR / f"{name}.md").read_text(encoding="utf-8").splitlines()
    ukrainian = (DEFAULT_DATA_DIR / f"{name}-uk.md").read_text(encoding="utf-8").splitlines()
    assert len(ukrainian) == len(english), f"{name}-uk.md has {len(ukrainian)} lines, {name}.md {len(english)}"
    for number, (en, uk) in enumerate(zip(english, ukrainian), start=1):
        assert _line_kind(uk) == _line_kind(en), f"line {number}: {en[:60]!r} / {uk[:60]!r}"
        assert sorted(re.findall(r"`[^`]+`", uk)) == sorted(re.findall(r"`[^`]+`", en)), f"line {number}: code spans"
        if re.match(r"^#+ \S+\.(csv|md)$", en):
            assert uk == en, f"line {number}: a file's heading stays its name"
