"""Build ``aid.csv`` and ``aid_yearly.csv`` from one pinned snapshot of the Kiel tracker's data.

The layers, one way (see data/README.md, "The snapshot" and "How to update to the next Kiel
release"):

    <release>/                          the tracker's own CSV files as fetched, byte for byte. Not
                                        committed (workplace rule for fetched material); looked for
                                        in $KIEL_SNAPSHOT_DIR, then data/snapshots/kiel/<release>/
                                        (gitignored, filled by the snapshot command), then
                                        ../shared/snapshots/kiel/<release>/ (placed by the project's
                                        steering owner; CI reads it there)
    data/snapshots/kiel/<release>.provenance.json
                                        ours, committed: repository, commit, release, date taken,
                                        sha256 per file, licence as stated; every file found is
                                        checked against it
    data/snapshots/kiel/CURRENT         the release (release-<N>-<commit7>) the tables come from
    data/snapshots/kiel/overrides.csv   cells the tracker's files do not give (reason + sources)
    data/snapshots/kiel/crosscheck_exceptions.csv
                                        the tracker's own totals that do not reproduce, with why
    → data/aid.csv, data/aid_yearly.csv

Usage::

    python -m guarantee_atlas.kiel_build                      # check, build, print the diff, write
    python -m guarantee_atlas.kiel_build --dry-run            # check, build, print the diff only
    python -m guarantee_atlas.kiel_build --changelog "2026.12.0 — 2026-12-06"
    python -m guarantee_atlas.kiel_build snapshot --git-dir DIR --commit SHA   # extract, check
    python -m guarantee_atlas.kiel_build snapshot --git-dir DIR --commit SHA --licence TEXT  # new

Every figure is summed in exact decimal arithmetic from the tracker's monthly rows and rounded
half up (2 decimals in aid.csv, 3 in aid_yearly.csv). The build stops, naming the donor and
the figure, when the snapshot's checksums, its rows or its own totals (total_allocations.csv,
eu_aid_shares.csv) do not agree, unless the case is listed in crosscheck_exceptions.csv.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .countries import EU_CODE, country_name, is_valid_iso3
from .data import DEFAULT_DATA_DIR

KIEL_DIR = DEFAULT_DATA_DIR / "snapshots" / "kiel"
# The steering repo's shared/ folder sits beside the clone (CI has a copy there too); the project's
# steering owner may place a snapshot's files in it, the one place fetched data may be kept.
SHARED_KIEL_DIR = DEFAULT_DATA_DIR.parent.parent / "shared" / "snapshots" / "kiel"
SNAPSHOT_DIR_ENV = "KIEL_SNAPSHOT_DIR"
REPOSITORY = "https://github.com/UkraineSupportTrackerWebsite/ukraine-support-tracker"
AID_TYPES = ("military", "financial", "humanitarian")

# The tracker's files the atlas reads (path in the tracker's repository → source-id prefix).
SNAPSHOT_FILES = {
    "data_explorer.csv": "kiel-ust-data",
    "eu_aid_shares.csv": "kiel-ust-euaidshares",
    "total_allocations.csv": "kiel-ust-totalallocations",
    "release_info.csv": "kiel-ust-releaseinfo",
}
TRACKER_DIR_IN_REPOSITORY = "data"
TRACKER_PAGE_SOURCE = "kiel-ust-tracker-page"
# The tracker's donor codes that are not ISO 3166-1 alpha-3.
TRACKER_CODES = {"EU": EU_CODE}

AID_COLUMNS = ["iso3", "donor", "aid_type", "eur_bn", "cutoff_date", "release",
               "bilateral_pct_gdp_2021", "note", "note_uk", "source_ids"]
YEARLY_COLUMNS = ["iso3", "donor", "year", "aid_type", "eur_bn", "cutoff_date", "release", "source_ids"]
OVERRIDE_COLUMNS = ["table", "iso3", "year", "aid_type", "column", "value", "reason", "source_ids"]
OVERRIDABLE = {"aid": {"eur_bn", "bilateral_pct_gdp_2021", "note", "note_uk"}, "aid_yearly": {"eur_bn"}}
# Text cells an override may set (the others take decimal numbers), each with its Ukrainian twin.
TEXT_OVERRIDES = {"note": "note_uk"}
EXCEPTION_COLUMNS = ["check", "iso3", "figure", "tracker_value", "rows_value", "reason", "source_ids"]

# Tolerances of the cross-checks. The tracker's files carry 6 decimals.
ROW_TOLERANCE = Decimal("0.000002")  # EUR bn: a row's total against its three parts
MONTH_TOLERANCE = Decimal("0.00005")  # EUR bn: total_allocations.csv against the sum of the rows
PCT_ROW_TOLERANCE = Decimal("0.000001")  # relative: a row's pct_gdp against total / gdp
SHARE_TOLERANCE = Decimal("0.00005")  # percentage points: eu_aid_shares.csv against the rows


class BuildError(Exception):
    """The snapshot cannot be turned into tables; the lines say which donor and figure (and
    ``hint``, where the snapshot's files are concerned, how to get them)."""

    def __init__(self, problems: list[str], hint: list[str] | None = None):
        self.problems = problems
        self.hint = hint or []
        super().__init__("\n".join(problems + self.hint))


class SnapshotMissing(BuildError):
    """None of the places the snapshot's files are looked for exists on this machine;
    ``looked`` says what was found at each."""

    def __init__(self, release: str, looked: list[str], hint: list[str]):
        self.looked = looked
        super().__init__([f"the Kiel snapshot {release} is not on this machine."],
                         ["Looked in, in this order:"] + [f"  {n}. {line}" for n, line in enumerate(looked, 1)] + hint)


# ----------------------------------------------------------------------------- reading


@dataclass
class Snapshot:
    """The tracker's files of one snapshot, parsed, plus its provenance."""

    name: str
    folder: Path
    provenance: dict
    rows: list[dict]
    eu_shares: list[dict]
    month_totals: list[dict]
    release: dict

    @property
    def commit(self) -> str:
        return self.provenance["commit"]

    def source_id(self, file_name: str) -> str:
        return f"{SNAPSHOT_FILES[file_name]}-{self.commit[:7]}"

    @property
    def cutoff(self) -> date:
        month, year = (int(part) for part in self.release["period"].split("/"))
        return date(year, month, calendar.monthrange(year, month)[1])


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def provenance_path(kiel_dir: Path, release: str) -> Path:
    """Our committed record of a snapshot: ``<kiel_dir>/<release>.provenance.json``."""
    return kiel_dir / f"{release}.provenance.json"


def current_release(kiel_dir: Path = KIEL_DIR) -> str:
    """The snapshot the tables come from, as named in CURRENT (``release-<N>-<commit7>``)."""
    return (kiel_dir / "CURRENT").read_text(encoding="utf-8").strip()


def read_provenance(kiel_dir: Path, release: str) -> dict:
    path = provenance_path(kiel_dir, release)
    if not path.exists():
        raise BuildError([f"{path}: no provenance for the snapshot {release} (the snapshot command writes it)"])
    return json.loads(path.read_text(encoding="utf-8"))


def snapshot_locations(release: str, kiel_dir: Path = KIEL_DIR, shared_dir: Path | None = None,
                       environ: dict | None = None) -> list[tuple[str, Path | None]]:
    """Where the release's files are looked for, in order, as (label, folder); the folder is
    None where $KIEL_SNAPSHOT_DIR is not set."""
    environ = os.environ if environ is None else environ
    shared_dir = SHARED_KIEL_DIR if shared_dir is None else shared_dir
    from_env = environ.get(SNAPSHOT_DIR_ENV, "").strip()
    return [
        (f"${SNAPSHOT_DIR_ENV}", Path(from_env) if from_env else None),
        ("local folder (gitignored)", kiel_dir / release),
        ("shared folder", shared_dir / release),
    ]


def how_to_get(release: str, provenance: dict, kiel_dir: Path = KIEL_DIR, shared_dir: Path | None = None) -> list[str]:
    """The lines a stopped build prints on how to get the snapshot's files."""
    shared_dir = SHARED_KIEL_DIR if shared_dir is None else shared_dir
    return [
        "The tracker's raw files are not committed (workplace rule for fetched material). To get them, either:",
        f"  - extract them from a fetched copy of {REPOSITORY.removeprefix('https://github.com/')} "
        f"(the search tool's fetch) with: python -m guarantee_atlas.kiel_build snapshot --git-dir <its git dir> "
        f"--commit {provenance.get('commit', '<commit>')}   (writes {kiel_dir / release}/, checks every sha256 "
        f"against {provenance_path(kiel_dir, release).name});",
        f"  - or ask the project's steering owner to place them in {shared_dir / release}/ (CI reads them there);",
        f"  - or set {SNAPSHOT_DIR_ENV} to a folder that holds them.",
        "See data/README.md, \"The snapshot\".",
    ]


def find_snapshot(release: str, kiel_dir: Path = KIEL_DIR, shared_dir: Path | None = None,
                  environ: dict | None = None) -> tuple[str, Path]:
    """The first place that holds the release's folder, as (label, folder). A set
    $KIEL_SNAPSHOT_DIR that does not exist stops the search (it is never skipped silently)."""
    locations = snapshot_locations(release, kiel_dir, shared_dir, environ)
    looked = []
    for label, folder in locations:
        if folder is None:
            looked.append(f"{label}: not set")
            continue
        if folder.is_dir():
            return label, folder
        if label.startswith("$"):
            looked.append(f"{label}: {folder}/ does not exist (it is set, so no other place is tried)")
            break
        looked.append(f"{label}: {folder}/ does not exist")
    raise SnapshotMissing(release, looked, how_to_get(release, read_provenance(kiel_dir, release), kiel_dir, shared_dir))


def read_snapshot(folder: Path, provenance_file: Path, where: str = "", shared_dir: Path | None = None) -> Snapshot:
    """Read a snapshot's files after checking every one against its sha256 in provenance_file."""
    release = provenance_file.name.removesuffix(".provenance.json")
    if not provenance_file.exists():
        raise BuildError([f"{provenance_file}: no provenance for the snapshot {release} (the snapshot command writes it)"])
    provenance = json.loads(provenance_file.read_text(encoding="utf-8"))
    found_in = f" ({where})" if where else ""
    problems = []
    for name in SNAPSHOT_FILES:
        entry = provenance.get("files", {}).get(name)
        path = folder / name
        if entry is None:
            problems.append(f"{provenance_file.name}: no sha256 for {name}")
        elif not path.exists():
            problems.append(f"{path}: missing{found_in}; the snapshot needs all of {', '.join(SNAPSHOT_FILES)}")
        elif sha256_of(path) != entry["sha256"]:
            problems.append(
                f"{path}{found_in}: sha256 {sha256_of(path)} is not the one in {provenance_file.name} "
                f"({entry['sha256']}): the file changed after the snapshot was taken"
            )
    if problems:
        raise BuildError(problems, how_to_get(release, provenance, provenance_file.parent, shared_dir))
    release_rows = _read_rows(folder / "release_info.csv")
    if len(release_rows) != 1:
        raise BuildError([f"release_info.csv: {len(release_rows)} rows, expected exactly one"])
    return Snapshot(
        name=release,
        folder=folder,
        provenance=provenance,
        rows=_read_rows(folder / "data_explorer.csv"),
        eu_shares=_read_rows(folder / "eu_aid_shares.csv"),
        month_totals=_read_rows(folder / "total_allocations.csv"),
        release=release_rows[0],
    )


def read_table(path: Path, columns: list[str]) -> list[dict]:
    """A small CSV of ours (overrides, exceptions): every row, with its header checked."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise BuildError([f"{path.name}: header {reader.fieldnames} is not {columns}"])
        return [dict(row) for row in reader]


# ----------------------------------------------------------------------------- cross-checks


@dataclass(frozen=True)
class Finding:
    """One of the tracker's own figures that the rows do not reproduce."""

    check: str
    iso3: str
    figure: str
    tracker_value: str
    rows_value: str
    message: str

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.check, self.iso3, self.figure, self.tracker_value, self.rows_value)


def _d(value: str) -> Decimal:
    return Decimal(value.strip() or "0")


def _fmt(value: Decimal, places: int = 6) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def donor_code(tracker_code: str) -> str:
    return TRACKER_CODES.get(tracker_code, tracker_code)


@dataclass
class Sums:
    """What the monthly rows add up to."""

    names: dict[str, str] = field(default_factory=dict)
    gdp: dict[str, Decimal] = field(default_factory=dict)
    totals: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_type: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_year: dict[tuple[str, int, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_month: dict[tuple[int, int, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def sum_rows(snapshot: Snapshot) -> tuple[Sums, list[Finding]]:
    """Sum the monthly rows; check each row's total, GDP share, code and month on the way."""
    sums, findings = Sums(), []
    cutoff = snapshot.cutoff
    seen: set[tuple[str, int, int]] = set()
    for line, row in enumerate(snapshot.rows, start=2):
        iso3 = donor_code(row["iso"])
        where = f"data_explorer.csv line {line} ({row['country']}, {row['year']}-{row['month']})"
        if not is_valid_iso3(iso3):
            raise BuildError([f"{where}: donor code {row['iso']!r} is neither ISO 3166-1 alpha-3 nor mapped in TRACKER_CODES"])
        year, month = int(row["year"]), int(row["month"])
        if not 1 <= month <= 12 or (year, month) > (cutoff.year, cutoff.month) or year < 2022:
            raise BuildError([f"{where}: month outside January 2022 to the release period {snapshot.release['period']}"])
        if (iso3, year, month) in seen:
            raise BuildError([f"{where}: a second row for the same donor and month"])
        seen.add((iso3, year, month))
        if sums.names.setdefault(iso3, row["country"]) != row["country"]:
            raise BuildError([f"{where}: donor {iso3} has two names ({sums.names[iso3]!r}, {row['country']!r})"])
        parts = {t: _d(row[t]) for t in AID_TYPES}
        total, parts_sum = _d(row["total"]), sum(parts.values())
        if abs(total - parts_sum) > ROW_TOLERANCE:
            findings.append(Finding(
                "row_total", iso3, f"total {year}-{month:02d}", _fmt(total), _fmt(parts_sum),
                f"{where}: total {total} is not military + financial + humanitarian = {parts_sum}",
            ))
        gdp = _d(row["gdp"])
        if iso3 != EU_CODE:
            if gdp <= 0:
                raise BuildError([f"{where}: no 2021 GDP for {iso3} (gdp {row['gdp']!r})"])
            if sums.gdp.setdefault(iso3, gdp) != gdp:
                raise BuildError([f"{where}: donor {iso3} has two 2021 GDP figures ({sums.gdp[iso3]}, {gdp})"])
            expected, given = total / gdp * 100, _d(row["pct_gdp"])
            if abs(given - expected) > PCT_ROW_TOLERANCE * max(abs(expected), Decimal("0.000001")):
                findings.append(Finding(
                    "row_pct_gdp", iso3, f"pct_gdp {year}-{month:02d}", _fmt(given), _fmt(expected),
                    f"{where}: pct_gdp {row['pct_gdp']} is not total / gdp × 100 = {_fmt(expected)}",
                ))
        sums.totals[iso3] += total
        for aid_type, value in parts.items():
            sums.by_type[(iso3, aid_type)] += value
            sums.by_year[(iso3, year, aid_type)] += value
            sums.by_month[(year, month, aid_type)] += value
        sums.by_month[(year, month, "total")] += total
    return sums, findings


def check_month_totals(snapshot: Snapshot, sums: Sums) -> list[Finding]:
    """total_allocations.csv: every month and type equals the sum of the donors' rows."""
    findings = []
    listed = set()
    columns = {"total": "total_allocations", **{t: t for t in AID_TYPES}}
    for row in snapshot.month_totals:
        year, month = int(row["year"]), int(row["month"])
        listed.add((year, month))
        for key, column in columns.items():
            tracker, rows = _d(row[column]), sums.by_month.get((year, month, key), Decimal(0))
            if abs(tracker - rows) > MONTH_TOLERANCE:
                findings.append(Finding("month_total", "ALL", f"{column} {year}-{month:02d}", _fmt(tracker), _fmt(rows),
                                        f"total_allocations.csv, {year}-{month:02d}: {column} is {tracker}, "
                                        f"the donors' rows sum to {_fmt(rows)} (EUR bn)"))
    for year, month, _ in list(sums.by_month):
        if (year, month) not in listed:
            findings.append(Finding("month_total", "ALL", f"month {year}-{month:02d}", "", "listed",
                                    f"total_allocations.csv has no row for {year}-{month:02d}, which the donors' rows have"))
    return sorted(set(findings), key=lambda f: f.figure)


def check_eu_shares(snapshot: Snapshot, sums: Sums) -> list[Finding]:
    """eu_aid_shares.csv: each member's bilateral share of 2021 GDP equals its rows' total / GDP."""
    findings = []
    for row in snapshot.eu_shares:
        iso3, name = row["iso"], row["country"]
        if iso3 not in sums.totals:
            raise BuildError([f"eu_aid_shares.csv: {name} ({iso3}) has no rows in data_explorer.csv"])
        tracker = _d(row["bilateral_pct_gdp"])
        from_rows = sums.totals[iso3] / sums.gdp[iso3] * 100
        if abs(tracker - from_rows) > SHARE_TOLERANCE:
            findings.append(Finding(
                "eu_bilateral_share", iso3, "bilateral_pct_gdp", _fmt(tracker), _fmt(from_rows),
                f"eu_aid_shares.csv: {name} ({iso3}) bilateral_pct_gdp is {tracker}% of 2021 GDP, which implies "
                f"EUR {_fmt(tracker * sums.gdp[iso3] / 100, 4)}bn; its rows in data_explorer.csv sum to "
                f"EUR {_fmt(sums.totals[iso3], 4)}bn, {_fmt(from_rows)}% of the GDP given there",
            ))
        parts = _d(row["bilateral_pct_gdp"]) + _d(row["eu_share_pct_gdp"])
        if abs(_d(row["total_pct_gdp"]) - parts) > ROW_TOLERANCE:
            findings.append(Finding("eu_share_sum", iso3, "total_pct_gdp", row["total_pct_gdp"], _fmt(parts),
                                    f"eu_aid_shares.csv: {name} ({iso3}) total_pct_gdp {row['total_pct_gdp']} is not "
                                    f"bilateral_pct_gdp + eu_share_pct_gdp = {_fmt(parts)}"))
    return findings


def check_release(snapshot: Snapshot) -> list[str]:
    release = snapshot.release
    problems = []
    if not re.fullmatch(r"\d+", release.get("release", "")):
        problems.append(f"release_info.csv: release {release.get('release')!r} is not a number")
    if not re.fullmatch(r"(0[1-9]|1[0-2])/\d{4}", release.get("period", "")):
        problems.append(f"release_info.csv: period {release.get('period')!r} is not MM/YYYY")
    label = release.get("label", "")
    if f"Release {release.get('release')}" not in label or release.get("period", "?") not in label:
        problems.append(f"release_info.csv: label {label!r} does not name release {release.get('release')} and its period")
    if snapshot.provenance.get("release") != release.get("release"):
        problems.append(f"provenance.json says release {snapshot.provenance.get('release')}, "
                        f"release_info.csv says {release.get('release')}")
    return problems


def cross_check(snapshot: Snapshot, exceptions: list[dict]) -> tuple[Sums, list[str]]:
    """Run every check; stop on any finding not documented in crosscheck_exceptions.csv.

    Returns the sums and one line per documented exception (printed, never silent). An
    exception that no longer occurs, or whose figures changed, also stops the build.
    """
    problems = check_release(snapshot)
    if problems:
        raise BuildError(problems)
    sums, findings = sum_rows(snapshot)
    findings += check_month_totals(snapshot, sums)
    findings += check_eu_shares(snapshot, sums)
    documented = {}
    for line, row in enumerate(exceptions, start=2):
        if not row["reason"].strip() or not row["source_ids"].strip():
            problems.append(f"crosscheck_exceptions.csv line {line}: an exception needs a reason and source_ids")
        documented[tuple(row[c] for c in EXCEPTION_COLUMNS[:5])] = line
    known = []
    for finding in findings:
        if finding.key() in documented:
            line = documented.pop(finding.key())
            known.append(f"documented exception (crosscheck_exceptions.csv line {line}): {finding.message}")
        else:
            problems.append(finding.message)
    for key, line in documented.items():
        problems.append(
            f"crosscheck_exceptions.csv line {line}: {key[0]} for {key[1]} {key[2]} "
            f"(tracker {key[3]}, rows {key[4]}) no longer occurs as written: check it and update or remove the row"
        )
    if problems:
        raise BuildError(problems)
    return sums, known


# ----------------------------------------------------------------------------- tables


def build_tables(snapshot: Snapshot, sums: Sums, overrides: list[dict]) -> dict[str, list[dict]]:
    """aid and aid_yearly rows, donors by descending total, then the overrides applied."""
    release = snapshot.release["release"]
    cutoff = snapshot.cutoff.isoformat()
    eu_members = {row["iso"]: _d(row["bilateral_pct_gdp"]) for row in snapshot.eu_shares}
    donors = sorted(sums.totals, key=lambda iso3: (-sums.totals[iso3], iso3))
    data_id, release_id = snapshot.source_id("data_explorer.csv"), snapshot.source_id("release_info.csv")
    shares_id = snapshot.source_id("eu_aid_shares.csv")
    aid, yearly = [], []
    for iso3 in donors:
        if iso3 == EU_CODE:
            share = ""
        elif iso3 in eu_members:
            share = _fmt(eu_members[iso3], 2)
        else:
            share = _fmt(sums.totals[iso3] / sums.gdp[iso3] * 100, 2)
        aid_sources = [TRACKER_PAGE_SOURCE, data_id] + ([shares_id] if iso3 in eu_members else []) + [release_id]
        for aid_type in AID_TYPES:
            aid.append({
                "iso3": iso3, "donor": country_name(iso3), "aid_type": aid_type,
                "eur_bn": _fmt(sums.by_type[(iso3, aid_type)], 2), "cutoff_date": cutoff, "release": release,
                "bilateral_pct_gdp_2021": share, "note": "", "note_uk": "", "source_ids": ";".join(aid_sources),
            })
    years = range(2022, snapshot.cutoff.year + 1)
    for iso3 in donors:
        for year in years:
            for aid_type in AID_TYPES:
                yearly.append({
                    "iso3": iso3, "donor": country_name(iso3), "year": str(year), "aid_type": aid_type,
                    "eur_bn": _fmt(sums.by_year.get((iso3, year, aid_type), Decimal(0)), 3),
                    "cutoff_date": cutoff, "release": release,
                    "source_ids": ";".join([data_id, release_id, TRACKER_PAGE_SOURCE]),
                })
    tables = {"aid": aid, "aid_yearly": yearly}
    apply_overrides(tables, overrides)
    return tables


def apply_overrides(tables: dict[str, list[dict]], overrides: list[dict]) -> None:
    """Set the cells overrides.csv names and add its sources to those rows."""
    problems = []
    for line, override in enumerate(overrides, start=2):
        table = override["table"]
        where = f"overrides.csv line {line}"
        if table not in OVERRIDABLE or override["column"] not in OVERRIDABLE[table]:
            problems.append(f"{where}: cannot override {table}.{override['column']}")
            continue
        if not override["reason"].strip() or not override["source_ids"].strip():
            problems.append(f"{where}: an override needs a reason and source_ids")
            continue
        if override["column"] not in {*TEXT_OVERRIDES, *TEXT_OVERRIDES.values()} and not re.fullmatch(r"\d+\.\d+", override["value"]):
            problems.append(f"{where}: value {override['value']!r} is not a decimal number")
            continue
        if (table == "aid_yearly") != bool(override["year"]):
            problems.append(f"{where}: year is required for aid_yearly and empty for aid")
            continue
        targets = [
            row for row in tables[table]
            if row["iso3"] == override["iso3"]
            and (not override["aid_type"] or row["aid_type"] == override["aid_type"])
            and (not override["year"] or row["year"] == override["year"])
        ]
        if not targets:
            problems.append(f"{where}: no {table} row for {override['iso3']} {override['year']} {override['aid_type']}".rstrip())
            continue
        for row in targets:
            row[override["column"]] = override["value"]
            ids = row["source_ids"].split(";")
            row["source_ids"] = ";".join(ids + [s for s in override["source_ids"].split(";") if s and s not in ids])
    for column, twin in TEXT_OVERRIDES.items():
        for row in tables["aid"]:
            if bool(row[column].strip()) != bool(row[twin].strip()):
                given, missing = (column, twin) if row[column].strip() else (twin, column)
                problems.append(f"overrides.csv: aid row {row['iso3']} {row['aid_type']} gets a {given} but no {missing}: "
                                f"override both (the Ukrainian twin of a shown text, data/README.md)")
    if problems:
        raise BuildError(problems)


def check_sources(tables: dict[str, list[dict]], sources_path: Path) -> None:
    """Every source id the tables (and overrides, exceptions) cite must be a row of sources.csv."""
    known = {row["source_id"] for row in _read_rows(sources_path)}
    cited = {s for rows in tables.values() for row in rows for s in row["source_ids"].split(";") if s}
    missing = sorted(cited - known)
    if missing:
        raise BuildError([f"sources.csv has no row for {s} (the snapshot command prints one)" for s in missing])


def render(rows: list[dict], columns: list[str]) -> bytes:
    """CSV bytes as the atlas stores its tables: UTF-8, minimal quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------- diff


def _keyed(rows: list[dict], table: str) -> dict[tuple, dict]:
    keys = ("iso3", "aid_type") if table == "aid" else ("iso3", "year", "aid_type")
    return {tuple(row[k] for k in keys): row for row in rows}


# Figures compared by the diff; a donor-level figure (repeated on the donor's three rows) is
# reported once, on its military row.
DIFF_FIGURES = {"aid": {"eur_bn": "row", "bilateral_pct_gdp_2021": "donor"}, "aid_yearly": {"eur_bn": "row"}}
DIFF_OTHER = ("release", "cutoff_date", "note", "note_uk", "source_ids", "donor")
DIFF_UNITS = {"aid": "EUR bn and % of 2021 GDP, 2 decimals", "aid_yearly": "EUR bn, 3 decimals"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _table_diff(table: str, old_rows: dict[tuple, dict], new_rows: dict[tuple, dict]) -> list[str]:
    moved, other = [], defaultdict(int)
    for key, row in new_rows.items():
        previous = old_rows.get(key)
        if previous is None:
            continue
        for column, level in DIFF_FIGURES[table].items():
            if previous[column] == row[column]:
                continue
            if level == "row":
                delta = Decimal(row[column]) - Decimal(previous[column] or "0")
                moved.append(f"  - {row['donor']}, {' '.join(key[1:])}: {previous[column]} → {row[column]} "
                             f"({'+' if delta > 0 else ''}{delta})")
            elif row["aid_type"] == AID_TYPES[0]:
                moved.append(f"  - {row['donor']}, {column}: {previous[column] or '(empty)'} → {row[column] or '(empty)'}")
        for column in DIFF_OTHER:
            if column in row and previous.get(column) != row[column]:
                other[column] += 1
    lines = [f"- `{table}.csv`: {_plural(len(moved), 'figure')} changed ({DIFF_UNITS[table]}; old → new)"
             + (":" if moved else ".")]
    lines += moved
    if other:
        lines.append("  - Also changed: " + ", ".join(f"`{c}` on {_plural(n, 'row')}" for c, n in other.items()) + ".")
    return lines


def release_diff(old: dict[str, list[dict]], new: dict[str, list[dict]]) -> list[str]:
    """Markdown lines: donors added or removed, every figure whose rounded value changed
    (old → new), and how many rows changed release, cut-off, note or sources."""
    old_aid, new_aid = old.get("aid", []), new["aid"]
    lines = []
    if old_aid:
        releases = ", ".join(sorted({r["release"] for r in old_aid}))
        cutoffs = ", ".join(sorted({r["cutoff_date"] for r in old_aid}))
        lines.append(f"- Previous tables: release {releases}, cut-off {cutoffs}; "
                     f"new: release {new_aid[0]['release']}, cut-off {new_aid[0]['cutoff_date']}.")
        names = {r["iso3"]: r["donor"] for r in old_aid + new_aid}
        before, after = {r["iso3"] for r in old_aid}, {r["iso3"] for r in new_aid}
        for label, codes in (("added", after - before), ("removed", before - after)):
            if codes:
                lines.append(f"- Donors {label}: " + ", ".join(f"{names[c]} ({c})" for c in sorted(codes)) + ".")
    for table in ("aid", "aid_yearly"):
        old_rows, new_rows = _keyed(old.get(table, []), table), _keyed(new[table], table)
        if old_rows:
            lines += _table_diff(table, old_rows, new_rows)
        else:
            lines.append(f"- `{table}.csv`: no previous table; {len(new_rows)} rows built.")
    return lines


def write_changelog(path: Path, heading: str, title: str, body: list[str]) -> None:
    """Put ``### title`` with body under ``## heading`` (created at the top if absent); a
    second run replaces the subsection instead of adding another."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Data changelog\n"
    section_head = f"## {heading}"
    block = f"### {title}\n\n" + "\n".join(body) + "\n"
    if section_head not in text.splitlines():
        first = re.search(r"(?m)^## ", text)
        insert_at = first.start() if first else len(text)
        text = text[:insert_at] + f"{section_head}\n\n" + text[insert_at:]
    start = text.index(section_head + "\n")
    end_match = re.compile(r"(?m)^## ").search(text, start + len(section_head))
    end = end_match.start() if end_match else len(text)
    section = text[start:end]
    sub = re.search(rf"(?ms)^### {re.escape(title)}\n.*?(?=^### |^## |\Z)", section)
    if sub:
        rest = section[sub.end():]
        section = section[:sub.start()] + block + ("\n" if rest.strip() else "") + rest.lstrip("\n")
    else:
        section = section.rstrip("\n") + "\n\n" + block
    text = text[:start] + section.rstrip("\n") + "\n\n" + text[end:].lstrip("\n")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- build


@dataclass
class BuildResult:
    snapshot: Snapshot
    outputs: dict[str, bytes]
    diff: list[str]
    exceptions: list[str]
    changed: bool


def _parse(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def build(
    snapshot_dir: Path | None = None,
    out_dir: Path = DEFAULT_DATA_DIR,
    kiel_dir: Path = KIEL_DIR,
    sources_path: Path | None = None,
    previous_dir: Path | None = None,
    write: bool = True,
    shared_dir: Path | None = None,
    environ: dict | None = None,
) -> BuildResult:
    """Find and check the snapshot named in CURRENT (or read ``snapshot_dir``), build both
    tables, diff them against the previous ones, write them. ``sources_path`` defaults to the
    sources.csv of the data folder that holds ``kiel_dir`` (data/snapshots/kiel → data)."""
    release = current_release(kiel_dir)
    if snapshot_dir is None:
        where, snapshot_dir = find_snapshot(release, kiel_dir, shared_dir, environ)
    else:
        where = "--snapshot"
    snapshot = read_snapshot(snapshot_dir, provenance_path(kiel_dir, release), where, shared_dir)
    sources_path = sources_path or kiel_dir.parents[1] / "sources.csv"
    exceptions = read_table(kiel_dir / "crosscheck_exceptions.csv", EXCEPTION_COLUMNS)
    overrides = read_table(kiel_dir / "overrides.csv", OVERRIDE_COLUMNS)
    sums, known = cross_check(snapshot, exceptions)
    tables = build_tables(snapshot, sums, overrides)
    check_sources({**tables, "crosscheck_exceptions": exceptions}, sources_path)
    outputs = {"aid": render(tables["aid"], AID_COLUMNS), "aid_yearly": render(tables["aid_yearly"], YEARLY_COLUMNS)}
    previous_dir = previous_dir or out_dir
    old = {name: _parse((previous_dir / f"{name}.csv").read_bytes())
           for name in outputs if (previous_dir / f"{name}.csv").exists()}
    diff = release_diff(old, {name: _parse(content) for name, content in outputs.items()})
    changed = any(not (previous_dir / f"{name}.csv").exists() or (previous_dir / f"{name}.csv").read_bytes() != content
                  for name, content in outputs.items())
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, content in outputs.items():
            (out_dir / f"{name}.csv").write_bytes(content)
    return BuildResult(snapshot, outputs, diff, known, changed)


def changelog_lines(result: BuildResult) -> list[str]:
    provenance = result.snapshot.provenance
    name = result.snapshot.name
    lead = (f"Built by `python -m guarantee_atlas.kiel_build` from the snapshot `{name}` "
            f"(provenance: `data/snapshots/kiel/{name}.provenance.json`): {provenance['release_label']}, commit "
            f"`{provenance['commit'][:7]}` of `UkraineSupportTrackerWebsite/ukraine-support-tracker`, taken "
            f"{provenance['taken']}.")
    return [lead, ""] + result.diff


# ----------------------------------------------------------------------------- snapshot


def take_snapshot(git_dir: Path, commit: str, licence: str | None = None, kiel_dir: Path = KIEL_DIR,
                  taken: date | None = None) -> Path:
    """Extract the tracker's data files at one commit out of a fetched git directory (``git show``)
    into ``kiel_dir/release-<N>-<commit7>/`` (gitignored); returns that folder.

    If ``kiel_dir/release-<N>-<commit7>.provenance.json`` exists (the snapshot is pinned), every
    file must match its sha256 there, else nothing is written. If not, it is written, with the
    licence as the repository states it (required then)."""

    def git(*args: str) -> bytes:
        try:
            return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = exc.stderr.decode(errors="replace").strip() if getattr(exc, "stderr", None) else str(exc)
            raise BuildError([f"git --git-dir={git_dir} {' '.join(args)}: {detail}"]) from exc

    full = git("rev-parse", "--verify", f"{commit}^{{commit}}").decode().strip()
    contents = {name: git("show", f"{full}:{TRACKER_DIR_IN_REPOSITORY}/{name}") for name in SNAPSHOT_FILES}
    release = next(csv.DictReader(io.StringIO(contents["release_info.csv"].decode("utf-8"))), {})
    if not re.fullmatch(r"\d+", release.get("release") or ""):
        raise BuildError([f"release_info.csv at commit {full[:7]}: release {release.get('release')!r} is not a number"])
    name = f"release-{release['release']}-{full[:7]}"
    provenance_file = provenance_path(kiel_dir, name)
    checksums = {file_name: hashlib.sha256(content).hexdigest() for file_name, content in contents.items()}
    if provenance_file.exists():
        provenance = json.loads(provenance_file.read_text(encoding="utf-8"))
        problems = []
        if provenance.get("commit") != full:
            problems.append(f"{provenance_file.name} pins commit {provenance.get('commit')}, not {full}")
        for file_name, checksum in checksums.items():
            expected = provenance.get("files", {}).get(file_name, {}).get("sha256")
            if expected != checksum:
                problems.append(f"{TRACKER_DIR_IN_REPOSITORY}/{file_name} at commit {full[:7]}: sha256 {checksum} "
                                f"is not the one in {provenance_file.name} ({expected})")
        if problems:
            raise BuildError(problems + [f"nothing written to {kiel_dir / name}/"])
    elif not licence:
        raise BuildError([f"{provenance_file} does not exist: a new snapshot needs --licence "
                          "(the licence as the repository states it, or that it states none)"])
    else:
        provenance = {
            "repository": REPOSITORY,
            "commit": full,
            "commit_date": git("show", "-s", "--format=%aI", full).decode().strip(),
            "commit_message": git("show", "-s", "--format=%s", full).decode().strip(),
            "release": release["release"],
            "release_label": release["label"],
            "release_period": release["period"],
            "release_date": release["date"],
            "taken": (taken or date.today()).isoformat(),
            "taken_how": "git show <commit>:<path> from a clone of the repository; files copied byte for byte",
            "licence": licence,
            "files": {
                file_name: {
                    "path_in_repository": f"{TRACKER_DIR_IN_REPOSITORY}/{file_name}",
                    "url": f"{REPOSITORY}/blob/{full}/{TRACKER_DIR_IN_REPOSITORY}/{file_name}",
                    "bytes": len(content),
                    "sha256": checksums[file_name],
                    "source_id": f"{SNAPSHOT_FILES[file_name]}-{full[:7]}",
                }
                for file_name, content in contents.items()
            },
        }
        kiel_dir.mkdir(parents=True, exist_ok=True)
        provenance_file.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    folder = kiel_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, content in contents.items():
        (folder / file_name).write_bytes(content)
    return folder


def _main_snapshot(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m guarantee_atlas.kiel_build snapshot",
        description="Extract the tracker's data files at one commit into data/snapshots/kiel/<release>/ "
                    "(gitignored: never commit them) and check them against, or write, <release>.provenance.json.")
    parser.add_argument("--git-dir", type=Path, required=True, help="git directory of the fetched tracker repository")
    parser.add_argument("--commit", required=True, help="the commit to pin (the pinned one: see its provenance.json)")
    parser.add_argument("--licence", help="for a new snapshot only: the licence as the repository states it (or that it states none)")
    parser.add_argument("--kiel-dir", type=Path, default=KIEL_DIR)
    args = parser.parse_args(argv)
    try:
        pinned_before = {p.name for p in args.kiel_dir.glob("*.provenance.json")}
        folder = take_snapshot(args.git_dir, args.commit, args.licence, args.kiel_dir)
    except BuildError as exc:
        print("Kiel snapshot stopped:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    provenance_file = provenance_path(args.kiel_dir, folder.name)
    provenance = json.loads(provenance_file.read_text(encoding="utf-8"))
    print(f"Snapshot {folder.name} ({provenance['release_label']}, commit {provenance['commit']}): "
          f"{len(SNAPSHOT_FILES)} files in {folder}/ (gitignored: never commit them)")
    if provenance_file.name in pinned_before:
        print(f"Every file's sha256 matches {provenance_file}. `make data` can build now.")
        return 0
    print(f"New: {provenance_file} (commit it). Next: write {folder.name} into {args.kiel_dir / 'CURRENT'}, "
          "add these sources.csv rows (check published/accessed and the note), then run the build:")
    for entry in provenance["files"].values():
        print(f"{entry['source_id']},UkraineSupportTrackerWebsite (GitHub repository),,"
              f"\"{entry['path_in_repository']} at commit {provenance['commit']} ({provenance['release_label']})\","
              f"{entry['url']},,{provenance['release_date']},{provenance['taken']},data,")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["snapshot"]:
        return _main_snapshot(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m guarantee_atlas.kiel_build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshot", type=Path,
                        help=f"folder holding the files of the snapshot named in data/snapshots/kiel/CURRENT (default: "
                             f"${SNAPSHOT_DIR_ENV}, else data/snapshots/kiel/<release>/, else ../shared/snapshots/kiel/<release>/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_DATA_DIR, help="folder to write aid.csv and aid_yearly.csv to")
    parser.add_argument("--dry-run", action="store_true", help="check, build and print the diff; write nothing")
    parser.add_argument("--changelog", metavar="HEADING",
                        help="also write the diff into data/CHANGELOG.md under '## HEADING' (e.g. '2026.12.0 — 2026-12-06')")
    parser.add_argument("--changelog-title", default="Aid (Kiel tracker rebuilt from a snapshot)")
    args = parser.parse_args(argv)
    try:
        result = build(args.snapshot, out_dir=args.out, kiel_dir=KIEL_DIR, write=not args.dry_run)
    except BuildError as exc:
        print("Kiel build stopped:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        for line in exc.hint:
            print(line, file=sys.stderr)
        return 1
    for line in result.exceptions:
        print(f"Note: {line}")
    print("\n".join(changelog_lines(result)))
    if args.changelog and not args.dry_run and not result.changed:
        print("The tables did not change: CHANGELOG.md left as it is.")
    elif args.changelog and not args.dry_run:
        write_changelog(args.out / "CHANGELOG.md", args.changelog, args.changelog_title, changelog_lines(result))
        print(f"Written under '## {args.changelog}' in {args.out / 'CHANGELOG.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
