"""Loading and validation: good data loads; every kind of bad file is named precisely."""

from pathlib import Path

import pandas as pd
import pytest

from guarantee_atlas import schema
from guarantee_atlas.data import DataUnavailable, load_dataset
from conftest import FIXTURE_DATA


def test_fixture_dataset_loads_every_table():
    ds = load_dataset(FIXTURE_DATA)
    assert ds.errors == {}
    assert set(schema.REQUIRED_TABLES) <= set(ds.tables)
    assert ds.version == "0.0.0-fixture"
    assert pd.api.types.is_datetime64_any_dtype(ds.tables["guarantors"]["since"])
    assert ds.tables["provisions"]["disputed"].dtype == bool


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        ("guarantors", "budapest,USA,United States", "budapest,XYZ,United States", "row 2, column 'iso3'"),
        ("guarantors", "1994-12-05,,sourced", "1994-13-45,,sourced", "column 'since'"),
        ("guarantors", ",sourced,,,,,fx-memo\n", ",guessed,,,,,fx-memo\n", "column 'basis'"),
        ("guarantors", "ksc,USA,United States,core_guarantor", "ksc,USA,United States,prime_guarantor", "role 'prime_guarantor' belongs to model 'israel', not 'ksc'"),
        ("aid", "USA,United States,military,64.62", "USA,United States,military,-1", "column 'eur_bn'"),
        ("aid", "GBR,United Kingdom,military,16.19,2026-04-30", "GBR,United Kingdom,military,16.19,2026-03-31", "one cutoff_date"),
        ("events", "1994-12-05,2014-02-27,day", "1994-12-05,1990-01-01,day", "row 4: an event has no end_date; a span's end_date is not before its date"),
        ("agreements", "GBR,United Kingdom", "GBR,United Kingdom,surplus", "well-formed CSV"),
        ("sources", "https://example.org/memo", "ftp:/broken", "column 'url'"),
        ("provisions", "false,fx-memo", "maybe,fx-memo", "must be true or false"),
        ("models", "source_ids", "sources", "missing column 'source_ids'"),
    ],
)
def test_schema_errors_name_file_row_and_column(fixture_data_dir, table, old, new, expected):
    _rewrite(fixture_data_dir / f"{table}.csv", old, new)
    ds = load_dataset(fixture_data_dir)
    assert table in ds.errors, f"{table} should have failed"
    message = str(ds.errors[table])
    assert message.startswith(f"{table}.csv:")
    assert expected in message
    others = set(schema.REQUIRED_TABLES) - {table, "sources"}
    assert others - set(ds.errors), "other tables keep loading"


def test_unknown_source_id_is_reported_with_row(fixture_data_dir):
    _rewrite(fixture_data_dir / "guarantors.csv", "на 2024 р.\",,,fx-news", "на 2024 р.\",,,fx-news;no-such-source")
    ds = load_dataset(fixture_data_dir)
    assert "row 12, column 'source_ids': unknown id(s) no-such-source" in str(ds.errors["guarantors"])


def test_missing_file_and_missing_provision_cell(fixture_data_dir):
    (fixture_data_dir / "events.csv").unlink()
    lines = (fixture_data_dir / "provisions.csv").read_text().splitlines()
    (fixture_data_dir / "provisions.csv").write_text("\n".join(lines[:-1]) + "\n")
    ds = load_dataset(fixture_data_dir)
    assert str(ds.errors["events"]) == "events.csv: file is missing"
    assert "no row for model 'israel' and provision 'automatic_defence'" in str(ds.errors["provisions"])
    with pytest.raises(DataUnavailable) as raised:
        ds.require("models", "events")
    assert [e.file_name for e in raised.value.errors] == ["data/events.csv"]


def test_binary_garbage_is_reported_not_raised(fixture_data_dir):
    (fixture_data_dir / "aid.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    ds = load_dataset(fixture_data_dir)
    assert "aid.csv" in str(ds.errors["aid"])


def test_sources_for_keeps_first_seen_order_and_skips_unknown():
    ds = load_dataset(FIXTURE_DATA)
    rows = ds.sources_for(["fx-news;fx-memo", "fx-news", "nope"])
    assert list(rows["source_id"]) == ["fx-news", "fx-memo"]
