"""Load and validate the tables in ``data/``: the only module that reads them.

``load_dataset`` is pure (no Streamlit): it reads every table, validates each
against its schema and then across tables (source ids, model ids), and keeps a
per-table error instead of raising, so that pages which do not need a broken
table keep working. Streamlit caches it once per process (see ``app_state``).
"""

from __future__ import annotations

import csv
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import countries, i18n, schema, vocab
from .registry import CONTEXT, Registry, build_registry

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def current_data_dir() -> Path:
    """The data folder: $GUARANTEE_ATLAS_DATA_DIR if set (tests), else data/."""
    return Path(os.environ.get("GUARANTEE_ATLAS_DATA_DIR") or DEFAULT_DATA_DIR)


class DataError(Exception):
    """A table that could not be loaded; names the file and the problems."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path.name}: " + "; ".join(problems))

    @property
    def file_name(self) -> str:
        return f"data/{self.path.name}"


class DataUnavailable(Exception):
    """Raised by ``Dataset.require`` when a table a page needs is broken."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as text columns; empty cells become missing values.

    Rows are read with the csv module first so that a row with too many or
    too few fields is reported by its line instead of shifting columns.
    """
    if not path.exists():
        raise DataError(path, ["file is missing"])
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, strict=True))
    except UnicodeDecodeError as exc:
        raise DataError(path, [f"is not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    except csv.Error as exc:
        raise DataError(path, [f"is not a well-formed CSV: {exc}"]) from exc
    if not rows or not any(rows[0]):
        raise DataError(path, ["is empty (no header row)"])
    header, body = rows[0], [r for r in rows[1:] if r]
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise DataError(
                path, [f"is not a well-formed CSV: row {line} has {len(row)} fields, the header has {len(header)}"]
            )
    frame = pd.DataFrame(body, columns=header, dtype=str).replace("", pd.NA)
    for column in schema.BOOL_COLUMNS & set(frame.columns):
        frame[column] = _parse_bool(path, frame, column)
    return frame


def _parse_bool(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    mapping = {"true": True, "false": False}
    lowered = frame[column].str.strip().str.lower()
    bad = lowered.notna() & ~lowered.isin(mapping)
    if bad.any() or lowered.isna().any():
        row = int((bad | lowered.isna()).idxmax()) + 2
        raise DataError(path, [f"row {row}, column {column!r}: must be true or false"])
    return lowered.map(mapping).astype(bool)


def validate_table(name: str, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check one table against its schema; raise DataError naming rows and columns."""
    table_schema = schema.SCHEMAS[name]
    missing = [c for c in table_schema.columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in table_schema.columns]
    if missing or extra:
        problems = [f"missing column {c!r}" for c in missing] + [f"unexpected column {c!r}" for c in extra]
        raise DataError(path, problems)
    untranslated = schema.translation_problems(name, frame)
    try:
        valid = table_schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(path, _capped(schema.failure_message(name, exc) + untranslated)) from exc
    if untranslated:
        raise DataError(path, _capped(untranslated))
    for column in schema.DATE_COLUMNS & set(valid.columns):
        valid[column] = pd.to_datetime(valid[column], format="%Y-%m-%d")
    return valid


def _capped(lines: list[str]) -> list[str]:
    if len(lines) > schema.MAX_REPORTED:
        return lines[: schema.MAX_REPORTED] + [f"… and {len(lines) - schema.MAX_REPORTED} more problems"]
    return lines


def _dangling(frame: pd.DataFrame, column: str, known: set[str]) -> list[str]:
    problems = []
    for index, value in frame[column].items():
        unknown = [v for v in schema.split_ids(value) if v not in known]
        if unknown:
            problems.append(f"row {int(index) + 2}, column {column!r}: unknown id(s) {', '.join(unknown)}")
    return problems


@dataclass
class Dataset:
    """Validated tables plus the errors of the ones that failed.

    ``load_dataset`` keeps every column of the files, the Ukrainian twins
    (``name_uk``) included; the pages read ``in_language(lang)``, a view in
    which each shown text column holds that language and no twin is left.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: dict[str, DataError] = field(default_factory=dict)
    version: str = "unknown"
    language: str | None = None  # None: as loaded, both languages; "en" or "uk": a view in that language
    _registry: Registry | None = field(default=None, repr=False, compare=False)
    _views: dict[str, "Dataset"] = field(default_factory=dict, repr=False, compare=False)
    _views_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _loaded: "Dataset | None" = field(default=None, repr=False, compare=False)

    def in_language(self, lang: str) -> "Dataset":
        """The dataset as read in ``lang`` ("en" or "uk"): made once, then the same object on every call.

        For "uk" each translated column ``c`` (``schema.TRANSLATED``) takes the
        values of ``c_uk``; in every language the twins are dropped, so a page
        sees the columns it sees in English. Errors and version are carried
        over; the view builds its own registry from its translated models and
        roles. A view's tables are shared: read-only, like every cached frame.
        """
        if lang != "en" and lang not in schema.TRANSLATION_LANGUAGES:
            raise ValueError(f"no data in language {lang!r}: one of en, {', '.join(schema.TRANSLATION_LANGUAGES)}")
        loaded = self._loaded or self
        if self is not loaded:
            return loaded.in_language(lang)
        with self._views_lock:
            view = self._views.get(lang)
            if view is None:
                view = Dataset(
                    tables={name: _in_language(name, frame, lang) for name, frame in self.tables.items()},
                    errors=dict(self.errors),
                    version=self.version,
                    language=lang,
                    _loaded=self,
                )
                self._views[lang] = view
            return view

    def require(self, *names: str) -> list[pd.DataFrame]:
        """The named tables, or DataUnavailable listing every broken one."""
        broken = [self.errors[n] for n in names if n in self.errors]
        if broken:
            raise DataUnavailable(broken)
        return [self.tables[n] for n in names]

    @cached_property
    def checked_on(self) -> date | None:
        """The latest date a source was checked: the 'as of' of the compiled tables (worked out once)."""
        sources = self.tables.get("sources")
        if sources is None or sources["accessed"].isna().all():
            return None
        return sources["accessed"].max().date()

    @property
    def registry(self) -> Registry:
        """The models (and their roles) in display order; raises DataUnavailable if models.csv is broken."""
        models, roles = self.require("models", "roles")
        if self._registry is None:
            self._registry = build_registry(models, roles)
        return self._registry

    def has(self, name: str) -> bool:
        return name in self.tables

    def sources_for(self, ids) -> pd.DataFrame:
        """Rows of sources.csv for an iterable of ids or id lists, first-seen order."""
        wanted: list[str] = []
        for value in ids:
            for source_id in schema.split_ids(value):
                if source_id not in wanted:
                    wanted.append(source_id)
        sources = self.tables.get("sources")
        if sources is None:
            return pd.DataFrame(columns=list(schema.SCHEMAS["sources"].columns))
        indexed = sources.set_index("source_id")
        present = [s for s in wanted if s in indexed.index]
        return indexed.loc[present].reset_index()


def _in_language(name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One table as read in ``lang``: each translated column takes its twin's values; no twin is left.

    A column that names a country by its code (``schema.COUNTRY_NAME_COLUMNS``: Kiel's donors, the
    agreements' partners) is written in ``lang`` from the code, as every other country name is.
    """
    twins = [c for c in schema.translation_columns(name) if c in frame.columns]
    named = schema.COUNTRY_NAME_COLUMNS.get(name)
    if not twins and not (named and lang != "en"):
        return frame
    view = frame.copy()
    if lang != "en":
        for column in schema.TRANSLATED.get(name, ()):
            twin = schema.translated_column(column, lang)
            if twin in view.columns:
                view[column] = view[twin]
        if named:
            with i18n.language(lang):
                view = countries.with_names(view, "iso3", named)
    return view.drop(columns=twins)


def load_dataset(folder: Path | None = None) -> Dataset:
    """Read and validate every table; never raises for a bad table."""
    data_dir = folder or current_data_dir()
    dataset = Dataset(version=read_version(data_dir))
    names = schema.REQUIRED_TABLES + tuple(
        n for n in schema.OPTIONAL_TABLES if (data_dir / f"{n}.csv").exists()
    )
    for name in names:
        path = data_dir / f"{name}.csv"
        try:
            dataset.tables[name] = validate_table(name, read_csv(path), path)
        except DataError as exc:
            dataset.errors[name] = exc
    _check_references(dataset, data_dir)
    return dataset


def _check_references(dataset: Dataset, data_dir: Path) -> None:
    """Checks across tables: source, model and role ids exist; each model has every provision and dimension."""
    known_sources = set(dataset.tables["sources"]["source_id"]) if dataset.has("sources") else None
    known_models = set(dataset.tables["models"]["model_id"]) if dataset.has("models") else None
    roles = dataset.tables.get("roles")
    for name, frame in list(dataset.tables.items()):
        problems: list[str] = []
        if known_sources is not None and "source_ids" in frame.columns:
            problems += _dangling(frame, "source_ids", known_sources)
        if known_models is not None and "model_id" in frame.columns and name != "models":
            problems += _dangling(frame, "model_id", known_models)
        if known_models is not None and name == "events":
            problems += _dangling(frame, "model_ids", known_models | {CONTEXT})
        if name == "guarantors" and roles is not None:
            problems += _roles_fit_models(frame, roles)
        if known_models is not None and name == "provisions":
            problems += _missing_cells(frame, "provision", vocab.PROVISIONS, known_models)
        if known_models is not None and name == "comparison":
            problems += _missing_cells(frame, "dimension", vocab.DIMENSIONS, known_models)
        if problems:
            del dataset.tables[name]
            dataset.errors[name] = DataError(data_dir / f"{name}.csv", problems)


def _roles_fit_models(guarantors: pd.DataFrame, roles: pd.DataFrame) -> list[str]:
    """Every role is in roles.csv and belongs to the row's model (or to any model)."""
    owner = dict(zip(roles["role_id"], roles["model_id"]))
    problems = []
    for index, row in guarantors.iterrows():
        line = f"row {int(index) + 2}, column 'role'"
        if row["role"] not in owner:
            problems.append(f"{line}: unknown role {row['role']!r} (not in roles.csv)")
        elif pd.notna(owner[row["role"]]) and owner[row["role"]] != row["model_id"]:
            problems.append(f"{line}: role {row['role']!r} belongs to model {owner[row['role']]!r}, not {row['model_id']!r}")
    return problems


def _missing_cells(frame: pd.DataFrame, column: str, vocabulary: dict[str, str], models: set[str]) -> list[str]:
    """Every model needs a row for every provision (or dimension): a gap would read as 'absent'."""
    present = set(zip(frame["model_id"], frame[column]))
    return [
        f"no row for model {m!r} and {column} {v!r}"
        for m in sorted(models)
        for v in vocabulary
        if (m, v) not in present
    ]


def read_version(folder: Path) -> str:
    """The data version from data/VERSION (e.g. 2026.11.0)."""
    path = folder / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unknown"
