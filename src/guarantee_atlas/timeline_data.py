"""Timeline rows: events, event spans and agreement terms in model lanes (pure).

One row per mark on the timeline: a point event (a marker in its lane's
header row) or a span (a bar on a row of its own). Rows come from
``events.csv`` (``kind`` event or span) and ``agreements.csv`` (each
agreement's term: ``date_signed`` plus ``duration_years``). The same rows feed
the figure, the table under it and the CSV download.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from . import i18n, schema
from .countries import country_name
from .citations import citation, source_link
from .downloads import escape_markdown
from .i18n import N_, _, n_
from .memo import memoized
from .registry import Registry

# The bilateral security agreements of 2024–25 are the Israel-style model's
# instruments (data/README.md, agreements.csv): their terms go in its lane.
AGREEMENT_LANE = "israel"
HEADER_PREFIX = "lane-"
SUMMARY_CHARS = 100
MAX_PUBLISHERS = 3

# Presets for the date axis: id -> (label, first year). "all" (the default) is
# two panels: 1991–2021 compressed, 2022 to today at full width; "1991–" runs
# from 1991 to today on one scale; "terms" also shows the rest of each
# agreement's term. Labels are short so the buttons fit a phone; words are marked for the
# catalogue and translated where shown (``period_labels()``).
PERIODS: dict[str, tuple[str, int | None]] = {
    "all": (N_("All"), None),
    "1991": ("1991–", 1991),
    "2014": ("2014–", 2014),
    "2022": ("2022–", 2022),
    "terms": (N_("Full terms"), None),
}


def period_labels() -> dict[str, str]:
    """Preset id → its button's words in the language in use."""
    return {period: _(label) for period, (label, _first) in PERIODS.items()}


# Where the default view's wide panel starts: the full-scale invasion's year,
# from which the events come many a month.
RECENT_START = pd.Timestamp(2022, 1, 1)

EXPORT_COLUMNS = [
    "row_id", "lane", "kind", "start", "end", "date_precision", "date_label", "title", "detail",
    "note", "model_ids", "iso3s", "highlighted", "source_ids",
]
ROW_COLUMNS = EXPORT_COLUMNS + [
    "lane_label", "lane_rank", "lane_colour", "lane_symbol", "lane_glyph",
    "row_label", "y", "draw_end", "summary", "publishers", "source_url",
]


def format_date(ts: pd.Timestamp, precision: str = "day") -> str:
    """'5 December 1994', 'June 1996' or '2001' ('5 грудня 1994 р.', 'червень 1996 р.'), as precise as the source."""
    if precision == "year":
        return i18n.format_year(ts)
    if precision == "month":
        return i18n.format_month(ts)
    return i18n.format_date(ts)


def date_label(start: pd.Timestamp, end, precision: str, kind: str) -> str:
    """The date of an event, or 'start – end' of a span ('from … (ongoing)' without an end)."""
    if kind != "span":
        return format_date(start, precision)
    if pd.isna(end):
        return _("From {date} (ongoing)").format(date=format_date(start, precision))
    return f"{format_date(start, precision)} – {format_date(end, precision)}"


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence of a text, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    first = text.split(". ")[0]
    first = first if first.endswith(".") or first == text else first + "."
    return first if len(first) <= limit else first[: limit - 1].rstrip(" ,;") + "…"


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Rows from events.csv: point events and spans (an ongoing span has no end)."""
    return pd.DataFrame(
        {
            "row_id": "event-" + events["event_id"],
            "kind": events["kind"],
            "start": events["date"],
            "end": events["end_date"],
            "date_precision": events["date_precision"],
            "title": events["title"],
            "row_label": events["title"],
            "detail": events["detail"],
            "summary": events["detail"].map(one_line),
            "note": events["note"],
            "model_ids": events["model_ids"],
            "iso3s": events["iso3s"],
            "source_ids": events["source_ids"],
        }
    )


def _term_end(signed: pd.Timestamp, years: float) -> pd.Timestamp:
    if float(years).is_integer():
        return signed + pd.DateOffset(years=int(years))
    return signed + pd.DateOffset(months=round(years * 12))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _signed(place, signatories) -> str:
    has_place, has_signatories = isinstance(place, str), isinstance(signatories, str)
    if has_place and has_signatories:
        return _("Signed in {place} by {signatories}.").format(place=place, signatories=signatories)
    if has_place:
        return _("Signed in {place}.").format(place=place)
    if has_signatories:
        return _("Signed by {signatories}.").format(signatories=signatories)
    return _("Signed.")


def _term(years) -> str:
    if pd.isna(years):
        return _("No term stated in the sources.")
    if float(years).is_integer():
        return n_("A {years}-year term.", "A {years}-year term.", int(years)).format(years=int(years))
    return _("A term of {years} years.").format(years=i18n.format_number(float(years), 1))


def pledge_sentence(pledge_text: str) -> str:
    """'Pledge: …' as a sentence."""
    return _sentence(_("Pledge: {pledge}").format(pledge=pledge_text))


def _agreement_detail(row: pd.Series) -> str:
    parts = [_signed(row["place"], row["signatories"]), _term(row["duration_years"]), pledge_sentence(row["pledge_text"])]
    if isinstance(row["notable"], str):
        parts.append(_sentence(row["notable"]))
    return " ".join(parts)


def agreement_rows(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per bilateral agreement: its term as a span (a point when no term is stated)."""
    has_term = agreements["duration_years"].notna()
    ends = [
        _term_end(signed, years) if pd.notna(years) else pd.NaT
        for signed, years in zip(agreements["date_signed"], agreements["duration_years"])
    ]
    return pd.DataFrame(
        {
            "row_id": "agreement-" + agreements["iso3"],
            "kind": has_term.map({True: "span", False: "event"}),
            "start": agreements["date_signed"],
            "end": pd.to_datetime(pd.Series(ends, index=agreements.index)),
            "date_precision": "day",
            "title": agreements["partner"].map(
                lambda partner: _("{partner}: security agreement with Ukraine").format(partner=partner)
            ),
            "row_label": agreements["partner"],
            "detail": agreements.apply(_agreement_detail, axis=1),
            "summary": agreements["pledge_text"].map(pledge_sentence).map(one_line),
            "note": agreements["note"],
            "model_ids": AGREEMENT_LANE,
            "iso3s": agreements["iso3"] + ";UKR",
            "source_ids": agreements["source_ids"],
        }
    )


def _first_lane(model_ids: str, lanes: list[str]) -> str | None:
    return next((m for m in schema.split_ids(model_ids) if m in lanes), None)


def _publishers(source_ids: str, publisher_of: dict[str, str]) -> str:
    names = list(dict.fromkeys(publisher_of[s] for s in schema.split_ids(source_ids) if s in publisher_of))
    shown = "; ".join(names[:MAX_PUBLISHERS])
    if len(names) > MAX_PUBLISHERS:
        return _("{names} and {n} more").format(names=shown, n=len(names) - MAX_PUBLISHERS)
    return shown


def _first_url(source_ids: str, url_of: dict[str, str]) -> str | None:
    return next((url_of[s] for s in schema.split_ids(source_ids) if s in url_of), None)


@memoized()
def timeline_rows(
    events: pd.DataFrame,
    agreements: pd.DataFrame,
    sources: pd.DataFrame,
    registry: Registry,
    lanes: list[str] | None = None,
    countries: list[str] | None = None,
    ongoing_until: date | None = None,
) -> pd.DataFrame:
    """Every timeline mark of the chosen lanes, in date order.

    An entry tagged with several models sits in the first of its lanes that is
    shown. ``highlighted`` marks rows naming one of ``countries``. A span with
    no end is ongoing: drawn up to ``ongoing_until`` (``draw_end``; the data's
    as-of date, else today). ``y`` is the chart row: the lane's header row for
    point events, a row of its own for spans and for agreements. Each row
    carries its lane's label, rank and style (from the registry).
    """
    rows = _lane_rows(events, agreements, sources, registry, lanes, ongoing_until)
    chosen = set(countries or [])
    highlighted = rows["iso3s"].map(lambda ids: bool(chosen & set(schema.split_ids(ids))))
    return rows.assign(highlighted=highlighted)[ROW_COLUMNS]


@memoized()
def _lane_rows(
    events: pd.DataFrame,
    agreements: pd.DataFrame,
    sources: pd.DataFrame,
    registry: Registry,
    lanes: list[str] | None,
    ongoing_until: date | None,
) -> pd.DataFrame:
    """``timeline_rows`` before the country filter (computed once for every choice of countries)."""
    every_lane = registry.lanes
    lanes = [lane for lane in every_lane if lane in (lanes if lanes is not None else every_lane)]
    ongoing_ts = pd.Timestamp(ongoing_until or date.today())
    rows = pd.concat([event_rows(events), agreement_rows(agreements)], ignore_index=True)
    rows["lane"] = rows["model_ids"].map(lambda ids: _first_lane(ids, lanes))
    rows = rows[rows["lane"].notna()].copy()
    rows["lane_label"] = rows["lane"].map(registry.lane_label)
    rows["lane_colour"] = rows["lane"].map(lambda lane: registry.style(lane).colour)
    rows["lane_symbol"] = rows["lane"].map(lambda lane: registry.style(lane).symbol)
    rows["lane_glyph"] = rows["lane"].map(lambda lane: registry.style(lane).glyph)
    own_row = (rows["kind"] == "span") | rows["row_id"].str.startswith("agreement-")
    rows["y"] = rows["row_id"].where(own_row, HEADER_PREFIX + rows["lane"])
    rows["draw_end"] = rows["end"].fillna(ongoing_ts).where(rows["kind"] == "span")
    rows["date_label"] = [
        date_label(s, e, p, k) for s, e, p, k in zip(rows["start"], rows["end"], rows["date_precision"], rows["kind"])
    ]
    publisher_of = dict(zip(sources["source_id"], sources["publisher"]))
    url_of = {row.source_id: source_link(row)[0] for row in sources.itertuples(index=False)}  # url_uk in Ukrainian
    rows["publishers"] = rows["source_ids"].map(lambda ids: _publishers(ids, publisher_of))
    rows["source_url"] = rows["source_ids"].map(lambda ids: _first_url(ids, url_of))
    rows["lane_rank"] = rows["lane"].map(every_lane.index)
    return rows.sort_values(["start", "lane_rank", "title"], kind="stable").reset_index(drop=True)


def chart_row_order(rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Chart rows top to bottom as (y key, lane, label).

    Per lane in the registry's order: the lane's header row (its point events),
    then one row per span, sorted by start date so a wave of agreements shows
    as a staircase.
    """
    # In plain Python, one pass: a frame filtered and sorted per lane took 12 ms for 136 rows (2026-12-08).
    lanes: dict[str, tuple[int, str, list]] = {}  # lane → its rank, its label, its own rows
    for lane, rank, lane_label, y, start, label in zip(
        rows["lane"], rows["lane_rank"], rows["lane_label"], rows["y"], rows["start"], rows["row_label"]
    ):
        own = lanes.setdefault(lane, (rank, lane_label, []))[2]
        if y != HEADER_PREFIX + lane:
            own.append((start, label, y))
    order = []
    for lane, (_rank, lane_label, own) in sorted(lanes.items(), key=lambda item: item[1][0]):
        order.append((HEADER_PREFIX + lane, lane, lane_label))
        order += [(y, lane, label) for _start, label, y in sorted(own, key=lambda row: row[:2])]
    return order


def period_range(period: str, rows: pd.DataFrame, today: date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The date-axis range of a one-scale preset: from its first year to today, or everything ("terms")."""
    today_ts = pd.Timestamp(today)
    first_year = PERIODS[period][1]
    if first_year is not None:
        start = pd.Timestamp(first_year, 1, 1)
        return start, today_ts + (today_ts - start) * 0.03
    starts = [pd.Timestamp(1991, 1, 1)] + ([rows["start"].min()] if len(rows) else [])
    ends = [today_ts] + ([rows["draw_end"].max()] if rows["draw_end"].notna().any() else [])
    return min(starts) - pd.DateOffset(months=6), max(ends) + pd.DateOffset(years=1)


def period_ranges(period: str, rows: pd.DataFrame, today: date) -> tuple[tuple[pd.Timestamp, pd.Timestamp], ...]:
    """The date range of each panel of a preset, left to right.

    "all" gives two: from before 1991 to 2022 (compressed) and from 2022 to
    just after today (wide); every other preset one (``period_range``).
    """
    if period != "all":
        return (period_range(period, rows, today),)
    first, _ = period_range("terms", rows, today)
    _, end = period_range("2022", rows, today)
    return ((first, RECENT_START), (RECENT_START, end))


@memoized()
def highlight_names(rows: pd.DataFrame, countries: list[str]) -> tuple[list[str], list[str]]:
    """Chosen countries split into those the timeline names and those it does not."""
    named = set()
    for ids in rows["iso3s"]:
        named |= set(schema.split_ids(ids))
    found = [country_name(c) for c in countries if c in named]
    missing = [country_name(c) for c in countries if c not in named]
    return found, missing


def picked_row(rows: pd.DataFrame, points: list[dict]) -> pd.Series | None:
    """The row of the first clicked chart point (its customdata starts with the row id)."""
    for point in points:
        ids = rows.index[rows["row_id"] == (point.get("customdata") or [None])[0]]
        if len(ids):
            return rows.loc[ids[0]]
    return None


# The table's columns: English names are the keys (the page's column settings name them); their words
# in the language in use come from ``table_labels()``.
TABLE_COLUMNS: dict[str, str] = {
    "Year": N_("Year"),
    "Date": N_("Date"),
    "Lane": N_("Lane"),
    "What": N_("What"),
    "Detail": N_("Detail"),
    "Countries": N_("Countries"),
    "Chosen country": N_("Chosen country"),
    "Sources": N_("Sources"),
    "Link": N_("Link"),
}


def table_labels() -> dict[str, str]:
    """The table's column → its heading in the language in use."""
    return i18n.translated_values(TABLE_COLUMNS)


@memoized()
def table_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as a readable table: year (to sort by), date as precise as known, lane, sources."""
    return pd.DataFrame(
        {
            "Year": rows["start"],
            "Date": rows["date_label"],
            "Lane": rows["lane_label"],
            "What": rows["title"],
            "Detail": rows["detail"],
            "Countries": rows["iso3s"].map(lambda ids: ", ".join(country_name(c) for c in schema.split_ids(ids))),
            "Chosen country": rows["highlighted"],
            "Sources": rows["publishers"],
            "Link": rows["source_url"],
        }
    )


def detail_markdown(row: pd.Series, sources: pd.DataFrame) -> str:
    """Full detail of one row with its linked sources (text escaped for Streamlit)."""
    lines = [
        f"**{escape_markdown(row['title'])}**  ",
        f"{escape_markdown(row['date_label'])} · {escape_markdown(row['lane_label'])}",
        "",
        escape_markdown(row["detail"]),
    ]
    if isinstance(row["note"], str):
        lines += ["", "*{}* {}".format(_("Note:"), escape_markdown(row["note"]))]
    names = [country_name(c) for c in schema.split_ids(row["iso3s"])]
    if names:
        lines += ["", "*{}* {}".format(_("Countries named:"), escape_markdown(", ".join(names)))]
    lookup = sources.set_index("source_id")
    listed = [s for s in schema.split_ids(row["source_ids"]) if s in lookup.index]
    if listed:
        lines += ["", "*{}*".format(_("Sources:"))]
        for source_id in listed:
            lines.append(f"- {citation(lookup.loc[source_id], dated=True)}")
    return "\n".join(lines)
