"""Issue 18: where a source exists in Ukrainian (sources.csv's ``url_uk``), the Ukrainian view links it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from guarantee_atlas import citations, export, i18n
from guarantee_atlas.data import load_dataset
from guarantee_atlas.downloads import with_sources
from guarantee_atlas.geometry import STATIC_DIR

from conftest import FIXTURE_DATA

COUNTRY = "pages/5_country.py"
ENGLISH = "https://example.org/news"
UKRAINIAN = "https://example.org/uk/news"  # the fixture's one url_uk (fx-news)


def _sources():
    return load_dataset(FIXTURE_DATA).tables["sources"].set_index("source_id", drop=False)


def test_the_fixture_has_one_source_in_ukrainian():
    sources = _sources()
    assert list(sources.columns).index("url_uk") == list(sources.columns).index("url") + 1
    assert sources["url_uk"].dropna().to_dict() == {"fx-news": UKRAINIAN}


def test_citation_links_url_uk_in_ukrainian_and_url_in_english():
    sources = _sources()
    news, memo = sources.loc["fx-news"], sources.loc["fx-memo"]
    with i18n.language("en"):
        assert citations.citation(news) == f"[Example News: Fixture news, with a comma]({ENGLISH})"
    with i18n.language("uk"):
        assert citations.citation(news) == f"[Example News: Fixture news, with a comma \\(укр.\\)]({UKRAINIAN})"
        assert citations.citation(news, label="Example News", dated=True) == (
            f"[Example News \\(укр.\\)]({UKRAINIAN}) ({i18n.format_date(news['published'], 'medium')})"
        )
        assert citations.citation(memo) == "[Example Publisher: Fixture memorandum text](https://example.org/memo)"
    row = news.drop("url_uk")  # a table without the column links url in every language
    with i18n.language("uk"):
        assert citations.source_link(row) == (ENGLISH, False)


def test_standalone_html_and_csv_download_link_the_ukrainian_edition_in_ukrainian():
    ds = load_dataset(FIXTURE_DATA)
    sources = ds.tables["sources"]
    for lang, url, marked in (("en", ENGLISH, False), ("uk", UKRAINIAN, True)):
        with i18n.language(lang):
            page = export.standalone_html(go.Figure(go.Bar(x=[1], y=[2])), title="T", config={}, sources=sources,
                                          footnote="", topojson_dir=STATIC_DIR).decode("utf-8")
            frame = with_sources(pd.DataFrame({"source_ids": ["fx-news"]}), ds)
        assert f'<a href="{url}">Fixture news, with a comma{" (укр.)" if marked else ""}</a>' in page
        assert frame.loc[0, "sources"] == f"Example News <{url}>" + (" (укр.)" if marked else "")


def _text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_country_page_links_the_ukrainian_edition_only_in_ukrainian(run_page):
    english = run_page(COUNTRY, query={"country": "POL"})
    ukrainian = run_page(COUNTRY, query={"country": "POL", "lang": "uk"})
    assert not english.exception and not ukrainian.exception
    text_en, text_uk = _text(english), _text(ukrainian)
    assert f"[Example News: Fixture news, with a comma]({ENGLISH})" in text_en and UKRAINIAN not in text_en
    assert f"[Example News: Fixture news, with a comma \\(укр.\\)]({UKRAINIAN})" in text_uk
    assert f"({ENGLISH})" not in text_uk


def test_a_url_uk_that_is_not_a_url_fails_naming_row_and_column(fixture_data_dir):
    path = fixture_data_dir / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(UKRAINIAN, "example.org/uk/news", 1), encoding="utf-8")
    ds = load_dataset(fixture_data_dir)
    message = str(ds.errors["sources"])
    assert message.startswith("sources.csv:")
    assert "row 3, column 'url_uk'" in message
