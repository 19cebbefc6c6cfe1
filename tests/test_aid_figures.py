"""Aid page builders: provisions matrix, Kiel bars (€ and % of GDP), pledges by currency, Israel benchmark."""

import pandas as pd
import pytest

from guarantee_atlas import theme
from guarantee_atlas.data import load_dataset
from guarantee_atlas.figures import aid
from conftest import FIXTURE_DATA, fixture_registry

CUTOFF = pd.Timestamp("2026-04-30")


@pytest.fixture(scope="module")
def tables():
    return load_dataset(FIXTURE_DATA).tables


def _aid(rows):
    """Aid rows (iso3, donor, aid_type, eur_bn, pct) with the tracker's other columns."""
    frame = pd.DataFrame(rows, columns=["iso3", "donor", "aid_type", "eur_bn", "bilateral_pct_gdp_2021"])
    return frame.assign(cutoff_date=CUTOFF, release="29", note=None, source_ids="fx-kiel")


def _yearly(rows):
    frame = pd.DataFrame(rows, columns=["iso3", "donor", "year", "aid_type", "eur_bn"])
    return frame.assign(cutoff_date=CUTOFF, release="29", source_ids="fx-kiel")


# --- provisions matrix -------------------------------------------------------


def test_matrix_has_a_trace_per_level_with_symbol_colour_and_word(tables):
    fig = aid.build_provisions_matrix(tables["provisions"], tables["sources"], fixture_registry())
    traces = {t.name: t for t in fig.data}
    political = traces["Political commitment"]
    assert political.marker.symbol == theme.LEVEL_SYMBOLS["political_commitment"]
    assert political.marker.color == theme.LEVEL_COLOURS["political_commitment"]
    assert set(political.text) == {"Political"}
    # The fixture has no legally binding cell: the level keeps a legend entry, marked "none".
    assert traces["Legally binding (none)"].x == (None,)
    assert len(traces["Absent"].x) == (tables["provisions"]["level"] == "absent").sum()


def test_matrix_hover_gives_detail_and_source_and_rings_disputed_cells(tables):
    fig = aid.build_provisions_matrix(tables["provisions"], tables["sources"], fixture_registry())
    traces = {t.name: t for t in fig.data}
    hover = " ".join(traces["Political commitment"].hovertext)
    assert "Fixture detail for non_use_of_force." in hover
    assert "Source: Example Publisher" in hover
    ring = traces["Disputed (ring)"]
    assert len(ring.x) == int(tables["provisions"]["disputed"].sum()) == 1
    assert ring.x[0].startswith("Israel-<br>style") and "Consultations" in ring.y[0]


def test_level_counts_and_summary(tables):
    counts = aid.level_counts(tables["provisions"], fixture_registry())
    assert list(counts.index) == ["budapest", "ksc", "israel"]
    assert counts.loc["budapest"].sum() == 19
    assert aid.level_summary(counts, "budapest") == "12 political commitments, 7 absent"
    assert aid.level_summary(counts, "ksc") == "12 proposed, 7 absent"


# --- Kiel aid bars -----------------------------------------------------------


def test_gdp_share_is_split_in_proportion_to_euros_and_missing_for_the_eu(tables):
    shares = aid.with_gdp_shares(tables["aid"]).set_index(["iso3", "aid_type"])["pct_gdp"]
    usa = shares.loc["USA"]
    assert usa.sum() == pytest.approx(0.59)
    assert usa["military"] == pytest.approx(0.59 * 64.62 / (64.62 + 47.3 + 3.47))
    assert shares.loc["EUU"].isna().all()


def test_toggling_percent_of_gdp_changes_values_and_drops_the_eu(tables):
    in_eur = aid.donor_view(tables["aid"], "eur")
    in_gdp = aid.donor_view(tables["aid"], "gdp")
    eur_totals = in_eur.rows.drop_duplicates("iso3").set_index("iso3")["donor_total"]
    gdp_totals = in_gdp.rows.drop_duplicates("iso3").set_index("iso3")["donor_total"]
    assert eur_totals["USA"] == pytest.approx(115.39)
    assert gdp_totals["USA"] == pytest.approx(0.59)
    assert list(gdp_totals.index) == ["POL", "GBR", "USA"]  # ranked by % of GDP
    assert in_gdp.without_gdp == ["EU institutions"]
    assert "EUU" in eur_totals.index and in_eur.without_gdp == []


def test_eu_institutions_stay_a_donor_of_their_own():
    frame = _aid([
        ("DEU", "Germany", "military", 10.0, 0.5), ("DEU", "Germany", "financial", 1.0, 0.5),
        ("EUU", "EU institutions", "financial", 50.0, None),
    ])
    totals = aid.donor_view(frame, "eur").rows.drop_duplicates("iso3").set_index("iso3")["donor_total"]
    assert totals.to_dict() == {"EUU": 50.0, "DEU": 11.0}


def test_donor_view_limits_to_codes_names_untracked_and_keeps_top_n(tables):
    view = aid.donor_view(tables["aid"], "eur", ["USA", "RUS", "FRA"])
    assert set(view.rows["iso3"]) == {"USA"}
    assert view.not_tracked == ["Russia", "France"]
    top = aid.donor_view(tables["aid"], "eur", limit=2)
    assert top.n_donors == 4 and list(dict.fromkeys(top.rows["iso3"])) == ["USA", "EUU"]
    assert aid.donor_view(tables["aid"], "eur", limit=None).rows["iso3"].nunique() == 4


def test_aid_bars_stack_types_with_patterns_biggest_on_top(tables):
    rows = aid.donor_view(tables["aid"], "eur").rows
    fig = aid.build_aid_bars(rows, "eur")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Military", "Financial", "Humanitarian"]
    assert [t.marker.pattern.shape for t in bars] == list(theme.AID_TYPE_PATTERNS.values())
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.yaxis.categoryarray) == ["United States", "EU institutions", "United Kingdom", "Poland"]
    totals = next(t for t in fig.data if t.type == "scatter")
    assert totals.text[0] == "€115.4B"
    assert fig.layout.xaxis.tickprefix == "€"


def test_aid_bars_in_percent_of_gdp_use_percent_values(tables):
    rows = aid.donor_view(tables["aid"], "gdp").rows
    fig = aid.build_aid_bars(rows, "gdp")
    military = next(t for t in fig.data if t.name == "Military")
    assert sum(military.x) < 2  # shares of GDP, not billions
    assert fig.layout.xaxis.ticksuffix == "%"
    assert "derived" in military.hovertext[0]


def test_aid_title_names_unit_cutoff_and_top_n():
    title = aid.aid_title("eur", CUTOFF, "all donors", 15, 42)
    expected = "Aid allocated to Ukraine by all donors, € billion, to 30 Apr 2026 (top 15 of 42)"
    assert title.replace(aid.NBSP, " ") == expected
    gdp = aid.aid_title("gdp", CUTOFF, "all donors", 4, 4).replace(aid.NBSP, " ")
    assert "2021 GDP (the split by type derived)" in gdp and "top" not in gdp


def test_country_list_names_the_first_few():
    assert aid.country_list(["POL"]) == "Poland"
    assert aid.country_list(["POL", "DEU", "FRA", "ITA", "ESP", "EUU"]) == "Poland, Germany, France, Italy and 2 more"


def test_value_text_keeps_small_amounts_visible():
    assert aid.value_text(115.38, "eur") == "€115.4B"
    assert aid.value_text(0.034, "eur") == "€34M"
    assert aid.value_text(0.0, "eur") == "€0"
    assert aid.value_text(0.004, "gdp") == "0.004%"


# --- pledges -------------------------------------------------------------------


def test_pledges_split_by_amount_and_ordered_by_currency(tables):
    stated, unstated = aid.pledge_rows(tables["agreements"])
    assert list(stated["iso3"]) == ["DEU", "GBR"]  # EUR and GBP have one pledge each: by code
    assert set(unstated["iso3"]) == {"POL", "EUU"}
    only_uk, _ = aid.pledge_rows(tables["agreements"], ["GBR"])
    assert list(only_uk["iso3"]) == ["GBR"]


def test_pledge_panels_never_put_two_currencies_on_one_axis():
    agreements = pd.DataFrame({
        "iso3": ["DEU", "FRA", "GBR", "SWE", "JPN"],
        "partner": ["Germany", "France", "United Kingdom", "Sweden", "Japan"],
        "date_signed": pd.to_datetime(["2024-02-16"] * 5),
        "pledge_amount": [7.1, 3.0, 2.5, 75.0, 4.5],
        "pledge_currency": ["EUR", "EUR", "GBP", "SEK", "USD"],
        "pledge_period": ["2024", "2024", "2024-2025", "2024-2026", "2024"],
        "pledge_text": ["a", "b", "c", "d", "e"],
        "source_ids": ["fx-news"] * 5,
    })
    stated, _ = aid.pledge_rows(agreements)
    fig = aid.build_pledge_panels(stated)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["EUR", "GBP", "SEK", "USD"]
    assert len({t.xaxis for t in bars}) == 4
    assert list(bars[0].y) == ["Germany", "France"]
    prefixes = [fig.layout[t.xaxis.replace("x", "xaxis")].tickprefix for t in bars]
    assert prefixes == ["€", "£", "SEK", "US$"]
    assert bars[2].text[0] == "SEK75B · 2024–2026"
    assert [a.text for a in fig.layout.annotations] == [
        "Euros (EUR), billions", "Pounds sterling (GBP), billions", "Swedish kronor (SEK), billions",
        "US dollars (USD), billions",
    ]


def test_pledges_without_an_amount_are_listed_as_such(tables):
    _, unstated = aid.pledge_rows(tables["agreements"])
    text = aid.unstated_pledges_markdown(unstated, tables["sources"])
    assert text.count("\n- ") == 1 and text.startswith("- **European Union**")
    assert "No amount stated" in text and "(https://example.org/news)" in text


# --- Israel benchmark --------------------------------------------------------------


def test_mou_per_year_adds_its_parts_or_divides_the_total(tables):
    mou = aid.mou_per_year(tables["us_israel_mou"])
    assert mou["usd_bn_per_year"] == pytest.approx(3.8)
    assert (mou["fy_start"], mou["fy_end"]) == (2019, 2028)
    no_parts = tables["us_israel_mou"].assign(fmf_usd_bn_per_year=None, missile_defence_usd_bn_per_year=None)
    assert aid.mou_per_year(no_parts)["usd_bn_per_year"] == pytest.approx(3.8)


def test_without_yearly_data_ukraine_gets_an_average_a_year(tables):
    ukraine = aid.ukraine_per_year(tables["aid"], None, ["USA", "GBR", "POL"], top_n=2)
    assert ukraine.averaged
    assert aid.months_covered(CUTOFF) == 52
    assert "52 months" in ukraine.period
    usa = ukraine.rows.set_index("iso3").loc["USA"]
    assert usa["total"] == pytest.approx(115.39 * 12 / 52)
    assert list(ukraine.rows["iso3"]) == ["USA", "GBR"]


def test_with_yearly_data_the_cutoff_year_is_partial(tables):
    yearly = _yearly([
        ("USA", "United States", 2025, "military", 1.0), ("USA", "United States", 2026, "military", 0.5),
        ("GBR", "United Kingdom", 2025, "financial", 2.0), ("POL", "Poland", 2025, "military", 9.0),
    ])
    ukraine = aid.ukraine_per_year(tables["aid"], yearly, ["USA", "GBR"])
    assert not ukraine.averaged
    rows = ukraine.rows
    assert list(zip(rows["iso3"], rows["year"], rows["partial"])) == [
        ("USA", 2025, False), ("USA", 2026, True), ("GBR", 2025, False)
    ]
    assert rows.loc[2, "financial"] == 2.0 and rows.loc[2, "total"] == 2.0


def test_benchmark_keeps_us_dollars_and_euros_on_separate_axes(tables):
    mou = aid.mou_per_year(tables["us_israel_mou"])
    ukraine = aid.ukraine_per_year(tables["aid"], None, ["USA", "GBR", "POL"])
    fig = aid.build_israel_benchmark(mou, ukraine)
    israel, *donors = fig.data
    assert israel.name == "US → Israel" and israel.yaxis == "y" and set(israel.y) == {3.8}
    assert {t.yaxis for t in donors} == {"y2"}
    assert [t.name for t in donors] == ["United States", "United Kingdom", "Poland"]
    assert (fig.layout.yaxis.tickprefix, fig.layout.yaxis2.tickprefix) == ("US$", "€")
    assert donors[0].line.dash == "dash"  # an average, drawn flat across the covered months
    assert "on average" in fig.layout.annotations[1].text
    table = aid.benchmark_table(mou, ukraine)
    assert table.groupby("recipient")["currency"].unique().to_dict() == {"Israel": ["USD"], "Ukraine": ["EUR"]}
    assert table["source_ids"].notna().all()


def test_benchmark_marks_the_partial_year_with_open_symbols(tables):
    mou = aid.mou_per_year(tables["us_israel_mou"])
    yearly = _yearly([("USA", "United States", 2025, "military", 1.0), ("USA", "United States", 2026, "military", 0.5)])
    fig = aid.build_israel_benchmark(mou, aid.ukraine_per_year(tables["aid"], yearly, ["USA"]))
    usa = fig.data[1]
    assert list(usa.x) == [2025, 2026] and list(usa.marker.symbol) == ["circle", "circle-open"]
    assert "to April only" in fig.layout.annotations[1].text.replace("<br>", " ")
