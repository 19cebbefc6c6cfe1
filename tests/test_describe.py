"""Every chart's description, computed from its rows: one kind of chart at a time, then on the pages."""

import pandas as pd
import pytest

from conftest import chart_payloads, fixture_registry
from guarantee_atlas.describe import Describe, describe, in_sentence, role_map_hints

AS_OF = "Facts to 18 May 2026, sources checked 6 December 2026"


def test_without_hints_it_counts_the_rows_and_names_the_columns():
    data = pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "source_ids": ["s1", "s2"]})
    assert describe(data) == "Chart of 2 rows, with the columns a and b."
    assert describe(data, dates=AS_OF).endswith(f"{AS_OF}.")


def test_role_map_counts_countries_breaks_down_roles_and_says_what_the_filter_marks():
    registry = fixture_registry()
    roles = registry.role_ids()[:2]
    data = pd.DataFrame({
        "iso3": ["USA", "USA", "GBR", "UKR"],
        "country": ["United States", "United States", "United Kingdom", "Ukraine"],
        "role": [roles[0], roles[1], roles[0], roles[1]],
        "source_ids": ["s"] * 4,
    })
    text = describe(data, role_map_hints(registry), countries=["GBR", "AUT"], dates=AS_OF)
    assert text.startswith("Map of 3 countries (4 rows of data). By role: 2 ")
    assert in_sentence(registry.role(roles[0]).label) in text
    assert "Highlighted from the country filter: United Kingdom (in the chart) and Austria (not in the chart)." in text
    assert text.endswith(f"{AS_OF}.")
    assert "No country is highlighted (the country filter is empty)." in describe(data, role_map_hints(registry))


def test_role_map_with_aid_lines_names_the_biggest_and_smallest_donor():
    data = pd.DataFrame({
        "iso3": ["USA", "USA", "GBR"], "country": ["United States", "United States", "United Kingdom"],
        "role": ["a", "b", "a"], "kiel_aid_eur_bn": [100.0, 100.0, 20.5],
    })
    text = describe(data, role_map_hints(fixture_registry(), with_aid=True))
    # A country with two roles is one country, and its aid is counted once.
    assert "Largest: United States (€100B aid allocated); smallest: United Kingdom (€20.5B aid allocated)." in text


def test_overview_map_names_ties_and_cuts_long_lists():
    data = pd.DataFrame({
        "iso3": ["USA", "USA", "GBR", "GBR", "FRA", "DEU", "ITA", "ESP", "POL"],
        "country": ["United States", "United States", "United Kingdom", "United Kingdom", "France", "Germany",
                    "Italy", "Spain", "Poland"],
        "model_id": ["budapest", "ksc", "budapest", "ksc", "ksc", "ksc", "ksc", "ksc", "ksc"],
    })
    hints = Describe(kind="Map", item="country", items="countries", key="iso3", label="country", value="model_id",
                     value_agg="nunique", value_format="named in {:.0f} of the 2 models", extremes=("most models", "fewest"))
    text = describe(data, hints)
    assert text.startswith("Map of 7 countries (9 rows of data).")
    assert ("Most models: United States and United Kingdom (named in 2 of the 2 models); "
            "fewest: France, Germany, Italy and 2 more (named in 1 of the 2 models).") in text


def test_bar_chart_adds_up_each_donor_and_counts_segments():
    data = pd.DataFrame({
        "iso3": ["DEU", "DEU", "POL", "POL"], "donor": ["Germany", "Germany", "Poland", "Poland"],
        "aid_type": ["military", "financial", "military", "financial"], "value": [10.0, 2.5, 3.0, 1.0],
    })
    hints = Describe(kind="Bar chart", item="donor", key="iso3", label="donor", value="value",
                     value_format="€{:,.2f}bn", breakdown="aid_type", breakdown_name="type of aid")
    text = describe(data, hints)
    assert text == ("Bar chart of 2 donors (4 rows of data). By type of aid: 2 military, 2 financial. "
                    "Largest: Germany (€12.50bn); smallest: Poland (€4.00bn).")


def test_amounts_in_different_currencies_are_never_compared():
    data = pd.DataFrame({
        "iso3": ["DEU", "FRA", "GBR"], "partner": ["Germany", "France", "United Kingdom"],
        "pledge_amount": [7.1, 3.0, 2.5], "pledge_currency": ["EUR", "EUR", "GBP"],
    })
    hints = Describe(kind="Bar chart", item="agreement", key="iso3", label="partner", value="pledge_amount",
                     value_per="pledge_currency", value_format="{:,.2f}bn")
    text = describe(data, hints)
    assert "In EUR: largest: Germany (7.10bn); smallest: France (3.00bn). In GBP: value 2.50bn (United Kingdom)." in text


def test_benchmark_rows_are_named_by_donor_and_year():
    data = pd.DataFrame({
        "donor": ["United States", "Germany", "Germany"], "year": ["FY2019–FY2028", "2023", "2024"],
        "currency": ["USD", "EUR", "EUR"], "per_year_bn": [3.8, 5.0, 7.0],
    })
    hints = Describe(kind="Line chart", item="yearly amount", label=("donor", "year"), value="per_year_bn",
                     value_agg="max", value_per="currency", value_format="{:,.2f}bn a year",
                     extra_counts=(("donor", "donors"),))
    text = describe(data, hints)
    assert text.startswith("Line chart of 3 yearly amounts across 2 donors.")
    assert "In EUR: largest: Germany 2024 (7.00bn a year); smallest: Germany 2023 (5.00bn a year)." in text


def test_matrix_counts_levels_with_their_words():
    data = pd.DataFrame({
        "model_id": ["a", "a", "b", "b"], "provision": ["p1", "p2", "p1", "p2"],
        "level": ["absent", "legally_binding", "absent", "absent"],
    })
    hints = Describe(kind="Dot matrix", item="provision", key="provision", extra_counts=(("model_id", "models"),),
                     breakdown="level", breakdown_name="how binding",
                     breakdown_labels=(("legally_binding", "legally binding"),))
    assert describe(data, hints) == (
        "Dot matrix of 2 provisions across 2 models (4 rows of data). By how binding: 3 absent, 1 legally binding."
    )


def test_timeline_names_first_and_last_and_how_many_entries_name_each_chosen_country():
    data = pd.DataFrame({
        "row_id": ["e1", "e2", "e3"], "title": ["Act of independence", "Memorandum signed", "Declaration"],
        "start": pd.to_datetime(["1991-08-24", "1994-12-05", "2026-01-06"]),
        "lane": ["context", "budapest", "coalition"], "iso3s": ["UKR", "USA;GBR;RUS;UKR", "FRA;GBR;UKR"],
    })
    hints = Describe(kind="Timeline", item="entry", items="entries", key="row_id", label="title", date="start",
                     countries="iso3s", highlights=True)
    text = describe(data, hints, countries=["GBR", "POL"])
    assert text.startswith("Timeline of 3 entries.")
    assert "First: 24 Aug 1991, Act of independence; last: 6 Jan 2026, Declaration." in text
    assert "United Kingdom (named in 2 of the 3 entries) and Poland (named in none)" in text


def test_scorecard_totals_each_model():
    data = pd.DataFrame({
        "model_id": ["a", "b", "a", "b"], "model_label": ["A 1994", "B 2022", "A 1994", "B 2022"],
        "dimension": ["d1", "d1", "d2", "d2"], "score": [1, 3, 0, 2],
    })
    hints = Describe(kind="Scorecard", item="model", key="model_id", label="model_label", value="score",
                     value_format="{:.0f} points in all", extra_counts=(("dimension", "dimensions"),))
    assert describe(data, hints) == (
        "Scorecard of 2 models across 2 dimensions (4 rows of data). "
        "Largest: B 2022 (5 points in all); smallest: A 1994 (1 points in all)."
    )


def test_labels_inside_a_sentence_keep_their_proper_nouns():
    assert in_sentence("Recipient (Ukraine)") == "recipient (Ukraine)"
    assert in_sentence("G7 Joint Declaration signatory") == "G7 Joint Declaration signatory"
    assert in_sentence("US backstop") == "US backstop"


def test_an_empty_chart_still_says_what_it_is():
    data = pd.DataFrame({"iso3": [], "country": [], "role": []})
    assert describe(data, role_map_hints(fixture_registry())).startswith("Map of 0 countries.")


def _descriptions(at) -> list[str]:
    return [payload["description"] for payload in chart_payloads(at)]


def test_every_chart_on_every_page_sends_its_description_and_shows_it_on_request(run_page):
    pages = [("app.py", {}), ("pages/1_map.py", {}), ("pages/1_map.py", {"view": "side"}), ("pages/2_aid.py", {}),
             ("pages/2_aid.py", {"section": "given"}), ("pages/2_aid.py", {"section": "israel"}),
             ("pages/3_compare.py", {}), ("pages/4_timeline.py", {})]
    for path, query in pages:
        at = run_page(path, query=query, fresh_data=path == "app.py")
        descriptions = _descriptions(at)
        assert descriptions and all(descriptions), f"{path} {query}: a chart without a description"
        # The generic fallback ("Chart of N rows") means a chart was given no hints.
        assert not any(d.startswith("Chart of") for d in descriptions), f"{path} {query}: {descriptions}"
        shown = [e for e in at.expander if e.label == "Describe this chart"]
        assert len(shown) == len(descriptions)
        texts = [md.value.replace("\\", "") for e in shown for md in e.markdown]
        assert texts == descriptions


@pytest.mark.parametrize("path,query", [("app.py", {}), ("pages/4_timeline.py", {})])
def test_changing_the_country_filter_changes_the_description(run_page, path, query):
    at = run_page(path, query=query)
    assert "No country is highlighted" in _descriptions(at)[0]
    at.multiselect(key="countries").set_value(["POL", "FRA"]).run()
    text = _descriptions(at)[0]
    assert "Highlighted from the country filter: Poland (" in text and "France (" in text


def test_the_donor_count_follows_the_country_filter(run_page):
    at = run_page("pages/2_aid.py", query={"section": "given", "countries": "POL"})
    assert _descriptions(at)[0].startswith("Bar chart of 1 donor ")
    at.multiselect(key="countries").set_value(["POL", "GBR"]).run()
    assert _descriptions(at)[0].startswith("Bar chart of 2 donors ")
