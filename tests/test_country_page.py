"""Country profile: the data shaping in profiles.py and the page (AppTest)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import FIXTURE_DATA, plotly_figures
from guarantee_atlas import profiles, theme
from guarantee_atlas.figures import aid as aid_figures
from guarantee_atlas.data import load_dataset

COUNTRY = "pages/5_country.py"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE_DATA)


# --- profiles ------------------------------------------------------------------


def test_roles_by_model_side_by_side(ds):
    roles = profiles.roles_by_model(ds.tables["guarantors"], ds.registry, "POL")
    assert list(roles) == ["budapest", "ksc", "israel"]
    assert roles["budapest"].empty
    assert list(roles["ksc"]["role"]) == ["core_guarantor"]
    assert list(roles["israel"]["role"]) == ["bilateral_agreement"]
    russia = profiles.roles_by_model(ds.tables["guarantors"], ds.registry, "RUS")["budapest"]
    assert list(russia["role"]) == ["violator", "signatory_assurer"]


def test_agreement_and_pledge(ds):
    agreements = ds.tables["agreements"]
    assert profiles.agreement_for(agreements, "USA") is None
    uk = profiles.agreement_for(agreements, "GBR")
    assert uk["place"] == "Kyiv"
    assert profiles.pledge_words(uk) == "£2.5bn military aid for 2024 — coded as £2.5B (2024)"
    assert profiles.pledge_words(profiles.agreement_for(agreements, "POL")) == "No amount stated"


def test_aid_profile_ranks_among_donors(ds):
    aid = profiles.aid_profile(ds.tables["aid"], "POL")
    by_type = aid.by_type.set_index("aid_type")
    # Military: USA 64.62, GBR 16.19, POL 4.45, EU 0 -> third of four donors.
    assert by_type.loc["military", "eur_bn"] == pytest.approx(4.45)
    assert (by_type.loc["military", "rank"], by_type.loc["military", "n_donors"]) == (3, 4)
    assert (aid.total_rank, aid.n_donors) == (4, 4)
    assert aid.total_eur_bn == pytest.approx(5.86)
    # Share of GDP: POL 1.02 > GBR 0.8 > USA 0.59; the EU has none.
    assert (aid.pct_gdp, aid.pct_gdp_rank, aid.n_donors_with_gdp) == (1.02, 1, 3)
    assert aid.cutoff == pd.Timestamp("2026-04-30") and aid.source_ids == "fx-kiel"
    eu = profiles.aid_profile(ds.tables["aid"], "EUU")
    assert eu.pct_gdp is None and eu.pct_gdp_rank is None
    assert profiles.aid_profile(ds.tables["aid"], "FRA") is None


def test_events_and_their_dates(ds):
    events = profiles.events_for(ds.tables["events"], "GBR")
    assert list(events["event_id"]) == ["budapest-signed", "uk-bsa"]
    spans = profiles.events_for(ds.tables["events"], "RUS")
    span = spans[spans["event_id"] == "budapest-assurances"].iloc[0]
    assert profiles.event_date(span) == "5 Dec 1994 – 27 Feb 2014"
    monthly = span.copy()
    monthly["date_precision"] = "month"
    assert profiles.event_date(monthly) == "Dec 1994 – Feb 2014"


def test_country_choices_include_event_countries(ds):
    choices = profiles.country_choices(["POL", "EUU"], ds.tables["events"])
    assert {"UKR", "RUS", "USA", "GBR", "POL", "EUU"} == set(choices)
    assert choices[0] == "EUU"  # "EU institutions" sorts first by name


def test_sources_markdown_escapes_and_encodes():
    sources = pd.DataFrame(
        [{"publisher": "A [b]", "title": "T *x*", "url": "https://example.org/a_(b)"}]
    )
    text = profiles.sources_markdown(sources)
    assert text == r"[A \[b\]: T \*x\*](https://example.org/a_%28b%29)"
    assert profiles.sources_markdown(sources.iloc[:0]) == "no source recorded"


# --- the page --------------------------------------------------------------------


def all_markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_profile_of_poland_from_url(run_page):
    at = run_page(COUNTRY, query={"country": "POL"})
    assert not at.exception
    assert at.selectbox(key="country").value == "POL"
    assert [h.value for h in at.header] == ["Poland"]
    text = all_markdown(at)
    assert "No role in this model." in text  # Budapest
    assert "Named core guarantor · since 13 Sept 2022" in text
    assert "Bilateral security agreement · since 8 Jul 2024" in text
    assert "**Place:** Warsaw" in text and "Only the general template" in text
    assert "Rank 3 of 4 donors" in text and "Rank 1 of 3 donors with a GDP share" in text
    assert "[Example News: Fixture news, with a comma](https://example.org/news)" in text
    assert "No event on the timeline names Poland." in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Military aid"] == "€4.45B" and metrics["Bilateral aid, %\u00a0of 2021 GDP"] == "1.02%"
    map_links = [l.proto for l in at.get("page_link") if l.proto.label == "See on the map"]
    assert [l.query_string for l in map_links] == ["lang=en&model=ksc", "lang=en&model=israel"]


def test_profile_of_russia_shows_the_broken_assurances_and_events(run_page):
    at = run_page(COUNTRY, query={"country": "rus"})
    assert not at.exception
    text = all_markdown(at)
    assert "Signatory that broke its assurances · since 27 Feb 2014" in text
    assert "Broke the assurances in 2014 and 2022." in text
    assert "**5 Dec 1994 – 27 Feb 2014** — **Assurances in force until broken**" in text
    assert "The Kiel tracker in this data lists no aid from Russia." in text


def test_country_without_a_role_gets_an_honest_page(run_page):
    at = run_page(COUNTRY, query={"country": "BRA"})
    assert not at.exception
    assert at.selectbox(key="country").value == "BRA"
    assert "Brazil has no role in any of the 3 models" in at.info[0].value
    assert "No bilateral security agreement between Brazil and Ukraine is in the data." in all_markdown(at)


def test_unknown_country_code_gets_a_notice(run_page):
    at = run_page(COUNTRY, query={"country": "ZZZ<script>"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Ignored unknown `country`" in warning and "ZZZscript" in warning and "<script>" not in warning
    assert "Choose a country" in at.info[0].value
    assert not at.header


def test_choosing_a_country_in_the_list(run_page):
    at = run_page(COUNTRY)
    assert "Choose a country" in at.info[0].value
    assert "Ukraine" in at.selectbox(key="country").options
    at.selectbox(key="country").select("GBR").run()
    assert [h.value for h in at.header] == ["United Kingdom"]
    assert "£2.5bn military aid for 2024" in all_markdown(at)


# --- aid by year (the optional yearly table) ---------------------------------------

YEARLY = (
    "iso3,donor,year,aid_type,eur_bn,cutoff_date,release,source_ids\n"
    "POL,Poland,2022,military,3.1,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2022,financial,0.5,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2022,humanitarian,0.2,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2023,military,1.0,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2023,financial,0.0,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2023,humanitarian,0.1,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2026,military,0.35,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2026,financial,0.0,2026-04-30,Fixture release,fx-kiel\n"
    "POL,Poland,2026,humanitarian,0.0,2026-04-30,Fixture release,fx-kiel\n"
    "GBR,United Kingdom,2022,military,0.0,2026-04-30,Fixture release,fx-kiel\n"
)


def _yearly() -> pd.DataFrame:
    from io import StringIO

    frame = pd.read_csv(StringIO(YEARLY), parse_dates=["cutoff_date"])
    return frame


def test_aid_by_year_rows_in_year_and_type_order():
    rows = profiles.aid_by_year(_yearly(), "POL")
    assert list(rows.columns) == profiles.YEARLY_COLUMNS
    assert list(rows["year"].unique()) == [2022, 2023, 2026]
    assert list(rows["aid_type"][:3]) == ["military", "financial", "humanitarian"]
    assert list(rows["aid_label"][:3]) == ["Military", "Financial", "Humanitarian"]
    assert rows.loc[rows["year"] == 2026, "partial"].all() and not rows.loc[rows["year"] < 2026, "partial"].any()
    assert profiles.aid_by_year(_yearly(), "GBR").empty, "only zeros: nothing to draw"
    assert profiles.aid_by_year(_yearly(), "FRA").empty


def test_country_aid_by_year_figure():
    fig = aid_figures.build_country_aid_by_year(profiles.aid_by_year(_yearly(), "POL"))
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Military", "Financial", "Humanitarian"]
    assert fig.layout.barmode == "stack"
    for trace in bars:
        aid_type = trace.name.lower()
        assert trace.marker.color == theme.AID_TYPE_COLOURS[aid_type]
        assert trace.marker.pattern.shape == theme.AID_TYPE_PATTERNS[aid_type]
    military = bars[0]
    assert list(military.x) == ["2022", "2023", "2026<br>(Jan–Apr)"], "the partial year says so"
    assert list(military.y) == [3.1, 1.0, 0.35]
    assert "Military aid: €3.1B" in military.hovertext[0] and "82% of €3.8B that year" in military.hovertext[0]
    assert "January to April only" in military.hovertext[2]
    totals = next(t for t in fig.data if t.type == "scatter")
    assert list(totals.text) == ["€3.8B", "€1.1B", "€350M"]
    assert fig.layout.yaxis.tickprefix == "€" and fig.layout.yaxis.ticksuffix == "B"


def test_poland_has_its_aid_by_year_chart_beside_its_rank(run_page, fixture_data_dir):
    (fixture_data_dir / "aid_yearly.csv").write_text(YEARLY, encoding="utf-8")
    at = run_page(COUNTRY, data_dir=fixture_data_dir, query={"country": "POL"})
    assert not at.exception and not at.error
    (figure,) = plotly_figures(at)
    assert figure["layout"]["title"]["text"].startswith("Poland: aid allocated to Ukraine by year")
    assert "30 Apr 2026" in figure["layout"]["title"]["text"].replace("<br>", " ")
    assert {t["name"] for t in figure["data"] if t["type"] == "bar"} == {"Military", "Financial", "Humanitarian"}
    assert "Rank 3 of 4 donors" in all_markdown(at), "the ranks stay beside the chart"
    assert "Data as of 30 April 2026" in all_markdown(at)
    labels = [b.label for b in at.get("download_button")]
    assert "Download data (CSV)" in labels and "Download interactive chart (HTML)" in labels


def test_country_without_aid_or_yearly_rows_has_no_chart(run_page, fixture_data_dir):
    (fixture_data_dir / "aid_yearly.csv").write_text(YEARLY, encoding="utf-8")
    at = run_page(COUNTRY, data_dir=fixture_data_dir, query={"country": "RUS"})
    assert not at.exception and not plotly_figures(at)
    assert "lists no aid from Russia" in all_markdown(at)
    at = run_page(COUNTRY, data_dir=fixture_data_dir, query={"country": "GBR"})
    assert not at.exception and not plotly_figures(at)
    assert "yearly table lists no allocations from United Kingdom by year" in all_markdown(at)
    assert "Rank 2 of 4 donors" in all_markdown(at)


def test_missing_or_broken_yearly_table_leaves_the_rest_of_the_profile(run_page, fixture_data_dir):
    at = run_page(COUNTRY, data_dir=fixture_data_dir, query={"country": "POL"})
    assert not at.exception and not plotly_figures(at)
    assert "no yearly table" in all_markdown(at) and "Rank 3 of 4 donors" in all_markdown(at)
    (fixture_data_dir / "aid_yearly.csv").write_text(YEARLY.replace("3.1,", "lots,"), encoding="utf-8")
    at = run_page(COUNTRY, data_dir=fixture_data_dir, query={"country": "POL"})
    assert not at.exception and not plotly_figures(at)
    assert "could not be read" in " ".join(i.value for i in at.info)
    assert "Rank 3 of 4 donors" in all_markdown(at) and "**Place:** Warsaw" in all_markdown(at)
