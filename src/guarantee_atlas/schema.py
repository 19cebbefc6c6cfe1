"""One pandera schema per table in ``data/``, checked at load and in the tests.

Columns arrive as text (see ``data.read_csv``); dates stay ISO text until the
schema has accepted them, so a bad date is reported with its row and column
instead of turning silently into NaT.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from . import vocab
from .countries import is_valid_iso3

DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
SLUG_RE = r"^[a-z0-9][a-z0-9-]*$"


def _is_date(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    return parsed.notna() & series.str.match(DATE_RE)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


IS_DATE = Check(_is_date, element_wise=False, error="is not a date in YYYY-MM-DD form")
IS_ISO3 = Check(lambda s: s.map(is_valid_iso3), error="is not an ISO 3166-1 alpha-3 code (EU: EUU)")
NOT_BLANK = Check(lambda s: s.str.strip().str.len() > 0, error="is blank")
IDS_LIST = Check(lambda s: s.map(lambda v: len(_split(v)) > 0), error="names no id")
ISO3_LIST = Check(
    lambda s: s.map(lambda v: all(is_valid_iso3(c) for c in _split(v))),
    error="holds a code that is not ISO 3166-1 alpha-3",
)
LIST_OF_SLUGS = Check(
    lambda s: s.map(lambda v: bool(_split(v)) and all(re.match(SLUG_RE, m) for m in _split(v))),
    error="must list lowercase ids separated by ';'",
)


def _text(nullable: bool = False, checks: list[Check] | None = None) -> Column:
    return Column(str, checks=([] if nullable else [NOT_BLANK]) + (checks or []), nullable=nullable)


def _date(nullable: bool = False) -> Column:
    return Column(str, checks=[IS_DATE], nullable=nullable)


def _one_of(values, nullable: bool = False) -> Column:
    return Column(str, checks=[Check.isin(list(values))], nullable=nullable)


def _number(nullable: bool = False, min_value: float = 0.0) -> Column:
    return Column(float, checks=[Check.ge(min_value)], nullable=nullable, coerce=True)


# Columns that name a country whose code is in ``iso3``: in another language the name comes from the code
# (countries.name_in_language), not from a twin column.
COUNTRY_NAME_COLUMNS: dict[str, str] = {"agreements": "partner", "aid": "donor", "aid_yearly": "donor", "guarantors": "country"}

# Every shown text column of each table, in English; each has a Ukrainian twin ``c_uk`` right after it
# (data/README.md, "Translations"). The twins are declared here only: the schemas below gain them from this table.
TRANSLATED: dict[str, tuple[str, ...]] = {
    "models": ("name", "short_name", "chart_label", "legal_form", "status", "status_short", "count_note", "summary"),
    "roles": ("label", "description"),
    "comparison": ("value", "detail"),
    "us_israel_mou": ("label", "note"),
    "aid": ("note",),
    "provisions": ("detail",),
    "events": ("title", "detail", "note"),
    "agreements": ("place", "signatories", "pledge_period", "pledge_text", "notable", "note"),
    "guarantors": ("commitment", "note"),
}
# The languages a shown text column has a twin for, besides English (the column without suffix).
TRANSLATION_LANGUAGES = ("uk",)


def translated_column(column: str, lang: str) -> str:
    """The name of ``column``'s twin in ``lang``: ``name`` → ``name_uk``."""
    return f"{column}_{lang}"


def translation_columns(table: str) -> list[str]:
    """Every twin column of ``table`` (empty for a table with no shown text)."""
    return [translated_column(c, lang) for c in TRANSLATED.get(table, ()) for lang in TRANSLATION_LANGUAGES]


def _with_translations(table: str, columns: dict[str, Column]) -> dict[str, Column]:
    """``columns`` with each translated column's twins inserted right after it.

    A twin is text that may be empty here: whether it must be filled depends on
    its English cell, which ``translation_problems`` checks row by row.
    """
    unknown = set(TRANSLATED.get(table, ())) - set(columns)
    if unknown:
        raise ValueError(f"schema.TRANSLATED names columns {table} does not have: {sorted(unknown)}")
    result: dict[str, Column] = {}
    for name, column in columns.items():
        result[name] = column
        if name in TRANSLATED.get(table, ()):
            for lang in TRANSLATION_LANGUAGES:
                result[translated_column(name, lang)] = Column(str, nullable=True)
    return result


def _is_empty(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def translation_problems(table: str, frame: pd.DataFrame) -> list[str]:
    """Readable lines for twins out of place or out of step with their English cell.

    A twin comes right after its column; it is empty exactly when the English
    cell is: a row with English and no Ukrainian (or the reverse) is named by
    its row (as in the file: the header is row 1) and column.
    """
    problems: list[str] = []
    columns = list(frame.columns)
    for column in TRANSLATED.get(table, ()):
        for offset, lang in enumerate(TRANSLATION_LANGUAGES, start=1):
            twin = translated_column(column, lang)
            if column not in columns or twin not in columns:
                continue  # reported as a missing column
            if columns.index(twin) != columns.index(column) + offset:
                problems.append(f"column {twin!r} must come right after {column!r}")
            for index, english, other in zip(frame.index, frame[column], frame[twin]):
                row = f"row {int(index) + 2}"
                if _is_empty(other) and not _is_empty(english):
                    problems.append(f"{row}, column {twin!r}: empty, but {column!r} is not (the translation is missing)")
                elif _is_empty(english) and not _is_empty(other):
                    problems.append(f"{row}, column {twin!r}: has text, but {column!r} is empty")
    return problems


SOURCE_IDS = Column(str, checks=[IDS_LIST])
# A link a reader can follow: sources.csv's url and url_uk
URL_RE = r"^https?://\S+$"
# Model and role ids are checked against models.csv and roles.csv after loading (data._check_references).
MODEL_ID = Column(str, checks=[Check.str_matches(SLUG_RE)])
ISO3 = Column(str, checks=[IS_ISO3])


def _strength_unique_in_model(df: pd.DataFrame) -> pd.Series:
    return ~df.duplicated(subset=["model_id", "strength"], keep=False)


def _until_after_since(df: pd.DataFrame) -> pd.Series:
    both = df["since"].notna() & df["until"].notna()
    return ~both | (df["until"] >= df["since"])


def _span_end_valid(df: pd.DataFrame) -> pd.Series:
    """An event has no end_date; a span's end_date, if any, is not before its date.

    A span with no end_date is ongoing (drawn up to the data's as-of date).
    """
    has_end = df["end_date"].notna()
    order_ok = ~has_end | (df["end_date"] >= df["date"])
    return order_ok & ~(has_end & (df["kind"] == "event"))


def _pledge_has_currency(df: pd.DataFrame) -> pd.Series:
    return df["pledge_amount"].isna() | df["pledge_currency"].notna()


def _single_value(column: str):
    return Check(
        lambda df: pd.Series(df[column].nunique() <= 1, index=df.index),
        error=f"all rows must share one {column} (one release of the tracker)",
    )


SCHEMAS: dict[str, DataFrameSchema] = {
    "sources": DataFrameSchema(
        _with_translations("sources", {
            "source_id": Column(str, checks=[Check.str_matches(SLUG_RE)], unique=True),
            "publisher": _text(),
            "original_publisher": _text(nullable=True),
            "title": _text(),
            "url": Column(str, checks=[Check.str_matches(URL_RE)]),
            # The same document in Ukrainian where its publisher publishes one (linked in the Ukrainian view)
            "url_uk": Column(str, checks=[Check.str_matches(URL_RE)], nullable=True),
            "published": _date(nullable=True),
            "accessed": _date(),
            "kind": _one_of(vocab.SOURCE_KINDS),
            "note": _text(nullable=True),
        }),
        strict=True,
        name="sources",
    ),
    "models": DataFrameSchema(
        _with_translations("models", {
            "model_id": Column(str, checks=[Check.str_matches(SLUG_RE)], unique=True),
            "order": Column(int, checks=[Check.ge(1)], coerce=True, unique=True),
            "name": _text(),
            "short_name": _text(),
            "chart_label": _text(),
            "date": _date(),
            "legal_form": _text(),
            "status": _text(),
            "status_short": _text(),
            "count_note": _text(nullable=True),
            "summary": _text(),
            "source_ids": SOURCE_IDS,
        }),
        strict=True,
        name="models",
    ),
    "roles": DataFrameSchema(
        _with_translations("roles", {
            "role_id": Column(str, checks=[Check.str_matches(r"^[a-z0-9_]+$")], unique=True),
            "model_id": Column(str, checks=[Check.str_matches(SLUG_RE)], nullable=True),
            "label": _text(),
            "strength": Column(int, checks=[Check.in_range(0, 5)], coerce=True),
            "guarantor": Column(bool),
            "description": _text(),
            "source_ids": SOURCE_IDS,
        }),
        checks=[Check(_strength_unique_in_model, error="two roles of one model share a strength (the map could not rank them)")],
        strict=True,
        name="roles",
    ),
    "guarantors": DataFrameSchema(
        _with_translations("guarantors", {
            "model_id": MODEL_ID,
            "iso3": ISO3,
            "country": _text(),
            "role": Column(str, checks=[Check.str_matches(r"^[a-z0-9_]+$")]),
            "since": _date(nullable=True),
            "until": _date(nullable=True),
            "basis": _one_of(vocab.BASIS),
            "commitment": _text(nullable=True),
            "note": _text(nullable=True),
            "source_ids": SOURCE_IDS,
        }),
        checks=[
            Check(_until_after_since, error="until is before since"),
        ],
        unique=["model_id", "iso3", "role"],
        strict=True,
        name="guarantors",
    ),
    "provisions": DataFrameSchema(
        _with_translations("provisions", {
            "model_id": MODEL_ID,
            "provision": _one_of(vocab.PROVISIONS),
            "level": _one_of(vocab.LEVELS),
            "detail": _text(),
            "disputed": Column(bool),
            "source_ids": SOURCE_IDS,
        }),
        unique=["model_id", "provision"],
        strict=True,
        name="provisions",
    ),
    "comparison": DataFrameSchema(
        _with_translations("comparison", {
            "dimension": _one_of(vocab.DIMENSIONS),
            "model_id": MODEL_ID,
            "value": _text(),
            "detail": _text(),
            "score": Column(int, checks=[Check.in_range(0, 3)], coerce=True),
            "disputed": Column(bool),
            "source_ids": SOURCE_IDS,
        }),
        unique=["dimension", "model_id"],
        strict=True,
        name="comparison",
    ),
    "agreements": DataFrameSchema(
        _with_translations("agreements", {
            "iso3": Column(str, checks=[IS_ISO3], unique=True),
            "partner": _text(),
            "date_signed": _date(),
            "place": _text(nullable=True),
            "signatories": _text(nullable=True),
            "duration_years": _number(nullable=True),
            "pledge_amount": _number(nullable=True),
            "pledge_currency": Column(str, checks=[Check.str_matches(r"^[A-Z]{3}$")], nullable=True),
            "pledge_period": _text(nullable=True),
            "pledge_text": _text(),
            "consult_24h": _one_of(vocab.CONSULT_24H),
            "in_official_list": Column(bool),
            "notable": _text(nullable=True),
            "note": _text(nullable=True),
            "source_ids": SOURCE_IDS,
        }),
        checks=[Check(_pledge_has_currency, error="pledge_amount given without pledge_currency")],
        strict=True,
        name="agreements",
    ),
    "aid": DataFrameSchema(
        _with_translations("aid", {
            "iso3": ISO3,
            "donor": _text(),
            "aid_type": _one_of(vocab.AID_TYPES),
            "eur_bn": _number(),
            "cutoff_date": _date(),
            "release": _text(),
            "bilateral_pct_gdp_2021": _number(nullable=True),
            "note": _text(nullable=True),
            "source_ids": SOURCE_IDS,
        }),
        checks=[_single_value("cutoff_date"), _single_value("release")],
        unique=["iso3", "aid_type"],
        strict=True,
        name="aid",
    ),
    "aid_yearly": DataFrameSchema(
        _with_translations("aid_yearly", {
            "iso3": ISO3,
            "donor": _text(),
            "year": Column(int, checks=[Check.in_range(2022, 2030)], coerce=True),
            "aid_type": _one_of(vocab.AID_TYPES),
            "eur_bn": _number(),
            "cutoff_date": _date(),
            "release": _text(),
            "source_ids": SOURCE_IDS,
        }),
        checks=[_single_value("cutoff_date"), _single_value("release")],
        unique=["iso3", "year", "aid_type"],
        strict=True,
        name="aid_yearly",
    ),
    "us_israel_mou": DataFrameSchema(
        _with_translations("us_israel_mou", {
            "mou_id": Column(str, checks=[Check.str_matches(SLUG_RE)], unique=True),
            "label": _text(),
            "signed": _date(nullable=True),
            "fy_start": Column(int, checks=[Check.in_range(1970, 2040)], coerce=True),
            "fy_end": Column(int, checks=[Check.in_range(1970, 2040)], coerce=True),
            "total_usd_bn": _number(nullable=True),
            "fmf_usd_bn_per_year": _number(nullable=True),
            "missile_defence_usd_bn_per_year": _number(nullable=True),
            "note": _text(nullable=True),
            "source_ids": SOURCE_IDS,
        }),
        checks=[Check(lambda df: df["fy_end"] >= df["fy_start"], error="fy_end is before fy_start")],
        strict=True,
        name="us_israel_mou",
    ),
    "events": DataFrameSchema(
        _with_translations("events", {
            "event_id": Column(str, checks=[Check.str_matches(SLUG_RE)], unique=True),
            "date": _date(),
            "end_date": _date(nullable=True),
            "date_precision": _one_of(vocab.DATE_PRECISION),
            "title": _text(),
            "detail": _text(),
            "model_ids": Column(str, checks=[LIST_OF_SLUGS]),
            "iso3s": Column(str, checks=[ISO3_LIST], nullable=True),
            "kind": _one_of(vocab.EVENT_KINDS),
            "note": _text(nullable=True),
            "source_ids": SOURCE_IDS,
        }),
        checks=[Check(_span_end_valid, error="an event has no end_date; a span's end_date is not before its date")],
        strict=True,
        name="events",
    ),
}

BOOL_COLUMNS = {"disputed", "in_official_list", "guarantor"}
DATE_COLUMNS = {"published", "accessed", "date", "since", "until", "date_signed", "cutoff_date", "signed", "end_date"}
LIST_COLUMNS = {"source_ids", "model_ids", "iso3s"}

MAX_REPORTED = 20
REQUIRED_TABLES = ("sources", "models", "roles", "guarantors", "provisions", "comparison", "agreements", "aid", "events", "us_israel_mou")
OPTIONAL_TABLES = ("aid_yearly",)


def split_ids(value: object) -> list[str]:
    """Split a ``;``-separated id list; empty for missing values."""
    return _split(value) if isinstance(value, str) else []


def failure_message(table: str, exc: pa.errors.SchemaErrors) -> list[str]:
    """Readable lines ('row 14, column iso3: ...') from pandera's failure cases.

    A check on whole rows is reported once per row, not once per column.
    """
    lines: list[str] = []
    seen: set[tuple] = set()
    cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        index = getattr(case, "index", None)
        row = f"row {int(index) + 2}" if isinstance(index, (int, float)) and not pd.isna(index) else "table"
        check = re.sub(r"^<Check [^:]*: |>$", "", str(case.check))
        whole_row = case.schema_context == "DataFrameSchema" and not str(case.check).startswith(
            ("column_in_", "field_uniqueness", "multiple_fields_uniqueness")
        )
        if whole_row and (row, check) in seen:
            continue
        seen.add((row, check))
        if whole_row:
            lines.append(f"{row}: {check}")
        else:
            column = case.column if isinstance(case.column, str) else "(whole row)"
            lines.append(f"{row}, column {column!r}: value {case.failure_case!r} — {check}")
    if len(lines) > MAX_REPORTED:
        lines = lines[:MAX_REPORTED] + [f"… and {len(lines) - MAX_REPORTED} more problems"]
    return lines
