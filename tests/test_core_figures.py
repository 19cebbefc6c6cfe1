"""Overview map builder, chart source line and the CSV behind a chart."""

import io
from datetime import date

import pandas as pd

from guarantee_atlas import summaries, theme
from guarantee_atlas.chart import ChartSpec, chart_title, facts_reach, source_line
from guarantee_atlas.data import load_dataset
from guarantee_atlas.downloads import chart_csv, escape_markdown
from guarantee_atlas.figures.maps import build_overview_map, guarantor_counts
from conftest import FIXTURE_DATA, fixture_registry


def _guarantors(rows):
    return pd.DataFrame(rows, columns=["model_id", "iso3", "role", "basis"])


def test_counts_ignore_recipient_and_count_models_not_roles():
    frame = _guarantors([
        ("budapest", "RUS", "signatory_assurer", "sourced"),
        ("budapest", "RUS", "violator", "sourced"),
        ("budapest", "UKR", "recipient", "sourced"),
        ("ksc", "POL", "core_guarantor", "sourced"),
        ("israel", "POL", "bilateral_agreement", "sourced"),
    ])
    counts = guarantor_counts(frame, fixture_registry()).set_index("iso3")
    assert counts.loc["RUS", "n_models"] == 1
    assert counts.loc["POL", "n_models"] == 2
    assert "UKR" not in counts.index
    assert "signatory that broke its assurances" in counts.loc["RUS", "detail"]


def test_overview_map_traces_and_highlight():
    counts = pd.DataFrame({"iso3": ["USA", "POL"], "country": ["United States", "Poland"], "n_models": [3, 2], "detail": ["a", "b"]})
    fig = build_overview_map(counts, 3, highlight=["POL"])
    names = [t.name for t in fig.data if t.geo in (None, "geo")]  # the main map; insets repeat USA
    assert names == ["Named in 2 of 3 models", "Named in 3 of 3 models", "Ukraine (recipient)", "Chosen in the filter",
                     "Chosen in the filter"]
    outline, legend_entry = fig.data[3], fig.data[4]
    assert outline.type == "choropleth" and list(outline.locations) == ["POL"] and outline.showlegend is False
    assert legend_entry.type == "scattergeo" and legend_entry.marker.symbol == "square-open", "a visible legend symbol"
    assert legend_entry.marker.color == outline.marker.line.color
    assert list(fig.data[1].locations) == ["USA"]
    assert fig.layout.geo.resolution == 110
    assert fig.data[0].marker.line.color == "#FFFFFF"


def test_model_cards_count_inferred_separately():
    ds = load_dataset(FIXTURE_DATA)
    cards = {c.model_id: c for c in summaries.model_cards(ds.registry, ds.tables["models"], ds.tables["guarantors"])}
    assert (cards["ksc"].n_guarantors, cards["ksc"].n_inferred) == (4, 1)
    assert cards["budapest"].n_guarantors == 3


def test_source_line_and_theme_put_sources_inside_the_figure():
    ds = load_dataset(FIXTURE_DATA)
    spec = ChartSpec(page="home", chart_id="x", title="T", data=ds.tables["aid"], as_of=pd.Timestamp("2026-04-30").date())
    line = source_line(ds, spec)
    assert line == "Source: Example Tracker · Data as of 30 Apr 2026 · Guarantee Atlas data v0.0.0-fixture"
    fig = theme.apply_theme(build_overview_map(pd.DataFrame(columns=["iso3", "country", "n_models", "detail"]), 3), "Title", line)
    assert fig.layout.paper_bgcolor == "#FFFFFF"
    assert fig.layout.annotations[-1].text.replace("<br>", " ") == line


def test_chart_csv_has_exactly_the_rows_plus_sources_and_version():
    ds = load_dataset(FIXTURE_DATA)
    rows = ds.tables["aid"][ds.tables["aid"]["iso3"] == "POL"]
    frame = pd.read_csv(io.BytesIO(chart_csv(rows, ds)))
    assert len(frame) == 3
    assert set(frame["sources"]) == {"Example Tracker <https://example.org/tracker>"}
    assert set(frame["data_version"]) == {"0.0.0-fixture"}
    assert frame["cutoff_date"].iloc[0] == "2026-04-30"


def test_export_filename_and_markdown_escape():
    name = theme.export_filename("map", "roles", "ksc", ["POL", "DEU"], pd.Timestamp("2026-11-23").date())
    assert name == "guarantee-atlas_map_roles_ksc_pol-deu_2026-11-23"
    assert escape_markdown("[x](javascript:1)") == r"\[x\]\(javascript:1\)"


def test_titles_say_how_far_the_rows_facts_reach_not_when_they_were_checked():
    ds = load_dataset(FIXTURE_DATA)
    guarantors = ds.tables["guarantors"]
    budapest = ChartSpec(page="map", chart_id="m", title="Budapest", data=guarantors[guarantors["model_id"] == "budapest"])
    # Russia's breach (27 Feb 2014) is the newest date its rows and their source (published 1994) attest.
    assert facts_reach(ds, budapest) == date(2014, 2, 27)
    assert chart_title(ds, budapest) == "Budapest (facts to February 2014)"
    assert "Facts to 27 Feb 2014, sources checked 2 Nov 2026" in source_line(ds, budapest)
    # The rows of another model reach further: the title follows the rows shown.
    israel = ChartSpec(page="map", chart_id="m", title="Israel", data=guarantors[guarantors["model_id"] == "israel"])
    assert facts_reach(ds, israel) == date(2024, 7, 8)
    # A date after the last check (an agreement's term ending in 2034) is not a fact reached.
    future = guarantors.assign(until=pd.Timestamp("2034-01-12"))
    assert facts_reach(ds, ChartSpec(page="map", chart_id="m", title="T", data=future)) == date(2024, 7, 8)
    # A data set's own cut-off is named by the title itself and kept as it is.
    kiel = ChartSpec(page="aid", chart_id="a", title="Aid to 30 Apr 2026", data=ds.tables["aid"], as_of=date(2026, 4, 30))
    assert chart_title(ds, kiel) == "Aid to 30 Apr 2026"
