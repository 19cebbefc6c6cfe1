"""AppTest: the Methodology page, the 'Download all data' buttons and every chart's download controls."""

from conftest import FIXTURE_DATA, chart_payloads

from guarantee_atlas.data import load_dataset

PAGE = "pages/6_methodology.py"
HEADERS = [
    "Download and cite",
    "The 3 models",
    "How roles and binding levels were coded",
    "Where each table comes from",
    "Known disagreements between sources",
    "Data version and changelog",
    "Licences",
    "Share and embed",
    "Report a correction",
]


def _texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_methodology_without_readme_or_changelog_says_so(run_page):
    at = run_page(PAGE)
    assert not at.exception
    assert [h.value for h in at.header] == HEADERS
    warnings = " ".join(w.value for w in at.warning)
    assert "data/README.md" in warnings and "data/CHANGELOG.md" in warnings
    assert [b.label for b in at.get("download_button")] == ["Download all data (ZIP)"]
    codes = [c.value for c in at.code]
    assert "Guarantee Atlas contributors, Guarantee Atlas data, version 0.0.0-fixture (2026)." in codes
    assert any(c.startswith('<iframe src="/map?lang=en&amp;model=israel&amp;embed=true"') for c in codes)
    texts = _texts(at)
    assert "Fixture Budapest" in [s.value for s in at.subheader]
    assert "open a pull request" in texts and "data/sources.csv" in texts
    assert "data version **0.0.0-fixture**" in texts


def test_methodology_renders_readme_sections_disagreements_and_changelog(run_page, fixture_data_dir):
    (fixture_data_dir / "README.md").write_text(
        "# Data\n\nHow the data were made.\n\n## guarantors.csv\n- `role`: the role, cost US$4bn\n\n"
        "## Known disagreements\n\n### Budapest\n- Binding or not.\n"
    )
    (fixture_data_dir / "CHANGELOG.md").write_text(
        "# Data changelog\n\nIntro.\n\n## 0.0.0-fixture — 2026-11-02\n\nFirst.\n"
    )
    at = run_page(PAGE, data_dir=fixture_data_dir)
    assert not at.exception
    assert not at.warning
    labels = [e.label for e in at.expander]
    assert labels == [
        "guarantors.csv",
        "**Every source, as a sortable table**",
        "Budapest",
        "**Every disputed coding, as a sortable table**",
    ]
    texts = _texts(at)
    assert "How the data were made." in texts
    assert "US\\$4bn" in texts, "dollar signs escaped, not read as maths"
    assert "**0.0.0-fixture — 2026-11-02**" in texts and "First." in texts
    assert "# Data changelog" not in texts
    assert at.subheader[-1].value.startswith("Codings marked disputed (")


def test_methodology_sends_its_tables_and_code_boxes_only_when_asked_for(run_page):
    """The sources and the disputed codings are sortable tables drawn when opened; the coding tables are text."""
    at = run_page(PAGE, data_dir=FIXTURE_DATA)
    assert not at.exception
    assert not at.dataframe and not at.table, "no grid or arrow table on a first render"
    texts = _texts(at)
    assert "| Level | How it was coded |" in texts and "| Basis | What it means |" in texts
    assert "*Guarantee Atlas contributors, Guarantee Atlas data, version 0.0.0-fixture \\(2026\\).*" in texts
    assert [p.proto.popover.label for p in at.get("popover")][:2] == ["Copy the citation", "Show the embed code"]
    sources = load_dataset(FIXTURE_DATA).tables["sources"]
    at.session_state["methodology_sources_table"] = True
    at.run()
    assert not at.exception
    (table,) = at.dataframe
    assert len(table.value) == len(sources) and "url" in table.value.columns
    at.session_state["methodology_disputed_table"] = True
    at.run()
    assert len(at.dataframe) == 2


def test_home_offers_all_data_and_each_chart_its_downloads(run_page):
    at = run_page("app.py")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download data (CSV)", "Download interactive chart (HTML)", "Download all data (ZIP)"]
    image_format = at.segmented_control(key="chart_home_overview-map_image_format")
    assert image_format.label == "Image format" and image_format.value == "png"


def test_image_format_choice_reaches_the_toolbar_config(run_page):
    at = run_page("app.py")
    at.segmented_control(key="chart_home_overview-map_image_format").set_value("svg").run()
    (chart,) = chart_payloads(at)
    assert chart["config"]["toImageButtonOptions"]["format"] == "svg"


def test_sidebar_shows_the_link_of_the_current_view(run_page):
    at = run_page("app.py", query={"countries": "POL"})
    assert at.sidebar.code[0].value == "/?countries=POL&lang=en"
    at = run_page(PAGE, data_dir=FIXTURE_DATA)
    assert at.sidebar.code[0].value == "/methodology?lang=en"
