"""Timeline shaping and figure: lanes, spans, sorting, model filter, country highlight."""

from datetime import date

import pandas as pd
import pytest

from guarantee_atlas import theme, timeline_data, urlstate
from guarantee_atlas.data import load_dataset
from guarantee_atlas.figures.timeline import DIMMED_OPACITY, HOVER_WRAP, OUTLINE_WIDTH, build_timeline
from guarantee_atlas.registry import STYLES
from conftest import ROOT, fixture_registry

REGISTRY = fixture_registry()

AS_OF = date(2026, 11, 1)
TODAY = date(2026, 11, 23)


def _events() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            ["memo", "1994-12-05", None, "day", "Memorandum signed", "Signed in Budapest. More text.", "budapest", "UKR;USA;RUS", "event", None, "s-memo"],
            ["assurances", "1994-12-05", "2014-02-27", "day", "Assurances in force", "From signature to Crimea.", "budapest", "UKR;RUS", "span", "Editorial end.", "s-memo"],
            ["warhead", "1996-06-01", None, "month", "Last warhead leaves", "Transfer completed.", "budapest", "UKR", "event", None, "s-memo;s-news"],
            ["crimea", "2014-02-27", None, "day", "Crimea seized", "Armed men seized the parliament.", "budapest;context", "UKR;RUS", "event", None, "s-news"],
            ["invasion", "2022-02-24", None, "day", "Full-scale invasion", "Russia invades.", "context", "RUS;UKR", "event", None, "s-news"],
            ["g7", "2023-07-12", None, "day", "G7 declaration", "Talks launched.", "israel;ksc", "JPN;GBR;UKR", "event", None, "s-news"],
            ["compact", "2024-07-11", None, "day", "Ukraine Compact", "Ongoing.", "israel", "USA;JPN;UKR", "span", None, "s-news"],
            ["mou", "2018-10-01", "2028-09-30", "day", "US–Israel MOU period FY2019–FY2028", "Fiscal years.", "israel", "USA;ISR", "span", None, "s-news"],
        ],
        columns=["event_id", "date", "end_date", "date_precision", "title", "detail", "model_ids", "iso3s", "kind", "note", "source_ids"],
    )
    for column in ("date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _agreements() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            ["POL", "Poland", "2024-07-08", "Warsaw", "Tusk – Zelensky", 10.0, "No amount stated", None, None, "s-news"],
            ["GBR", "United Kingdom", "2024-01-12", "Kyiv", "Sunak – Zelensky", 10.0, "£2.5bn for 2024", "First agreement.", None, "s-news"],
            ["JPN", "Japan", "2024-06-13", "Apulia", "Kishida – Zelensky", 10.0, "$4.5bn in 2024", None, None, "s-news"],
            ["HRV", "Croatia", "2024-10-09", "Dubrovnik", None, None, "No amount stated", None, None, "s-news"],
        ],
        columns=["iso3", "partner", "date_signed", "place", "signatories", "duration_years", "pledge_text", "notable", "note", "source_ids"],
    )
    frame["date_signed"] = pd.to_datetime(frame["date_signed"])
    return frame


def _sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["s-memo", "s-news"],
            "publisher": ["Treaty Archive", "Daily [News]"],
            "title": ["Memorandum text", "Report (live)"],
            "url": ["https://example.org/memo", "https://example.org/news_(live)"],
            "published": pd.to_datetime(["1994-12-05", None]),
        }
    )


def _rows(lanes=None, countries=None) -> pd.DataFrame:
    return timeline_data.timeline_rows(
        _events(), _agreements(), _sources(), REGISTRY, lanes, countries, ongoing_until=AS_OF
    )


def _row(rows: pd.DataFrame, row_id: str) -> pd.Series:
    return rows.set_index("row_id").loc[row_id]


# --- shaping ------------------------------------------------------------------


def test_rows_cover_events_spans_and_one_term_per_agreement():
    rows = _rows()
    assert len(rows) == len(_events()) + len(_agreements())
    assert set(rows["row_id"]) >= {"event-assurances", "agreement-GBR", "agreement-JPN", "agreement-POL"}
    assert list(rows["start"]) == sorted(rows["start"]), "rows are in date order"
    assert set(timeline_data.EXPORT_COLUMNS) <= set(rows.columns) and "source_ids" in timeline_data.EXPORT_COLUMNS


def test_agreement_term_is_signing_date_plus_duration():
    gbr = _row(_rows(), "agreement-GBR")
    assert (gbr["kind"], gbr["lane"]) == ("span", "israel")
    assert gbr["end"] == pd.Timestamp("2034-01-12")
    assert gbr["date_label"] == "12 January 2024 – 12 January 2034"
    assert gbr["row_label"] == "United Kingdom"
    assert "Signed in Kyiv by Sunak – Zelensky. A 10-year term. Pledge: £2.5bn for 2024. First agreement." == gbr["detail"]


def test_agreement_without_term_is_a_point_on_its_own_row():
    hrv = _row(_rows(), "agreement-HRV")
    assert hrv["kind"] == "event" and pd.isna(hrv["end"])
    assert hrv["y"] == "agreement-HRV"
    assert "No term stated" in hrv["detail"]


def test_event_spans_and_ongoing_span():
    rows = _rows()
    assurances = _row(rows, "event-assurances")
    assert assurances["draw_end"] == pd.Timestamp("2014-02-27")
    assert assurances["y"] == "event-assurances", "a span has a row of its own"
    compact = _row(rows, "event-compact")
    assert pd.isna(compact["end"]) and compact["draw_end"] == pd.Timestamp(AS_OF)
    assert compact["date_label"] == "From 11 July 2024 (ongoing)"
    assert _row(rows, "event-memo")["y"] == "lane-budapest", "a point event sits on its lane's header row"


def test_date_labels_follow_precision():
    assert _row(_rows(), "event-warhead")["date_label"] == "June 1996"
    assert timeline_data.format_date(pd.Timestamp("2001-01-01"), "year") == "2001"
    assert timeline_data.format_date(pd.Timestamp("1994-12-05"), "day") == "5 December 1994"


def test_lane_is_first_shown_model_and_filter_drops_other_lanes():
    rows = _rows()
    assert _row(rows, "event-crimea")["lane"] == "budapest"
    assert _row(rows, "event-g7")["lane"] == "israel"
    context_only = _rows(lanes=["context"])
    assert list(context_only["row_id"]) == ["event-crimea", "event-invasion"], "a multi-model event moves lane"
    assert set(_rows(lanes=["ksc"])["row_id"]) == {"event-g7"}
    assert _rows(lanes=[]).empty


def test_chart_rows_in_lane_order_with_agreements_sorted_by_signing_date():
    order = timeline_data.chart_row_order(_rows())
    keys = [key for key, _, _ in order]
    assert keys[0] == "lane-budapest" and keys[1] == "event-assurances"
    assert [k for k in keys if k.startswith("lane-")] == ["lane-budapest", "lane-israel", "lane-context"]
    agreements = [k for k in keys if k.startswith("agreement-")]
    assert agreements == ["agreement-GBR", "agreement-JPN", "agreement-POL", "agreement-HRV"]
    israel = keys[keys.index("lane-israel") + 1 :]
    assert israel.index("event-mou") < israel.index("agreement-GBR"), "spans by start date within a lane"


def test_highlight_marks_rows_naming_a_chosen_country():
    rows = _rows(countries=["JPN"])
    assert set(rows.loc[rows["highlighted"], "row_id"]) == {"event-g7", "event-compact", "agreement-JPN"}
    assert timeline_data.highlight_names(rows, ["JPN", "FRA"]) == (["Japan"], ["France"])
    assert not _rows()["highlighted"].any()


def test_one_line_summary_and_publishers():
    rows = _rows()
    assert _row(rows, "event-memo")["summary"] == "Signed in Budapest."
    long = timeline_data.one_line("x" * 300)
    assert long.endswith("…") and len(long) == timeline_data.SUMMARY_CHARS
    assert _row(rows, "agreement-GBR")["summary"] == "Pledge: £2.5bn for 2024."
    assert _row(rows, "event-warhead")["publishers"] == "Treaty Archive; Daily [News]"
    assert _row(rows, "event-warhead")["source_url"] == "https://example.org/memo"


def test_period_presets():
    rows = _rows()
    start, end = timeline_data.period_range("2014", rows, TODAY)
    assert start == pd.Timestamp("2014-01-01") and pd.Timestamp(TODAY) < end < pd.Timestamp("2027-06-01")
    start, end = timeline_data.period_range("all", rows, TODAY)
    assert start < pd.Timestamp("1991-01-01") and end > pd.Timestamp("2034-07-08"), "whole terms visible"


def test_default_period_is_two_panels_split_at_2022():
    rows = _rows()
    (left, right) = timeline_data.period_ranges("all", rows, TODAY)
    assert left[0] < pd.Timestamp("1991-01-01") and left[1] == right[0] == pd.Timestamp("2022-01-01")
    assert pd.Timestamp(TODAY) < right[1] < pd.Timestamp("2027-06-01"), "the wide panel ends just after today"
    assert timeline_data.period_ranges("2014", rows, TODAY) == (timeline_data.period_range("2014", rows, TODAY),)
    (terms,) = timeline_data.period_ranges("terms", rows, TODAY)
    assert terms[1] > pd.Timestamp("2034-07-08"), "“Full terms” shows each agreement's whole term"


def test_table_detail_and_clicked_row():
    rows = _rows(countries=["GBR"])
    table = timeline_data.table_frame(rows)
    assert len(table) == len(rows)
    assert list(table.columns[:4]) == ["Year", "Date", "Lane", "What"]
    assert table.loc[rows["row_id"] == "agreement-GBR", "Chosen country"].item()
    picked = timeline_data.picked_row(rows, [{"curve_number": 1, "customdata": ["event-warhead", "June 1996"]}])
    assert picked["title"] == "Last warhead leaves"
    assert timeline_data.picked_row(rows, [{"customdata": ["gone"]}, {}]) is None
    text = timeline_data.detail_markdown(picked, _sources())
    assert "June 1996" in text and "Daily \\[News\\]" in text, "data text is escaped"
    assert "(https://example.org/news_%28live%29)" in text, "parentheses in URLs cannot end the link"


def test_parse_choices_for_lanes():
    lanes = REGISTRY.lanes
    parsed = urlstate.parse_choices(["KSC,budapest", "bogus<x>"], lanes, default=lanes)
    assert parsed.values == ["budapest", "ksc"] and parsed.ignored == ["bogusx"]
    assert urlstate.parse_choices([], lanes, default=lanes).values == lanes
    assert urlstate.parse_choices(["nope"], lanes, default=lanes).values == lanes


# --- figure -------------------------------------------------------------------


def _traces(fig):
    return {(t.type, t.name): t for t in fig.data}


def test_figure_lanes_have_symbol_and_colour():
    fig = build_timeline(_rows(), today=TODAY)
    traces = _traces(fig)
    budapest = traces[("scatter", "Budapest 1994")]
    assert budapest.marker.symbol == STYLES["budapest"].symbol == "diamond"
    assert budapest.marker.color == STYLES["budapest"].colour
    assert traces[("scatter", "Context")].marker.symbol == "triangle-up"
    ticks = list(fig.layout.yaxis.ticktext)
    assert "◆" in ticks[0] and "Budapest 1994" in ticks[0]
    assert list(fig.layout.yaxis.tickvals) == [k for k, _, _ in timeline_data.chart_row_order(_rows())]


def test_figure_spans_are_bars_from_start_to_end():
    fig = build_timeline(_rows(), today=TODAY)
    bars = _traces(fig)[("bar", "Israel-style 2023–")]
    assert bars.orientation == "h"
    index = list(bars.y).index("agreement-JPN")
    assert bars.base[index] == "2024-06-13"
    assert bars.x[index] == pytest.approx((pd.Timestamp("2034-06-13") - pd.Timestamp("2024-06-13")).total_seconds() * 1000)
    assert bars.customdata[index][0] == "agreement-JPN"
    assert "%{customdata[4]}" in bars.hovertemplate, "hover names the source publisher"


def test_figure_range_and_today_line():
    x_range = timeline_data.period_range("2022", _rows(), TODAY)
    fig = build_timeline(_rows(), x_range, TODAY)
    assert str(fig.layout.xaxis.range[0]).startswith("2022-01-01")
    assert fig.layout.yaxis.fixedrange is True, "zoom acts on dates only"
    assert any(a.text == "Today" for a in fig.layout.annotations)


def test_figure_highlight_outlines_chosen_and_dims_others():
    fig = build_timeline(_rows(countries=["JPN"]), today=TODAY)
    bars = _traces(fig)[("bar", "Israel-style 2023–")]
    jpn, pol = list(bars.y).index("agreement-JPN"), list(bars.y).index("agreement-POL")
    assert bars.marker.line.width[jpn] == OUTLINE_WIDTH and bars.marker.opacity[jpn] == 1.0
    assert bars.marker.opacity[pol] == DIMMED_OPACITY
    assert "<b>► Japan</b>" in fig.layout.yaxis.ticktext
    points = _traces(fig)[("scatter", "Israel-style 2023–")]
    g7 = [c[0] for c in points.customdata].index("event-g7")
    assert points.marker.line.width[g7] == OUTLINE_WIDTH and points.marker.size[g7] > 11
    header = fig.layout.yaxis.ticktext[list(fig.layout.yaxis.tickvals).index("lane-israel")]
    assert header.startswith("<b>► </b>"), "the lane row holding a chosen event is marked too"


def test_figure_without_highlight_dims_nothing():
    fig = build_timeline(_rows(), today=TODAY)
    for trace in fig.data:
        assert set(trace.marker.opacity) == {1.0}


def test_figure_escapes_data_text():
    events = _events()
    events.loc[0, "title"] = "<b>bold</b> & co"
    rows = timeline_data.timeline_rows(events, _agreements(), _sources(), REGISTRY, ongoing_until=AS_OF)
    fig = build_timeline(rows)
    texts = [c[2] for t in fig.data for c in t.customdata]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in texts


def test_hover_text_wraps_long_lines():
    events = _events()
    events.loc[0, "detail"] = "word " * 30
    rows = timeline_data.timeline_rows(events, _agreements(), _sources(), REGISTRY, ongoing_until=AS_OF)
    summaries = {c[0]: c[3] for t in build_timeline(rows).data for c in t.customdata}
    assert all(len(line) <= HOVER_WRAP for line in summaries["event-memo"].split("<br>"))
    assert summaries["event-memo"].count("<br>") >= 1


def test_axis_labels_cut_alike_get_their_start_year():
    events = _events()
    earlier = events[events["event_id"] == "mou"].assign(
        event_id="mou-2008", date=pd.Timestamp("2008-10-01"), end_date=pd.Timestamp("2018-09-30"),
        title="US–Israel MOU period FY2009–FY2018",
    )
    rows = timeline_data.timeline_rows(pd.concat([events, earlier]), _agreements(), _sources(), REGISTRY, ongoing_until=AS_OF)
    axis = build_timeline(rows).layout.yaxis
    ticks = dict(zip(axis.tickvals, axis.ticktext))
    assert ticks["event-mou-2008"].endswith("(2008)") and ticks["event-mou"].endswith("(2018)")
    assert ticks["agreement-JPN"] == "Japan", "short labels stay as they are"


# --- markers kept apart in the default view (real data, 1400 px window) -------

# The chart's width in a 1400 px window with the sidebar open, measured in Chromium
# (tests/test_timeline_browser.py checks it and the rendered markers' boxes).
CHART_WIDTH_AT_1400 = 940
RECENT = pd.Timestamp("2022-01-01")


@pytest.fixture(scope="module")
def real_dataset():
    return load_dataset(ROOT / "data")


def _marker_boxes(fig) -> list[tuple[str, str, float, float, float]]:
    """(trace name, row id, x px, y px, diameter px) of every drawn marker, from the figure's axes.

    x from the trace's date axis (its domain share of the plot width and its
    range), y from the category rows (the y range spans one unit per row).
    """
    layout = fig.layout
    margin = layout.margin
    plot_width = CHART_WIDTH_AT_1400 - margin.l - margin.r
    plot_height = layout.height - margin.t - margin.b
    rows = list(layout.yaxis.categoryarray)
    row_px = plot_height / len(rows)
    boxes = []
    for trace in fig.data:
        if trace.type != "scatter":
            continue
        axis = layout["xaxis" + (trace.xaxis or "x")[1:]]
        domain = axis.domain or (0, 1)
        start, end = (pd.Timestamp(v) for v in axis.range)
        sizes = trace.marker.size
        widths = trace.marker.line.width
        for i, (x, y) in enumerate(zip(trace.x, trace.y)):
            day = pd.Timestamp(x)
            if not start <= day <= end:
                continue
            share = (day - start) / (end - start)
            x_px = plot_width * (domain[0] + share * (domain[1] - domain[0]))
            size = sizes[i] if isinstance(sizes, (list, tuple)) else sizes
            line = widths[i] if isinstance(widths, (list, tuple)) else widths
            boxes.append((trace.name, trace.customdata[i][0], x_px, rows.index(y) * row_px, size + line, day))
    return boxes


def _overlapping_recent_markers(fig) -> list[tuple[str, str]]:
    """Pairs of 2022– markers in one lane whose boxes overlap at 1400 px."""
    recent = [b for b in _marker_boxes(fig) if b[5] >= RECENT]
    pairs = []
    for i, a in enumerate(recent):
        for b in recent[i + 1 :]:
            reach = (a[4] + b[4]) / 2
            if a[0] == b[0] and abs(a[2] - b[2]) < reach and abs(a[3] - b[3]) < reach:
                pairs.append((a[1], b[1]))
    return pairs


def test_default_view_keeps_every_2022_marker_apart_at_1400_px(real_dataset):
    """The default view ("All") gives 2022– the room its ~70 markers need: none overlaps another in its lane."""
    events, agreements, sources = real_dataset.require("events", "agreements", "sources")
    today = real_dataset.checked_on
    rows = timeline_data.timeline_rows(events, agreements, sources, real_dataset.registry, ongoing_until=today)
    page_default = "all"
    fig = build_timeline(rows, timeline_data.period_ranges(page_default, rows, today), today)
    fig = theme.apply_theme(
        fig,
        "Security guarantees for Ukraine, events and periods since 1991 (facts to May 2026)",
        "Source: Wikipedia; Novyny.LIVE; christusimperat.org (RISU repost) and 80 more · "
        "Facts to 18 May 2026, sources checked 6 Dec 2026 · Guarantee Atlas data v2026.12.0",
    )
    recent = [b for b in _marker_boxes(fig) if b[5] >= RECENT]
    assert len(recent) >= 60, "the 2022– markers are drawn in the default view"
    overlapping = _overlapping_recent_markers(fig)
    assert overlapping == [], f"{len(overlapping)} pairs of 2022– markers overlap at 1400 px, e.g. {overlapping[:3]}"


def test_split_view_draws_each_mark_in_its_panel():
    rows = _rows()
    fig = build_timeline(rows, timeline_data.period_ranges("all", rows, TODAY), TODAY)
    layout = fig.layout
    assert layout.xaxis.range[1].startswith("2022-01-01") and layout.xaxis2.range[0].startswith("2022-01-01")
    assert layout.xaxis.domain[1] < layout.xaxis2.domain[0], "two panels side by side"
    assert (layout.xaxis2.domain[1] - layout.xaxis2.domain[0]) > 2 * (layout.xaxis.domain[1] - layout.xaxis.domain[0])
    assert layout.xaxis2.anchor == "y" and all(t.yaxis == "y" for t in fig.data), "the panels share the lanes"
    points = {c[0]: t.xaxis for t in fig.data if t.type == "scatter" for c in t.customdata}
    assert points["event-memo"] == "x" and points["event-invasion"] == "x2" and points["event-g7"] == "x2"
    bars = {}
    for trace in fig.data:
        if trace.type == "bar":
            for c in trace.customdata:
                bars.setdefault(c[0], []).append(trace.xaxis)
    assert bars["event-assurances"] == ["x"] and bars["agreement-JPN"] == ["x2"]
    assert bars["event-mou"] == ["x", "x2"], "a period across 2022 is drawn in both panels"
    today_line = next(s for s in layout.shapes if s.type == "line")
    assert today_line.xref == "x2"
    labels = [a.text for a in layout.annotations]
    assert any("compressed" in t for t in labels) and any("2022–today" in t and "× wider" in t for t in labels)
    clicked = timeline_data.picked_row(rows, [{"customdata": fig.data[-1].customdata[0]}])
    assert clicked is not None, "a click in either panel names its row"


def test_close_markers_move_to_extra_rows_under_their_lane():
    events = _events()
    crowd = pd.DataFrame(
        [
            [f"crowd-{day}", pd.Timestamp(f"2025-{month}-{day:02d}"), pd.NaT, "day", f"Meeting {day}", "Met.", "ksc",
             "FRA;UKR", "event", None, "s-news"]
            for month, day in ((6, 1), (6, 2), (6, 3), (11, 20))
        ],
        columns=events.columns,
    )
    rows = timeline_data.timeline_rows(
        pd.concat([events, crowd], ignore_index=True), _agreements(), _sources(), REGISTRY,
        countries=["FRA"], ongoing_until=AS_OF,
    )
    fig = build_timeline(rows, timeline_data.period_ranges("all", rows, TODAY), TODAY)
    at = {c[0]: y for t in fig.data if t.type == "scatter" for c, y in zip(t.customdata, t.y)}
    crowded = [at[f"event-crowd-{day}"] for day in (1, 2, 3)]
    assert len(set(crowded)) == 3 and crowded[0] == "lane-ksc", "three markers a day apart: three rows"
    assert set(crowded[1:]) == {"lane-ksc~1", "lane-ksc~2"}
    assert at["event-crowd-20"] == "lane-ksc", "a marker clear of the others stays on the lane's row"
    axis = fig.layout.yaxis
    keys = list(axis.tickvals)
    assert keys[keys.index("lane-ksc") + 1 : keys.index("lane-ksc") + 3] == ["lane-ksc~1", "lane-ksc~2"]
    ticks = dict(zip(axis.tickvals, axis.ticktext))
    assert ticks["lane-ksc~1"] == "" and ticks["lane-ksc"].startswith("<b>► </b>"), "the lane's row says it holds a chosen entry"
    assert _overlapping_recent_markers(theme.apply_theme(fig, "Title", "Source")) == []
