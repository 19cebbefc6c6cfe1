"""The interface's own words in Ukrainian, outside Streamlit: chart titles, source lines and captions,
URL notices (three plural forms), the standalone chart, the data ZIP's README.uk.md, download names."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from guarantee_atlas import chart, citations, export, i18n, plot_element, urlstate
from guarantee_atlas.chart import ChartSpec
from guarantee_atlas.data import load_dataset
from guarantee_atlas.geometry import STATIC_DIR
from conftest import FIXTURE_DATA

NNBSP = "\u202f"  # Babel's narrow no-break space before "р."


def plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE_DATA)


def test_chart_title_source_line_and_caption_in_ukrainian(ds):
    guarantors = ds.tables["guarantors"]
    spec = ChartSpec(page="map", chart_id="m", title="Будапешт", data=guarantors[guarantors["model_id"] == "budapest"])
    with i18n.language("uk"):
        assert plain(chart.chart_title(ds, spec)) == "Будапешт (станом на лютий 2014 р.)"
        line = plain(chart.source_line(ds, spec))
        assert line.startswith("Джерело: ")
        assert "Факти станом на 27 лют. 2014 р., джерела перевірено 2 лист. 2026 р." in line
        assert line.endswith(" · Дані Guarantee Atlas v0.0.0-fixture")
        caption = plain(chart.caption_markdown(ds, spec))
        assert caption.startswith("Факти станом на 27 лютого 2014 р., джерела перевірено 2 листопада 2026 р. Джерела: ")
    # The same chart in English is as it always was.
    assert chart.chart_title(ds, spec) == "Будапешт (facts to February 2014)"
    assert "Facts to 27 Feb 2014, sources checked 2 Nov 2026" in chart.source_line(ds, spec)


def test_a_cut_off_date_and_a_chart_without_dates(ds):
    spec = ChartSpec(page="aid", chart_id="x", title="T", data=ds.tables["aid"], as_of=date(2026, 4, 30))
    with i18n.language("uk"):
        assert plain(chart.dates_text(ds, spec)) == "Дані станом на 30 квіт. 2026 р."
        assert plain(chart.dates_text(ds, spec, "long")) == "Дані станом на 30 квітня 2026 р."
    assert chart.dates_text(ds, spec, "long") == "Data as of 30 April 2026"
    assert chart.with_as_of("T", None) == "T"


@pytest.mark.parametrize("n,documents", [(2, "2 документи"), (5, "5 документів"), (21, "21 документ")])
def test_caption_counts_documents_in_the_three_ukrainian_forms(n, documents):
    with i18n.language("uk"):
        text = i18n.n_("{link} ({n} document)", "{link} ({n} documents)", n).format(link="[A](u)", n=n)
    assert text == f"[A](u) ({documents})"


@pytest.mark.parametrize(
    "ignored,expected",
    [
        (["ZZZ"], "Пропущено невідоме значення `countries` у посиланні: ZZZ."),
        (["ZZZ", "QQQ"], "Пропущено невідомі значення `countries` у посиланні: ZZZ, QQQ."),
        ([f"X{i}" for i in range(8)], "Пропущено невідомі значення `countries` у посиланні: X0, X1, X2, X3, X4 та ще 3."),
    ],
)
def test_url_notice_in_ukrainian(ignored, expected):
    with i18n.language("uk"):
        assert urlstate.notice_text("countries", ignored) == expected


def test_url_notice_in_english_is_unchanged():
    assert urlstate.notice_text("model", ["zzz"]) == "Ignored unknown `model` value(s) in the link: zzz."
    assert urlstate.notice_text("model", [f"x{i}" for i in range(7)]).endswith("x4 and 2 more.")
    with i18n.language("uk"):
        assert urlstate.parse_codes(["A" * 700], ["POL"]).ignored[0] == "значення довжиною 700 символів"


def test_standalone_chart_carries_its_language():
    kwargs = dict(title="T", config={}, sources=pd.DataFrame(columns=["publisher", "title", "url"]), footnote="",
                  topojson_dir=STATIC_DIR)
    english = export.standalone_html(go.Figure(go.Bar(x=[1], y=[2])), **kwargs).decode()
    assert '<html lang="en">' in english and "<strong>Sources</strong>" in english
    with i18n.language("uk"):
        ukrainian = export.standalone_html(go.Figure(go.Bar(x=[1], y=[2])), **kwargs).decode()
    assert '<html lang="uk">' in ukrainian and ukrainian.count("<html") == 1
    assert "<strong>Джерела</strong>" in ukrainian and "Див. сторінку «Методологія» Guarantee Atlas." in ukrainian


def test_chart_html_footnote_in_ukrainian(ds):
    spec = ChartSpec(page="home", chart_id="x", title="Aid", data=ds.tables["aid"], as_of=date(2026, 4, 30))
    with i18n.language("uk"):
        page = chart.chart_html(go.Figure(go.Bar(x=[1], y=[2])), spec, ds, chart.chart_config("f")).decode()
    assert "Дані станом на 30 квітня 2026" in plain(page)
    assert "Версія даних Guarantee Atlas 0.0.0-fixture. Зібрані дані: CC BY 4.0." in page


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_data_zip_in_ukrainian_adds_a_short_readme(fixture_data_dir):
    (fixture_data_dir / "README.md").write_text("# Data\n")
    english = _members(export.data_archive(fixture_data_dir, "1.0", date(2026, 11, 2)))
    assert not any(name.endswith("README.uk.md") for name in english)
    ukrainian = _members(export.data_archive(fixture_data_dir, "1.0", date(2026, 11, 2), lang="uk"))
    assert {name.split("/", 1)[0] for name in ukrainian} == {"guarantee-atlas-data-1.0-uk"}
    # Every file of the English archive is there unchanged, plus the Ukrainian README.
    assert {n.split("/", 1)[1] for n in ukrainian} == {n.split("/", 1)[1] for n in english} | {"README.uk.md"}
    readme = ukrainian["guarantee-atlas-data-1.0-uk/README.uk.md"].decode("utf-8")
    assert readme.startswith("# Дані Guarantee Atlas, версія 1.0\n")
    for heading in ("## Файли", "## Назви стовпців і значення", "## Ліцензія", "## Як цитувати"):
        assert heading in readme
    assert "- `guarantors.csv`: хто має яку роль у якій моделі" in readme
    assert "- `README.md`: повні визначення кожної таблиці й кожного стовпця, англійською" in readme
    assert "сталі англійські ідентифікатори" in readme and "CC BY 4.0" in readme
    assert "_uk" in readme, "the fixture tables have Ukrainian twins: the README says where the Ukrainian is"
    assert "Guarantee Atlas contributors, Guarantee Atlas data, версія 1.0 (2026)." in readme
    # Every CSV of the archive is named, before the documents.
    names = [line.split("`")[1] for line in readme.splitlines() if line.startswith("- `")]
    assert names[: sum(n.endswith(".csv") for n in names)] == sorted(n for n in names if n.endswith(".csv"))
    assert set(names) == {n.split("/", 1)[1] for n in ukrainian} - {"README.uk.md"}


def test_download_names_keep_their_ids_and_add_the_language(ds):
    spec = ChartSpec(page="aid", chart_id="bars", title="T", data=ds.tables["aid"], as_of=date(2026, 4, 30))
    english = chart.export_filename(spec, ds)
    assert english == "guarantee-atlas_aid_bars_2026-04-30"
    with i18n.language("uk"):
        assert chart.export_filename(spec, ds) == english + "-uk"
    assert export.archive_folder_name("1.0") == "guarantee-atlas-data-1.0"
    assert export.archive_folder_name("1.0", "uk") == "guarantee-atlas-data-1.0-uk"


def test_chart_element_words_and_citations_in_ukrainian():
    with i18n.language("uk"):
        words = plot_element.texts()
        mirror = pd.Series({"publisher": "Caliber.az (reprint)", "original_publisher": "The Wall Street Journal",
                            "kind": "mirror"})
        assert citations.publisher_label(mirror) == "The Wall Street Journal, через Caliber.az"
        assert citations.citation_list(pd.DataFrame(columns=["publisher", "title", "url"])) == "джерело не зазначено"
    assert "{error}" in words["error"] and words["error"].startswith("Не вдалося побудувати діаграму")
    assert words["image"] == "Завантажити діаграму як {format}"
    assert words["library"] == "не завантажилася бібліотека діаграм ({url})"
    # The element's English fallbacks (before a payload arrives) are the catalogue's English.
    for key, english in plot_element.texts().items():
        assert f'{key}: "{english}"' in plot_element.JS, key


def test_every_ukrainian_translation_keeps_its_placeholders():
    """A msgstr that drops or renames a {placeholder} would raise KeyError (or lose a value) at .format()."""
    import re

    from babel.messages.pofile import read_po

    with i18n.catalogue_path("uk").open("rb") as handle:
        catalogue = read_po(handle, locale="uk")
    fields = lambda text: set(re.findall(r"\{[^{}]*\}", text))  # noqa: E731
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(i) for i in ids))
        for string in strings:
            if string:
                assert fields(string) <= wanted, (message.id, string)
                if not isinstance(message.id, tuple):
                    assert fields(string) == wanted, (message.id, string)


def test_readme_names_the_ukrainian_columns_when_there_are_some(fixture_data_dir):
    models = fixture_data_dir / "models.csv"
    header, body = models.read_text(encoding="utf-8").split("\n", 1)
    models.write_text(header + ",name_uk\n" + body, encoding="utf-8")
    members = _members(export.data_archive(fixture_data_dir, "1.0", None, lang="uk"))
    readme = members["guarantee-atlas-data-1.0-uk/README.uk.md"].decode("utf-8")
    assert "Стовпці із закінченням `_uk` містять український текст стовпця з тією самою назвою." in readme
    assert "Guarantee Atlas contributors, Guarantee Atlas data, версія 1.0." in readme


def test_the_catalogue_passes_babels_checks():
    """Babel's checkers (what `pybabel compile` and Poedit/Weblate check): format directives, plural forms."""
    from babel.messages.pofile import read_po

    with i18n.catalogue_path("uk").open("rb") as handle:
        catalogue = read_po(handle, locale="uk")
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogue.check()]
    assert problems == []
