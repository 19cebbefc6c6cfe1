"""AppTest: the aid page on the fixture dataset (model, donors, unit, country filter, yearly data)."""

from conftest import plotly_figures

PAGE = "pages/2_aid.py"


def _charts(at) -> dict[str, dict]:
    """Figures by the start of their title (the theme wraps titles with <br>)."""
    return {f["layout"]["title"]["text"].replace("<br>", " ")[:20]: f for f in plotly_figures(at)}


def _bar_donors(at) -> list[str]:
    figure = _charts(at)["Aid allocated to Ukr"]
    return list(figure["layout"]["yaxis"]["categoryarray"])


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


def test_default_view_shows_what_each_model_promises(run_page):
    at = run_page(PAGE)
    assert not at.exception
    assert list(_charts(at)) == ["What each model prom"]
    assert at.segmented_control(key="section").value == "promises" and "section" not in at.query_params


def test_each_part_has_its_own_link_and_charts(run_page):
    at = run_page(PAGE, query={"section": "given"})
    assert not at.exception
    charts = _charts(at)
    assert list(charts) == ["Aid allocated to Ukr"]
    assert "30\u00a0Apr\u00a02026" in charts["Aid allocated to Ukr"]["layout"]["title"]["text"]
    assert _bar_donors(at) == ["United States"]
    assert "Not among the tracker's donors: Russia, France." in _texts(at.caption)
    # None of the Budapest guarantors signed a bilateral agreement in the fixture.
    assert "No bilateral security agreement" in _texts(at.info)
    at.segmented_control(key="section").set_value("israel").run()
    assert list(_charts(at)) == ["What Israel-style me"]
    assert at.query_params["section"] == "israel"


def test_switching_the_model_limits_the_bars_to_its_guarantors(run_page):
    at = run_page(PAGE, query={"section": "given", "model": "israel"})
    assert _bar_donors(at) == ["United States", "United Kingdom", "Poland"]
    at.button_group(key="model").set_value("ksc").run()
    assert _bar_donors(at) == ["United States", "Poland"]
    assert "Finland, Japan" in _texts(at.caption)


def test_pledges_one_panel_per_currency_and_unstated_ones_listed(run_page):
    at = run_page(PAGE, query={"section": "given", "model": "israel"})
    pledges = _charts(at)["What the bilateral s"]
    assert [t["name"] for t in pledges["data"]] == ["GBP"]
    assert "No amount stated** in 1 of 2 agreements" in _texts(at.markdown)
    assert "- **Poland** (signed 8 Jul 2024): No amount stated" in _texts(at.markdown)


def test_all_donors_in_percent_of_gdp_leave_the_eu_out_and_say_why(run_page):
    at = run_page(PAGE, query={"section": "given", "donors": "all", "unit": "gdp"})
    assert not at.exception
    assert _bar_donors(at) == ["Poland", "United Kingdom", "United States"]
    figure = _charts(at)["Aid allocated to Ukr"]
    assert "split by type" in figure["layout"]["title"]["text"]
    assert "Left out in %\u00a0of GDP (no GDP figure): EU institutions." in _texts(at.caption)
    assert "derived in proportion to the euro amounts" in _texts(at.caption)
    at.button_group(key="unit").set_value("eur").run()
    assert _bar_donors(at) == ["United States", "EU institutions", "United Kingdom", "Poland"]


def test_country_filter_chooses_the_donors_by_default(run_page):
    at = run_page(PAGE, query={"section": "given", "countries": "POL"})
    assert at.button_group(key="donors").value == "countries"
    assert _bar_donors(at) == ["Poland"]
    assert "Poland" in _charts(at)["Aid allocated to Ukr"]["layout"]["title"]["text"]


def test_unknown_url_values_get_a_notice_and_the_default(run_page):
    at = run_page(PAGE, query={"section": "given", "unit": "xx<script>"})
    assert not at.exception
    assert at.button_group(key="unit").value == "eur"
    warnings = _texts(at.warning)
    assert "xxscript" in warnings and "<script>" not in warnings


def test_benchmark_uses_yearly_allocations_when_the_table_exists(run_page, fixture_data_dir):
    (fixture_data_dir / "aid_yearly.csv").write_text(
        "iso3,donor,year,aid_type,eur_bn,cutoff_date,release,source_ids\n"
        "USA,United States,2024,military,20.1,2026-04-30,Fixture release,fx-kiel\n"
        "USA,United States,2025,military,0.5,2026-04-30,Fixture release,fx-kiel\n"
        "USA,United States,2026,military,0.0,2026-04-30,Fixture release,fx-kiel\n",
        encoding="utf-8",
    )
    at = run_page(PAGE, data_dir=fixture_data_dir, query={"section": "israel"})
    assert not at.exception
    benchmark = _charts(at)["What Israel-style me"]
    usa = next(t for t in benchmark["data"] if t["name"] == "United States")
    assert usa["x"] == [2024, 2025, 2026] and usa["y"] == [20.1, 0.5, 0.0]
    assert "monthly rows" in _texts(at.caption)


def test_a_broken_aid_table_is_named_not_a_traceback(run_page, fixture_data_dir):
    (fixture_data_dir / "aid.csv").write_text("iso3,donor\nUSA,United States\n", encoding="utf-8")
    at = run_page(PAGE, data_dir=fixture_data_dir, query={"section": "given"})
    assert not at.exception
    assert "data/aid.csv" in _texts(at.error)
    at = run_page(PAGE, data_dir=fixture_data_dir, fresh_data=False)
    assert not at.exception and not at.main.error, "the part that does not need aid.csv still works"
    assert list(_charts(at)) == ["What each model prom"]
