"""Downloads and sharing, the pure pieces: chart config, standalone HTML, data ZIP, links, docs."""

import io
import zipfile
from datetime import date
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from guarantee_atlas import export, methodology, schema, urlstate, vocab
from guarantee_atlas.chart import ChartSpec, chart_config, chart_html
from guarantee_atlas.data import load_dataset
from guarantee_atlas.geometry import STATIC_DIR
from guarantee_atlas.layout import PAGES
from conftest import FIXTURE_DATA, fixture_registry


def _map_figure(resolution: int = 50) -> go.Figure:
    fig = go.Figure(go.Choropleth(locations=["POL"], z=[1], locationmode="ISO-3"))
    fig.update_geos(resolution=resolution)
    return fig


SOURCES = pd.DataFrame(
    {"publisher": ["<b>Pub</b>"], "title": ["A & B"], "url": ['https://example.org/a?x=1&y="2"']}
)


# --- chart config -----------------------------------------------------------


def test_chart_config_switches_the_toolbar_image_format_and_keeps_slide_size():
    png = chart_config("guarantee-atlas_home_map")["toImageButtonOptions"]
    svg = chart_config("guarantee-atlas_home_map", "svg")["toImageButtonOptions"]
    assert (png["format"], png["width"], png["height"], png["scale"]) == ("png", 1200, 675, 2)
    assert (svg["format"], svg["width"], svg["height"], svg["scale"]) == ("svg", 1200, 675, 1)
    assert png["filename"] == svg["filename"] == "guarantee-atlas_home_map"
    assert chart_config("x")["topojsonURL"] == "app/static/"


# --- standalone HTML --------------------------------------------------------


def test_topojson_names_follow_each_map_scope_and_resolution():
    assert export.topojson_names(_map_figure(50)) == ["world_50m"]
    assert export.topojson_names(_map_figure(110)) == ["world_110m"]
    fig = _map_figure(50)
    fig.add_trace(go.Scattergeo(lon=[30], lat=[50], geo="geo2"))
    fig.update_layout(geo2={"scope": "europe", "resolution": 50})
    assert export.topojson_names(fig) == ["world_50m", "europe_50m"]
    assert export.topojson_names(go.Figure(go.Bar(x=[1], y=[2]))) == []


def test_geo_assets_script_embeds_the_shipped_file_safely(tmp_path):
    (tmp_path / "world_50m.json").write_text('{"type": "Topology", "note": "</script><script>alert(1)"}')
    script = export.geo_assets_script(_map_figure(50), tmp_path)
    assert script.startswith("<script>window.PlotlyGeoAssets = {topojson: {\"world_50m\": {")
    assert script.count("</script>") == 1, "no early end of the script element"
    assert export.geo_assets_script(_map_figure(110), tmp_path) == "", "a missing file is left out"
    assert export.geo_assets_script(go.Figure(go.Bar(x=[1], y=[2])), tmp_path) == ""


def test_standalone_html_inlines_plotly_and_the_map_and_escapes_text():
    page = export.standalone_html(
        _map_figure(50),
        title="Map <of> guarantors",
        config=chart_config("file"),
        sources=SOURCES,
        footnote="Data version 1 & more",
        topojson_dir=STATIC_DIR,
    ).decode("utf-8")
    assert "/*! plotly.js v4.1.1 for Guarantee Atlas" in page, "the app's plotly.js bundle is inlined"
    assert '<script src="http' not in page and "cdn.plot.ly" not in page.split("Plotly.newPlot")[1]
    assert 'window.PlotlyGeoAssets = {topojson: {"world_50m": {' in page
    assert page.index("window.PlotlyGeoAssets") < page.index("Plotly.newPlot"), "assets before the plot"
    assert '"topojsonURL"' not in page
    assert "<title>Map &lt;of&gt; guarantors</title>" in page
    assert "&lt;b&gt;Pub&lt;/b&gt;" in page and "<b>Pub</b>" not in page
    assert 'href="https://example.org/a?x=1&amp;y=&quot;2&quot;"' in page
    assert "Data version 1 &amp; more" in page


def test_standalone_html_of_a_chart_without_map_has_no_geo_assets():
    page = export.standalone_html(
        go.Figure(go.Bar(x=[1], y=[2])),
        title="T",
        config={},
        sources=SOURCES.iloc[:0],
        footnote="",
        topojson_dir=STATIC_DIR,
    ).decode("utf-8")
    assert "window.PlotlyGeoAssets =" not in page
    assert "See the Methodology page" in page


def test_chart_html_lists_the_chart_sources_and_data_version():
    ds = load_dataset(FIXTURE_DATA)
    spec = ChartSpec(page="home", chart_id="x", title="Aid", data=ds.tables["aid"], as_of=date(2026, 4, 30))
    page = chart_html(go.Figure(go.Bar(x=[1], y=[2])), spec, ds, chart_config("f")).decode("utf-8")
    assert "Example Tracker" in page and "https://example.org/tracker" in page
    assert "Data as of 30 April 2026. Guarantee Atlas data version 0.0.0-fixture" in page


# --- all the data -----------------------------------------------------------


def _zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_data_archive_holds_every_table_unchanged_plus_docs_and_citation(fixture_data_dir):
    (fixture_data_dir / "README.md").write_text("# Data\n\n## sources.csv\n- `source_id`: id\n")
    (fixture_data_dir / "CHANGELOG.md").write_text("# Data changelog\n")
    content = export.data_archive(fixture_data_dir, "0.0.0-fixture", date(2026, 11, 2))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {n.split("/", 1)[0] for n in archive.namelist()} == {"guarantee-atlas-data-0.0.0-fixture"}
    members = _zip_members(content)
    for table in schema.REQUIRED_TABLES:
        assert members[f"{table}.csv"] == (fixture_data_dir / f"{table}.csv").read_bytes()
    assert members["README.md"].startswith(b"# Data")
    assert members["CHANGELOG.md"] == b"# Data changelog\n"
    assert members["VERSION"].strip() == b"0.0.0-fixture"
    assert b"CC BY 4.0" in members["LICENCES.md"]
    citation = members["CITATION.cff"].decode()
    assert 'version: "0.0.0-fixture"' in citation and 'date-released: "2026-11-02"' in citation
    assert 'name: "Guarantee Atlas contributors"' in citation and "type: dataset" in citation


def test_data_archive_joins_part_readmes_when_the_full_readme_is_missing(fixture_data_dir):
    (fixture_data_dir / "README.A.md").write_text("# Part A\n")
    (fixture_data_dir / "README.C.md").write_text("# Part C\n")
    members = _zip_members(export.data_archive(fixture_data_dir, "v", None))
    assert members["README.md"] == b"# Part A\n\n\n# Part C\n"
    assert "date-released" not in members["CITATION.cff"].decode()


def test_citation_invents_no_doi_or_address():
    cff = export.citation_cff("2026.11.0", date(2026, 11, 23))
    assert "doi" not in cff.lower() and "url" not in cff.lower() and "repository" not in cff.lower()
    assert export.citation_text("2026.11.0", date(2026, 11, 23)) == (
        "Guarantee Atlas contributors, Guarantee Atlas data, version 2026.11.0 (2026)."
    )


# --- links and page switches ------------------------------------------------


@pytest.mark.parametrize(
    ("base", "params", "expected"),
    [
        (
            "http://localhost:8501/map",
            {"countries": ["POL,DEU"], "model": ["ksc"]},
            "http://localhost:8501/map?countries=POL,DEU&model=ksc",
        ),
        ("http://localhost:8501", {"countries": ["POL"]}, "http://localhost:8501/?countries=POL"),
        ("/map?old=1#top", {"view": ["side"], "empty": [""]}, "/map?view=side"),
        ("/timeline", {"q": ["a&b <c>"]}, "/timeline?q=a%26b+%3Cc%3E"),
        ("/", {}, "/"),
    ],
)
def test_view_link(base, params, expected):
    assert urlstate.view_link(base, params) == expected


def test_page_switch_forgets_what_synced_widgets_last_wrote():
    fake = SimpleNamespace(session_state={"_urlstate_page": "home", "_url_countries": ["POL"], "countries": ["POL"]})
    urlstate.reseed_on_page_switch(fake, "home")
    assert fake.session_state["_url_countries"] == ["POL"], "same page: nothing forgotten"
    urlstate.reseed_on_page_switch(fake, "map")
    assert "_url_countries" not in fake.session_state
    assert fake.session_state["_urlstate_page"] == "map" and fake.session_state["countries"] == ["POL"]


def test_page_url_paths_are_streamlits():
    paths = {p.page_id: p.url_path for p in PAGES}
    assert paths["home"] == "/" and paths["map"] == "/map" and paths["methodology"] == "/methodology"


# --- methodology docs -------------------------------------------------------


README = """# Data: tables

Intro with US$4.5bn and C$500m.

## sources.csv
- `source_id`: id
```
## not a heading inside code
```

## Known disagreements

Lead-in.

### Models
- One.

### Timeline
- Two.
"""


def test_sections_split_on_headings_outside_code():
    parts = methodology.sections(README)
    assert [s.title for s in parts] == ["Data: tables", "sources.csv", "Known disagreements"]
    assert "## not a heading" in parts[1].body
    assert [methodology.is_disagreements(s) for s in parts] == [False, False, True]
    subs = methodology.sections(parts[2].body, depth=3)
    assert [(s.title, s.body) for s in subs] == [("", "Lead-in."), ("Models", "- One."), ("Timeline", "- Two.")]


def test_dollar_signs_are_not_maths():
    assert methodology.for_streamlit("US$4.5bn and C$500m, \\$ kept") == "US\\$4.5bn and C\\$500m, \\$ kept"


def test_readme_text_prefers_the_full_readme(tmp_path):
    assert methodology.readme_text(tmp_path) is None
    (tmp_path / "README.B.md").write_text("B")
    (tmp_path / "README.A.md").write_text("A")
    assert methodology.readme_text(tmp_path) == "A\n\nB"
    (tmp_path / "README.md").write_text("Full")
    assert methodology.readme_text(tmp_path) == "Full"
    assert methodology.read_doc(tmp_path, "CHANGELOG.md") is None


def test_coding_tables_cover_every_role_level_and_basis():
    registry = fixture_registry()
    roles = methodology.role_table(registry)
    assert len(roles) == len(registry.roles)
    assert list(roles["Model"].drop_duplicates()) == [*registry.chart_labels().values(), "Any model"]
    budapest = roles[roles["Model"] == "Budapest 1994"]
    assert list(budapest["Strength"]) == sorted(budapest["Strength"], reverse=True)
    assert list(methodology.level_table()["Level"]) == list(vocab.LEVELS.values())
    assert set(methodology.basis_table()["Basis"]) == set(vocab.BASIS)


def test_disputed_rows_come_from_both_tables():
    ds = load_dataset(FIXTURE_DATA)
    rows = methodology.disputed_rows(ds.tables["provisions"], ds.tables["comparison"], ds.registry)
    n_expected = int(ds.tables["provisions"]["disputed"].sum() + ds.tables["comparison"]["disputed"].sum())
    assert len(rows) == n_expected > 0
    assert rows["source_ids"].notna().all() and rows["Why it is disputed"].notna().all()


def test_embed_snippet_and_app_root():
    root = methodology.app_root("http://example.test:8501/methodology", "/methodology")
    assert root == "http://example.test:8501/"
    snippet = methodology.embed_snippet(root, "/map", {"model": "israel"}, 'Atlas "map"')
    assert 'src="http://example.test:8501/map?model=israel&amp;embed=true"' in snippet
    assert 'title="Atlas &quot;map&quot;"' in snippet
    assert methodology.app_root("", "/methodology") == "/"


def test_source_links_escape_markdown_and_brackets_in_urls():
    frame = pd.DataFrame({"publisher": ["A [x]"], "title": ["T*"], "url": ["https://e.org/a_(b) c"]})
    assert methodology.source_links(frame) == "[A \\[x\\]: T\\*](https://e.org/a_%28b%29%20c)"



def test_one_citation_renderer_escapes_labels_and_encodes_urls_the_same_everywhere():
    from guarantee_atlas import citations, comparison, profiles, timeline_data

    source = pd.Series({"source_id": "a", "publisher": "A [x]", "title": "T*", "url": "https://e.org/a_(b) c",
                        "published": pd.Timestamp("2026-01-06")})
    expected = "[A \\[x\\]: T\\*](https://e.org/a_%28b%29%20c)"
    assert citations.citation(source) == expected
    assert citations.citation(source, dated=True) == expected + " (6 Jan 2026)"
    frame = source.to_frame().T
    assert methodology.source_links(frame) == profiles.sources_markdown(frame) == expected
    assert comparison.sources_markdown("a", frame) == "[A \\[x\\]](https://e.org/a_%28b%29%20c)"
    row = pd.Series({"title": "E", "date_label": "6 January 2026", "lane_label": "L", "detail": "D", "note": None,
                     "iso3s": None, "source_ids": "a"})
    assert timeline_data.detail_markdown(row, frame).endswith("- " + expected + " (6 Jan 2026)")
