"""The Kiel build: its checks, overrides, exceptions, diff and snapshot command, tested everywhere
on a small synthetic snapshot; and the committed aid tables are its output from the real
snapshot byte for byte, tested wherever that snapshot is on the machine.

The tracker's raw files are never committed (workplace rule for fetched material): the real
snapshot is found the way `make data` finds it ($KIEL_SNAPSHOT_DIR, data/snapshots/kiel/<release>/,
../shared/snapshots/kiel/<release>/), and the tests that need it are skipped when it is absent.
No fetched bytes are in this file: the synthetic snapshot's donors and figures are made up.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from guarantee_atlas import kiel_build
from guarantee_atlas.data import DEFAULT_DATA_DIR, load_dataset
from guarantee_atlas.kiel_build import BuildError, SnapshotMissing, build

KIEL_DIR = DEFAULT_DATA_DIR / "snapshots" / "kiel"
PINNED_COMMIT = "ddf24c0f8f36dbe0ffb85822d5f45a732440a617"

# ----------------------------------------------------------------------------- the real snapshot


@pytest.fixture
def real_snapshot() -> Path:
    """The folder holding the pinned snapshot's files, found as `make data` finds it; skip if absent."""
    release = kiel_build.current_release()
    try:
        _, folder = kiel_build.find_snapshot(release)
    except SnapshotMissing as missing:
        pytest.skip(f"Kiel snapshot not on this machine: {release}; " + "; ".join(missing.looked)
                    + " (get it with `python -m guarantee_atlas.kiel_build snapshot`, see data/README.md)")
    return folder


def test_committed_tables_are_the_build_of_the_snapshot_byte_for_byte(real_snapshot, tmp_path):
    result = build(out_dir=tmp_path, previous_dir=DEFAULT_DATA_DIR)
    for name in ("aid", "aid_yearly"):
        built = (tmp_path / f"{name}.csv").read_bytes()
        committed = (DEFAULT_DATA_DIR / f"{name}.csv").read_bytes()
        assert built == committed, f"data/{name}.csv is not what `make data` builds from the snapshot"
    assert result.snapshot.folder == real_snapshot
    assert result.diff[0].startswith("- Previous tables: release 29")
    assert [line.split(":")[1].split("(")[0].strip() for line in result.diff[1:]] == ["0 figures changed"] * 2
    assert not result.changed


def test_committed_provenance_checksums_match_the_snapshot_files(real_snapshot):
    release = kiel_build.current_release()
    provenance = kiel_build.read_provenance(KIEL_DIR, release)
    for name, entry in provenance["files"].items():
        content = (real_snapshot / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], name
        assert len(content) == entry["bytes"], name


def test_committed_provenance_pins_the_commit_and_names_every_file():
    release = kiel_build.current_release()
    assert release == f"release-29-{PINNED_COMMIT[:7]}"
    provenance = kiel_build.read_provenance(KIEL_DIR, release)
    assert provenance["commit"] == PINNED_COMMIT
    assert provenance["licence"] and provenance["taken"] and provenance["release"] == "29"
    assert set(provenance["files"]) == set(kiel_build.SNAPSHOT_FILES)
    with (DEFAULT_DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = {row["source_id"] for row in csv.DictReader(handle)}
    for entry in provenance["files"].values():
        assert len(entry["sha256"]) == 64 and entry["bytes"] > 0
        assert entry["url"].endswith(f"/blob/{provenance['commit']}/{entry['path_in_repository']}")
        assert entry["source_id"] in sources


def test_no_raw_snapshot_file_is_committed():
    """Only our own files are tracked under data/snapshots/ (the raw files are gitignored)."""
    root = DEFAULT_DATA_DIR.parent
    listing = subprocess.run(["git", "-C", str(root), "ls-files", "data/snapshots"], capture_output=True, text=True)
    if listing.returncode != 0:
        pytest.skip(f"not a git checkout: {listing.stderr.strip()}")
    tracked = set(listing.stdout.split())
    release = kiel_build.current_release()
    ours = {f"data/snapshots/kiel/{name}" for name in ("CURRENT", "overrides.csv", "crosscheck_exceptions.csv")}
    assert ours | {f"data/snapshots/kiel/{release}.provenance.json"} <= tracked
    assert all(path in ours or re.fullmatch(r"data/snapshots/kiel/release-\d+-[0-9a-f]{7}\.provenance\.json", path)
               for path in tracked), sorted(tracked)
    ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", "--no-index",
                              f"data/snapshots/kiel/{release}/data_explorer.csv"])
    assert ignored.returncode == 0, "the snapshot's raw files must be gitignored"


def test_every_override_and_exception_names_its_reason_and_sources():
    for name, columns in (("overrides.csv", kiel_build.OVERRIDE_COLUMNS),
                          ("crosscheck_exceptions.csv", kiel_build.EXCEPTION_COLUMNS)):
        rows = kiel_build.read_table(KIEL_DIR / name, columns)
        assert all(row["reason"].strip() and row["source_ids"].strip() for row in rows), name


# ----------------------------------------------------------------------------- a synthetic snapshot
#
# Four made-up donors (territories that give no aid, and the EU code) in made-up release 7 of a
# made-up commit, written in the tracker's file formats. Antarctica and Bouvet Island stand for
# EU members in eu_aid_shares.csv; Bouvet Island's share disagrees with its rows and is a
# documented exception (as Slovenia's is in the real snapshot).

FAKE_COMMIT = "fa4e" * 10
FAKE_RELEASE = f"release-7-{FAKE_COMMIT[:7]}"
FAKE_SOURCE = "fake-test-source"
DATA_HEADER = ["country", "iso", "year", "month", "total", "financial", "humanitarian", "military",
               "commitments", "to_be_allocated", "gdp", "pct_gdp"]
# tracker code → (name, 2021 GDP in EUR bn, {(year, month): (military, financial, humanitarian)})
FAKE_DONORS = {
    "ATA": ("Antarctica", "100", {(2022, 3): ("1.25", "0.5", "0.25"), (2022, 11): ("0.75", "0", "0.125"),
                                  (2023, 2): ("0.5", "1", "0")}),
    "BVT": ("Bouvet Island", "50", {(2022, 3): ("0.1", "0", "0.02"), (2023, 1): ("0.02", "0", "0.01")}),
    "HMD": ("Heard Island and McDonald Islands", "20", {(2022, 6): ("0.04", "0.01", "0.002"),
                                                        (2023, 3): ("0.001", "0", "0.003")}),
    "EU": ("EU (Commission and Council)", "0", {(2022, 3): ("0", "2", "0.5"), (2023, 2): ("0", "3", "0")}),
}
# iso → (bilateral_pct_gdp, eu_share_pct_gdp, eu_share_bn); Bouvet Island's rows give 0.3, not 0.28
FAKE_EU_SHARES = {"ATA": ("4.375", "0.4", "0.4"), "BVT": ("0.28", "0.3", "0.15")}


def _number(value: Decimal) -> str:
    """A figure as the tracker's files write it: unquoted, no trailing zeros."""
    return f"{value.normalize():f}"


def _write_tracker_csv(path: Path, header: list[str], rows: list[list], text_columns: int) -> None:
    """Quoted header and text fields, bare numbers, LF line ends (the tracker's layout)."""
    lines = [",".join(f'"{h}"' for h in header)]
    for row in rows:
        lines.append(",".join(f'"{v}"' if i < text_columns else str(v) for i, v in enumerate(row)))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_fake_tracker_files(folder: Path) -> None:
    """The four tracker files of the synthetic snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    rows, months = [], {}
    for code, (name, gdp, monthly) in FAKE_DONORS.items():
        for (year, month), parts in sorted(monthly.items()):
            military, financial, humanitarian = (Decimal(p) for p in parts)
            total = military + financial + humanitarian
            pct = total / Decimal(gdp) * 100 if Decimal(gdp) else Decimal(0)
            rows.append([name, code, year, month, _number(total), _number(financial), _number(humanitarian),
                         _number(military), _number(total), "0", gdp, _number(pct)])
            sums = months.setdefault((year, month), [Decimal(0)] * 4)
            for i, value in enumerate((total, military, financial, humanitarian)):
                sums[i] += value
    _write_tracker_csv(folder / "data_explorer.csv", DATA_HEADER, rows, 2)
    _write_tracker_csv(folder / "total_allocations.csv",
                       ["year", "month", "total_allocations", "military", "financial", "humanitarian"],
                       [[y, m, *(_number(v) for v in sums)] for (y, m), sums in sorted(months.items())], 0)
    _write_tracker_csv(folder / "eu_aid_shares.csv",
                       ["country", "iso", "bilateral_pct_gdp", "eu_share_pct_gdp", "total_pct_gdp", "eu_share_bn"],
                       [[FAKE_DONORS[iso][0], iso, bilateral, share, _number(Decimal(bilateral) + Decimal(share)), bn]
                        for iso, (bilateral, share, bn) in FAKE_EU_SHARES.items()], 2)
    _write_tracker_csv(folder / "release_info.csv", ["release", "period", "date", "label"],
                       [["7", "03/2023", "2023-06-01", "Synthetic Tracker, Release 7 (03/2023)"]], 4)


def _provenance(folder: Path) -> dict:
    files = {}
    for name, prefix in kiel_build.SNAPSHOT_FILES.items():
        content = (folder / name).read_bytes()
        files[name] = {"path_in_repository": f"data/{name}", "url": f"https://example.org/fake/{FAKE_COMMIT}/data/{name}",
                       "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                       "source_id": f"{prefix}-{FAKE_COMMIT[:7]}"}
    return {"repository": "https://example.org/fake", "commit": FAKE_COMMIT, "release": "7",
            "release_label": "Synthetic Tracker, Release 7 (03/2023)", "release_period": "03/2023",
            "release_date": "2023-06-01", "taken": "2023-07-01", "licence": "Made up for the tests.", "files": files}


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def fake_data(tmp_path: Path, monkeypatch) -> Path:
    """A data folder with sources.csv and snapshots/kiel/ (CURRENT, provenance, overrides,
    exceptions, and the synthetic snapshot's files in the local folder); no tables yet.
    $KIEL_SNAPSHOT_DIR is unset and the shared folder points into tmp_path."""
    monkeypatch.delenv(kiel_build.SNAPSHOT_DIR_ENV, raising=False)
    monkeypatch.setattr(kiel_build, "SHARED_KIEL_DIR", tmp_path / "shared" / "snapshots" / "kiel")
    data = tmp_path / "data"
    kiel = data / "snapshots" / "kiel"
    write_fake_tracker_files(kiel / FAKE_RELEASE)
    (kiel / "CURRENT").write_text(FAKE_RELEASE + "\n", encoding="utf-8")
    (kiel / f"{FAKE_RELEASE}.provenance.json").write_text(json.dumps(_provenance(kiel / FAKE_RELEASE), indent=2),
                                                          encoding="utf-8")
    ids = [f"{prefix}-{FAKE_COMMIT[:7]}" for prefix in kiel_build.SNAPSHOT_FILES.values()]
    _write_csv(data / "sources.csv", ["source_id", "publisher", "title", "url", "published", "accessed", "kind", "note"],
               [[i, "Test", f"Made-up source {i}", "https://example.org/fake", "", "2023-07-01", "data", "synthetic"]
                for i in ids + [kiel_build.TRACKER_PAGE_SOURCE, FAKE_SOURCE]])
    _write_csv(kiel / "overrides.csv", kiel_build.OVERRIDE_COLUMNS,
               [["aid", "EUU", "", "", "note", "Made-up note on EU institutions.", "a test reason", FAKE_SOURCE],
                ["aid", "EUU", "", "", "note_uk", "Вигадана примітка про інституції ЄС.", "a test reason", FAKE_SOURCE]])
    _write_csv(kiel / "crosscheck_exceptions.csv", kiel_build.EXCEPTION_COLUMNS,
               [["eu_bilateral_share", "BVT", "bilateral_pct_gdp", "0.280000", "0.300000",
                 "The made-up files disagree on purpose.", f"kiel-ust-euaidshares-{FAKE_COMMIT[:7]};{FAKE_SOURCE}"]])
    return data


def _kiel(data: Path) -> Path:
    return data / "snapshots" / "kiel"


def _snapshot(data: Path) -> Path:
    return _kiel(data) / FAKE_RELEASE


def _build(data: Path, out_dir: Path | None = None, **kwargs):
    return build(kiel_dir=_kiel(data), out_dir=out_dir or data, previous_dir=data, **kwargs)


def _edit_csv(path: Path, edit) -> None:
    """Rewrite one of the tracker's CSVs (quoted as csv writes them, so other bytes)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = list(rows[0])
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _reseal(data: Path) -> None:
    """Record the tampered files' checksums, so that the cross-checks (not the checksum) must catch them."""
    path = _kiel(data) / f"{FAKE_RELEASE}.provenance.json"
    provenance = json.loads(path.read_text(encoding="utf-8"))
    for name, entry in provenance["files"].items():
        entry["sha256"] = hashlib.sha256((_snapshot(data) / name).read_bytes()).hexdigest()
    path.write_text(json.dumps(provenance, indent=2), encoding="utf-8")


def _row(rows: list[dict], iso: str, year: int | None = None, month: int | None = None) -> dict:
    return next(r for r in rows if r["iso"] == iso and (year is None or (int(r["year"]), int(r["month"])) == (year, month)))


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FAKE_AID = """\
iso3,donor,aid_type,eur_bn,cutoff_date,release,bilateral_pct_gdp_2021,note,note_uk,source_ids
EUU,EU institutions,military,0.00,2023-03-31,7,,Made-up note on EU institutions.,Вигадана примітка про інституції ЄС.,{page};{data};{info};{test}
EUU,EU institutions,financial,5.00,2023-03-31,7,,Made-up note on EU institutions.,Вигадана примітка про інституції ЄС.,{page};{data};{info};{test}
EUU,EU institutions,humanitarian,0.50,2023-03-31,7,,Made-up note on EU institutions.,Вигадана примітка про інституції ЄС.,{page};{data};{info};{test}
ATA,Antarctica,military,2.50,2023-03-31,7,4.38,,,{page};{data};{shares};{info}
ATA,Antarctica,financial,1.50,2023-03-31,7,4.38,,,{page};{data};{shares};{info}
ATA,Antarctica,humanitarian,0.38,2023-03-31,7,4.38,,,{page};{data};{shares};{info}
BVT,Bouvet Island,military,0.12,2023-03-31,7,0.28,,,{page};{data};{shares};{info}
BVT,Bouvet Island,financial,0.00,2023-03-31,7,0.28,,,{page};{data};{shares};{info}
BVT,Bouvet Island,humanitarian,0.03,2023-03-31,7,0.28,,,{page};{data};{shares};{info}
HMD,Heard Island and McDonald Islands,military,0.04,2023-03-31,7,0.28,,,{page};{data};{info}
HMD,Heard Island and McDonald Islands,financial,0.01,2023-03-31,7,0.28,,,{page};{data};{info}
HMD,Heard Island and McDonald Islands,humanitarian,0.01,2023-03-31,7,0.28,,,{page};{data};{info}
""".format(page=kiel_build.TRACKER_PAGE_SOURCE, data=f"kiel-ust-data-{FAKE_COMMIT[:7]}",
           shares=f"kiel-ust-euaidshares-{FAKE_COMMIT[:7]}", info=f"kiel-ust-releaseinfo-{FAKE_COMMIT[:7]}",
           test=FAKE_SOURCE)


def test_the_synthetic_snapshot_builds_exactly_these_tables(fake_data):
    """Donors by descending total, sums in exact decimals rounded half up (0.375 → 0.38,
    0.005 → 0.01), EU members' share from eu_aid_shares.csv, EU → EUU, the override's note and
    source, CRLF line ends; the documented exception is reported, not silent."""
    result = _build(fake_data)
    assert (fake_data / "aid.csv").read_bytes() == FAKE_AID.replace("\n", "\r\n").encode("utf-8")
    yearly = _read(fake_data / "aid_yearly.csv")
    assert len(yearly) == 4 * 2 * 3 and {r["year"] for r in yearly} == {"2022", "2023"}
    by_key = {(r["iso3"], r["year"], r["aid_type"]): r["eur_bn"] for r in yearly}
    assert by_key[("ATA", "2022", "military")] == "2.000" and by_key[("ATA", "2023", "financial")] == "1.000"
    assert by_key[("HMD", "2022", "humanitarian")] == "0.002" and by_key[("HMD", "2023", "military")] == "0.001"
    assert by_key[("BVT", "2023", "financial")] == "0.000"
    assert [r["iso3"] for r in yearly[::6]] == ["EUU", "ATA", "BVT", "HMD"]
    assert {r["source_ids"] for r in yearly} == {
        f"kiel-ust-data-{FAKE_COMMIT[:7]};kiel-ust-releaseinfo-{FAKE_COMMIT[:7]};{kiel_build.TRACKER_PAGE_SOURCE}"}
    assert result.exceptions == [
        "documented exception (crosscheck_exceptions.csv line 2): eu_aid_shares.csv: Bouvet Island (BVT) "
        "bilateral_pct_gdp is 0.28% of 2021 GDP, which implies EUR 0.1400bn; its rows in data_explorer.csv "
        "sum to EUR 0.1500bn, 0.300000% of the GDP given there"]
    assert result.changed and result.diff == ["- `aid.csv`: no previous table; 12 rows built.",
                                              "- `aid_yearly.csv`: no previous table; 24 rows built."]
    again = _build(fake_data)
    assert not again.changed and again.diff[0].startswith("- Previous tables: release 7, cut-off 2023-03-31;")


def test_build_writes_nothing_on_a_dry_run(fake_data, tmp_path):
    _build(fake_data, tmp_path / "out", write=False)
    assert not (tmp_path / "out").exists()


def test_rebuilt_tables_load_in_the_app(fake_data, tmp_path):
    data_dir = tmp_path / "app-data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir, ignore=shutil.ignore_patterns("snapshots"))
    with (data_dir / "sources.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.writelines(line + "\n" for line in (fake_data / "sources.csv").read_text(encoding="utf-8").splitlines()[1:])
    _build(fake_data, data_dir)
    dataset = load_dataset(data_dir)
    assert "aid" not in dataset.errors and "aid_yearly" not in dataset.errors
    aid = dataset.tables["aid"]
    assert len(aid) == 12 and aid["release"].astype(str).unique().tolist() == ["7"]


# ----------------------------------------------------------------------------- finding the snapshot


def test_the_snapshot_is_looked_for_in_the_env_folder_then_the_local_then_the_shared_one(fake_data, tmp_path):
    kiel = _kiel(fake_data)
    shared = tmp_path / "shared" / "snapshots" / "kiel"
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(_snapshot(fake_data), shared / FAKE_RELEASE)
    shutil.copytree(_snapshot(fake_data), elsewhere)
    env = {kiel_build.SNAPSHOT_DIR_ENV: str(elsewhere)}
    assert kiel_build.find_snapshot(FAKE_RELEASE, kiel, shared, env) == (f"${kiel_build.SNAPSHOT_DIR_ENV}", elsewhere)
    assert kiel_build.find_snapshot(FAKE_RELEASE, kiel, shared, {}) == ("local folder (gitignored)", kiel / FAKE_RELEASE)
    shutil.rmtree(kiel / FAKE_RELEASE)
    assert kiel_build.find_snapshot(FAKE_RELEASE, kiel, shared, {}) == ("shared folder", shared / FAKE_RELEASE)
    result = _build(fake_data, tmp_path / "out")
    assert result.snapshot.folder == shared / FAKE_RELEASE
    assert (tmp_path / "out" / "aid.csv").read_bytes() == FAKE_AID.replace("\n", "\r\n").encode("utf-8")


def test_a_snapshot_on_no_machine_place_stops_the_build_saying_where_it_looked(fake_data, tmp_path):
    shutil.rmtree(_snapshot(fake_data))
    with pytest.raises(SnapshotMissing) as missing:
        _build(fake_data, tmp_path / "out")
    text = str(missing.value)
    assert f"the Kiel snapshot {FAKE_RELEASE} is not on this machine." in text
    assert f"1. ${kiel_build.SNAPSHOT_DIR_ENV}: not set" in text
    assert f"2. local folder (gitignored): {_snapshot(fake_data)}/ does not exist" in text
    assert f"3. shared folder: {tmp_path / 'shared' / 'snapshots' / 'kiel' / FAKE_RELEASE}/ does not exist" in text
    assert "raw files are not committed (workplace rule for fetched material)" in text
    assert f"python -m guarantee_atlas.kiel_build snapshot --git-dir <its git dir> --commit {FAKE_COMMIT}" in text
    assert "steering owner" in text and 'data/README.md, "The snapshot"' in text
    assert not (tmp_path / "out").exists()


def test_a_set_env_folder_that_does_not_exist_is_not_skipped(fake_data, tmp_path):
    env = {kiel_build.SNAPSHOT_DIR_ENV: str(tmp_path / "typo")}
    with pytest.raises(SnapshotMissing, match=r"typo/ does not exist \(it is set, so no other place is tried\)"):
        _build(fake_data, tmp_path / "out", environ=env)


def test_a_file_missing_from_the_found_folder_stops_the_build(fake_data, tmp_path):
    shared = tmp_path / "shared" / "snapshots" / "kiel" / FAKE_RELEASE
    shutil.copytree(_snapshot(fake_data), shared)
    shutil.rmtree(_snapshot(fake_data))
    (shared / "total_allocations.csv").unlink()
    with pytest.raises(BuildError) as failure:
        _build(fake_data, tmp_path / "out")
    assert failure.value.problems == [
        f"{shared / 'total_allocations.csv'}: missing (shared folder); the snapshot needs all of "
        "data_explorer.csv, eu_aid_shares.csv, total_allocations.csv, release_info.csv"]
    assert any("kiel_build snapshot --git-dir" in line for line in failure.value.hint)


def test_a_file_changed_after_the_snapshot_fails_its_checksum(fake_data, tmp_path):
    _edit_csv(_snapshot(fake_data) / "eu_aid_shares.csv", lambda rows: None)  # same values, other bytes
    with pytest.raises(BuildError, match=r"eu_aid_shares\.csv \(local folder \(gitignored\)\): sha256 .* "
                                         r"changed after the snapshot"):
        _build(fake_data, tmp_path / "out")


def test_a_changed_file_in_the_env_folder_fails_its_checksum_too(fake_data, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(_snapshot(fake_data), elsewhere)
    (elsewhere / "release_info.csv").write_bytes((elsewhere / "release_info.csv").read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(BuildError, match=rf"{elsewhere}/release_info\.csv \(\$KIEL_SNAPSHOT_DIR\): sha256"):
        _build(fake_data, tmp_path / "out", environ={kiel_build.SNAPSHOT_DIR_ENV: str(elsewhere)})


# ----------------------------------------------------------------------------- cross-checks


def test_a_row_whose_parts_do_not_add_up_stops_the_build(fake_data, tmp_path):
    def tamper(rows):
        row = _row(rows, "ATA", 2022, 11)
        row["military"] = str(float(row["military"]) + 0.5)

    _edit_csv(_snapshot(fake_data) / "data_explorer.csv", tamper)
    _reseal(fake_data)
    with pytest.raises(BuildError) as failure:
        _build(fake_data, tmp_path / "out")
    assert failure.value.problems == [
        "data_explorer.csv line 3 (Antarctica, 2022-11): total 0.875 is not military + financial + humanitarian = 1.375",
        "total_allocations.csv, 2022-11: military is 0.75, the donors' rows sum to 1.250000 (EUR bn)"]


def test_rows_that_no_longer_reproduce_the_trackers_totals_stop_the_build(fake_data, tmp_path):
    """A consistent extra EUR 0.5bn for Antarctica in March 2022 (row total and GDP share updated
    too) breaks total_allocations.csv for that month and Antarctica's share in eu_aid_shares.csv."""
    def tamper(rows):
        row = _row(rows, "ATA", 2022, 3)
        for column in ("military", "total"):
            row[column] = f"{float(row[column]) + 0.5:.6f}"
        row["pct_gdp"] = repr(float(row["total"]) / float(row["gdp"]) * 100)

    _edit_csv(_snapshot(fake_data) / "data_explorer.csv", tamper)
    _reseal(fake_data)
    with pytest.raises(BuildError) as failure:
        _build(fake_data, tmp_path / "out")
    assert failure.value.problems == [
        "total_allocations.csv, 2022-03: military is 1.35, the donors' rows sum to 1.850000 (EUR bn)",
        "total_allocations.csv, 2022-03: total_allocations is 4.62, the donors' rows sum to 5.120000 (EUR bn)",
        "eu_aid_shares.csv: Antarctica (ATA) bilateral_pct_gdp is 4.375% of 2021 GDP, which implies EUR 4.3750bn; "
        "its rows in data_explorer.csv sum to EUR 4.8750bn, 4.875000% of the GDP given there",
    ]
    assert not (tmp_path / "out").exists()


def test_a_tampered_gdp_share_names_the_donor_and_the_figure(fake_data, tmp_path):
    def tamper(rows):
        _row(rows, "ATA")["bilateral_pct_gdp"] = "4.1"

    _edit_csv(_snapshot(fake_data) / "eu_aid_shares.csv", tamper)
    _reseal(fake_data)
    with pytest.raises(BuildError) as failure:
        _build(fake_data, tmp_path / "out")
    assert any(p.startswith("eu_aid_shares.csv: Antarctica (ATA) bilateral_pct_gdp is 4.1% of 2021 GDP")
               for p in failure.value.problems)
    assert "eu_aid_shares.csv: Antarctica (ATA) total_pct_gdp 4.775 is not bilateral_pct_gdp + eu_share_pct_gdp " \
           "= 4.500000" in failure.value.problems


def test_a_release_that_provenance_does_not_name_stops_the_build(fake_data, tmp_path):
    _edit_csv(_snapshot(fake_data) / "release_info.csv", lambda rows: rows[0].update(release="8"))
    _reseal(fake_data)
    with pytest.raises(BuildError) as failure:
        _build(fake_data, tmp_path / "out")
    assert "provenance.json says release 7, release_info.csv says 8" in failure.value.problems
    assert any("does not name release 8" in p for p in failure.value.problems)


def test_an_undocumented_disagreement_stops_the_build(fake_data, tmp_path):
    exceptions = _kiel(fake_data) / "crosscheck_exceptions.csv"
    exceptions.write_text(",".join(kiel_build.EXCEPTION_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"Bouvet Island \(BVT\) bilateral_pct_gdp is 0\.28%"):
        _build(fake_data, tmp_path / "out")


def test_an_exception_that_no_longer_occurs_stops_the_build(fake_data, tmp_path):
    with (_kiel(fake_data) / "crosscheck_exceptions.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"eu_bilateral_share,ATA,bilateral_pct_gdp,4.375000,4.500000,a stale reason,{FAKE_SOURCE}\n")
    with pytest.raises(BuildError, match=r"line 3: eu_bilateral_share for ATA .* no longer occurs"):
        _build(fake_data, tmp_path / "out")


def test_an_exception_citing_an_unknown_source_stops_the_build(fake_data, tmp_path):
    exceptions = _kiel(fake_data) / "crosscheck_exceptions.csv"
    exceptions.write_text(exceptions.read_text(encoding="utf-8").replace(f";{FAKE_SOURCE}", ";no-such-source"),
                          encoding="utf-8")
    with pytest.raises(BuildError, match="sources.csv has no row for no-such-source"):
        _build(fake_data, tmp_path / "out")


# ----------------------------------------------------------------------------- overrides


def test_an_override_sets_the_cell_and_adds_its_sources(fake_data, tmp_path):
    _build(fake_data)  # the previous tables
    with (_kiel(fake_data) / "overrides.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"aid,ATA,,military,eur_bn,6.50,a test reason,{FAKE_SOURCE}\n")
    result = _build(fake_data, tmp_path / "out")
    antarctica = {r["aid_type"]: r for r in _read(tmp_path / "out" / "aid.csv") if r["iso3"] == "ATA"}
    assert antarctica["military"]["eur_bn"] == "6.50"
    assert antarctica["military"]["source_ids"].endswith(f";{FAKE_SOURCE}")
    assert FAKE_SOURCE not in antarctica["financial"]["source_ids"]
    assert "  - Antarctica, military: 2.50 → 6.50 (+4.00)" in result.diff
    assert "- `aid.csv`: 1 figure changed (EUR bn and % of 2021 GDP, 2 decimals; old → new):" in result.diff


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"aid,ATA,,military,eur_bn,6.50,,{FAKE_SOURCE}", "needs a reason and source_ids"),
        (f"aid,ATA,,military,donor,Antarktis,a reason,{FAKE_SOURCE}", "cannot override aid.donor"),
        (f"aid,XKX,,military,eur_bn,1.00,a reason,{FAKE_SOURCE}", "no aid row for XKX"),
        (f"aid_yearly,ATA,,military,eur_bn,1.000,a reason,{FAKE_SOURCE}", "year is required"),
        (f"aid,ATA,,military,eur_bn,one,a reason,{FAKE_SOURCE}", "is not a decimal number"),
        ("aid,ATA,,military,eur_bn,1.00,a reason,no-such-source", "sources.csv has no row for no-such-source"),
        (f"aid,ATA,,military,note,An English note only.,a reason,{FAKE_SOURCE}",
         "aid row ATA military gets a note but no note_uk"),
        (f"aid,ATA,,,note_uk,Лише українська примітка.,a reason,{FAKE_SOURCE}",
         "aid row ATA financial gets a note_uk but no note"),
    ],
)
def test_a_bad_override_stops_the_build(fake_data, tmp_path, line, message):
    with (_kiel(fake_data) / "overrides.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    with pytest.raises(BuildError, match=message):
        _build(fake_data, tmp_path / "out")


# ----------------------------------------------------------------------------- diff and changelog


def test_release_diff_names_added_and_removed_donors_and_moved_figures():
    def table(rows):
        return [dict(zip(kiel_build.AID_COLUMNS, r)) for r in rows]

    common = ("2023-03-31", "7")
    old = {"aid": table([("ATA", "Antarctica", "military", "2.50", *common, "4.38", "", "s"),
                         ("BVT", "Bouvet Island", "military", "0.12", *common, "0.28", "", "s")]),
           "aid_yearly": []}
    new = {"aid": table([("ATA", "Antarctica", "military", "2.51", *common, "4.39", "", "s"),
                         ("HMD", "Heard Island and McDonald Islands", "military", "0.04", *common, "0.28", "", "s")]),
           "aid_yearly": []}
    diff = kiel_build.release_diff(old, new)
    assert "- Donors added: Heard Island and McDonald Islands (HMD)." in diff
    assert "- Donors removed: Bouvet Island (BVT)." in diff
    assert "  - Antarctica, military: 2.50 → 2.51 (+0.01)" in diff
    assert "  - Antarctica, bilateral_pct_gdp_2021: 4.38 → 4.39" in diff


def test_changelog_gets_one_subsection_under_the_heading(tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Data changelog\n\nIntro.\n\n## 2026.11.0 — 2026-11-23\n\nFirst release.\n", encoding="utf-8")
    kiel_build.write_changelog(changelog, "2026.12.0 — 2026-12-06", "Aid", ["- one"])
    kiel_build.write_changelog(changelog, "2026.12.0 — 2026-12-06", "Other", ["- other"])
    kiel_build.write_changelog(changelog, "2026.12.0 — 2026-12-06", "Aid", ["- two"])
    text = changelog.read_text(encoding="utf-8")
    assert text.count("## 2026.12.0") == 1 and text.count("### Aid") == 1 and "- one" not in text
    assert text.index("## 2026.12.0") < text.index("### Aid") < text.index("- two") < text.index("## 2026.11.0")
    assert text.index("### Other") < text.index("## 2026.11.0")


# ----------------------------------------------------------------------------- command line


def test_command_line_stops_with_a_message_and_exit_code(fake_data, tmp_path, capsys, monkeypatch):
    (_kiel(fake_data) / "crosscheck_exceptions.csv").write_text(",".join(kiel_build.EXCEPTION_COLUMNS) + "\n",
                                                                encoding="utf-8")
    monkeypatch.setattr(kiel_build, "KIEL_DIR", _kiel(fake_data))
    code = kiel_build.main(["--snapshot", str(_snapshot(fake_data)), "--out", str(tmp_path), "--dry-run"])
    assert code == 1
    assert "Bouvet Island (BVT)" in capsys.readouterr().err


def test_command_line_says_where_it_looked_and_how_to_get_a_missing_snapshot(fake_data, tmp_path, capsys, monkeypatch):
    shutil.rmtree(_snapshot(fake_data))
    monkeypatch.setattr(kiel_build, "KIEL_DIR", _kiel(fake_data))
    assert kiel_build.main(["--out", str(tmp_path / "out"), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Kiel build stopped:\n  - the Kiel snapshot {FAKE_RELEASE} is not on this machine.\n"
                          "Looked in, in this order:\n")
    assert f"--commit {FAKE_COMMIT}" in err and str(tmp_path / "shared" / "snapshots" / "kiel" / FAKE_RELEASE) in err


def test_an_unchanged_build_leaves_the_changelog_alone(fake_data, capsys, monkeypatch):
    monkeypatch.setattr(kiel_build, "KIEL_DIR", _kiel(fake_data))
    (fake_data / "CHANGELOG.md").write_text("# Data changelog\n\n## 2023.07.0 — 2023-07-01\n\nFirst.\n", encoding="utf-8")
    assert kiel_build.main(["--out", str(fake_data), "--changelog", "2023.07.1 — 2023-07-02"]) == 0
    written = (fake_data / "CHANGELOG.md").read_bytes()
    assert f"from the snapshot `{FAKE_RELEASE}`".encode() in written and b"no previous table; 12 rows built" in written
    capsys.readouterr()
    assert kiel_build.main(["--out", str(fake_data), "--changelog", "2023.07.1 — 2023-07-02"]) == 0
    assert (fake_data / "CHANGELOG.md").read_bytes() == written
    assert "CHANGELOG.md left as it is" in capsys.readouterr().out


# ----------------------------------------------------------------------------- the snapshot command


@pytest.fixture
def fake_tracker_repo(tmp_path: Path) -> tuple[Path, str]:
    """A small git repository laid out like the tracker's: the synthetic files under data/ at one
    commit, then a later commit that changes release_info.csv. Returns (git dir, first commit)."""
    repo = tmp_path / "tracker"
    write_fake_tracker_files(repo / "data")

    def git(*args):
        return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                              check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", "data")
    git("commit", "-q", "-m", "Release 7 Data")
    commit = git("rev-parse", "HEAD")
    (repo / "data" / "release_info.csv").write_text("changed later\n", encoding="utf-8")
    git("commit", "-q", "-am", "later")
    return repo / ".git", commit


def test_snapshot_extracts_the_files_at_one_commit_and_writes_their_provenance(fake_tracker_repo, tmp_path, capsys):
    git_dir, commit = fake_tracker_repo
    kiel = tmp_path / "kiel"
    reference = tmp_path / "reference"
    write_fake_tracker_files(reference)
    assert kiel_build.main(["snapshot", "--git-dir", str(git_dir), "--commit", commit[:7],
                            "--licence", "None stated.", "--kiel-dir", str(kiel)]) == 0
    folder = kiel / f"release-7-{commit[:7]}"
    assert sorted(p.name for p in kiel.iterdir()) == [folder.name, f"{folder.name}.provenance.json"]
    provenance = json.loads((kiel / f"{folder.name}.provenance.json").read_text(encoding="utf-8"))
    assert provenance["commit"] == commit and provenance["licence"] == "None stated."
    assert provenance["commit_message"] == "Release 7 Data" and provenance["release"] == "7"
    for name, entry in provenance["files"].items():
        assert (folder / name).read_bytes() == (reference / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert entry["source_id"] == f"{kiel_build.SNAPSHOT_FILES[name]}-{commit[:7]}"
    out = capsys.readouterr().out
    assert "never commit them" in out and f"kiel-ust-data-{commit[:7]},UkraineSupportTrackerWebsite" in out
    snapshot = kiel_build.read_snapshot(folder, kiel / f"{folder.name}.provenance.json")
    assert snapshot.release["release"] == "7" and snapshot.name == folder.name


def test_snapshot_of_a_pinned_commit_checks_the_files_against_the_committed_provenance(fake_tracker_repo, tmp_path, capsys):
    git_dir, commit = fake_tracker_repo
    kiel = tmp_path / "kiel"
    kiel_build.take_snapshot(git_dir, commit, "None stated.", kiel_dir=kiel)
    provenance_file = kiel / f"release-7-{commit[:7]}.provenance.json"
    pinned = provenance_file.read_bytes()
    shutil.rmtree(kiel / f"release-7-{commit[:7]}")  # as on a fresh clone: provenance only

    assert kiel_build.main(["snapshot", "--git-dir", str(git_dir), "--commit", commit, "--kiel-dir", str(kiel)]) == 0
    assert "Every file's sha256 matches" in capsys.readouterr().out
    assert provenance_file.read_bytes() == pinned
    assert len(list((kiel / f"release-7-{commit[:7]}").iterdir())) == len(kiel_build.SNAPSHOT_FILES)

    shutil.rmtree(kiel / f"release-7-{commit[:7]}")
    provenance = json.loads(pinned)
    provenance["files"]["eu_aid_shares.csv"]["sha256"] = "0" * 64
    provenance_file.write_text(json.dumps(provenance), encoding="utf-8")
    assert kiel_build.main(["snapshot", "--git-dir", str(git_dir), "--commit", commit, "--kiel-dir", str(kiel)]) == 1
    err = capsys.readouterr().err
    assert f"data/eu_aid_shares.csv at commit {commit[:7]}: sha256" in err and f"({'0' * 64})" in err
    assert not (kiel / f"release-7-{commit[:7]}").exists()


def test_a_new_snapshot_needs_the_licence(fake_tracker_repo, tmp_path):
    git_dir, commit = fake_tracker_repo
    with pytest.raises(BuildError, match="a new snapshot needs --licence"):
        kiel_build.take_snapshot(git_dir, commit, None, kiel_dir=tmp_path / "kiel")
    assert not (tmp_path / "kiel").exists()


def test_snapshot_of_a_commit_the_repository_lacks_stops_with_gits_message(fake_tracker_repo, tmp_path):
    git_dir, _ = fake_tracker_repo
    with pytest.raises(BuildError, match=r"rev-parse --verify 0{40}\^\{commit\}"):
        kiel_build.take_snapshot(git_dir, "0" * 40, "None stated.", kiel_dir=tmp_path / "kiel")
