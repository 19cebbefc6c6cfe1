"""The figures, descriptions and shaped tables in Ukrainian: words from the catalogue, names from ISO's
translations, plural forms, Babel's dates and amounts; and the same data in both languages, never mixed."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import pandas as pd
import pycountry
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from conftest import FIXTURE_DATA, ROOT, fixture_registry
from guarantee_atlas import comparison, i18n, methodology, profiles, theme, timeline_data, vocab
from guarantee_atlas.countries import country_name, sorted_by_name
from guarantee_atlas.data import load_dataset
from guarantee_atlas.describe import Describe, describe, role_map_hints, scorecard_hints, timeline_hints
from guarantee_atlas.figures import aid, maps, role_map
from guarantee_atlas.figures.compare import build_scorecard
from guarantee_atlas.figures.timeline import build_timeline

CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
NBSP = "\u00a0"
NNBSP = "\u202f"  # Babel's narrow no-break space before «р.» in Ukrainian dates


def plain(text: str) -> str:
    """Text with Babel's no-break spaces as plain ones (the expectations below are easier to read)."""
    return text.replace(NNBSP, " ").replace(NBSP, " ")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE_DATA)


def uk(function, *args, **kwargs):
    with i18n.language("uk"):
        return function(*args, **kwargs)


def strings(fig) -> list[str]:
    """Every string in a figure's JSON (names, hovers, texts, titles, tick labels, annotations)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(json.loads(fig.to_json()))
    return found


# --- Country names and their order ----------------------------------------------------------------------


def test_country_names_in_ukrainian_come_from_iso_3166_translations():
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["uk"])
    with i18n.language("uk"):
        assert country_name("POL") == "Польща"
        assert country_name("DEU") == "Німеччина"
        assert country_name("GBR") == "Велика Британія"
        assert country_name("USA") == "США"
        assert country_name("MDA") == "Молдова", "ISO's short name, not «Республіка Молдова»"
        assert country_name("FRA") == iso.gettext("France")
        # Overrides from the atlas's catalogue: no ISO entry (EU, Kosovo), or ISO's formal name (Russia).
        assert country_name("EUU") == "Інституції ЄС"
        assert country_name("XKX") == "Косово"
        assert country_name("RUS") == "Росія"
        assert country_name("ZZZ") == "ZZZ", "an unknown code stays a code"
    assert country_name("EUU") == "EU institutions" and country_name("POL") == "Poland"


def test_countries_sort_in_ukrainian_alphabetical_order():
    codes = ["UKR", "ITA", "ISL", "EST", "GEO", "BEL", "DEU"]
    with i18n.language("uk"):
        names = [country_name(c) for c in sorted_by_name(codes)]
        assert names == ["Бельгія", "Грузія", "Естонія", "Ісландія", "Італія", "Німеччина", "Україна"]
        # Code point order would not do: І (U+0406) sorts before Б, і (U+0456) after у.
        assert sorted(names) != names and sorted(n.lower() for n in names)[-1] != "україна"
    assert [country_name(c) for c in sorted_by_name(codes)][:3] == ["Belgium", "Estonia", "Georgia"]


def test_country_choices_and_roles_follow_the_ukrainian_order(ds):
    with i18n.language("uk"):
        choices = profiles.country_choices(["UKR", "POL", "EST", "ISL"], ds.tables["events"].iloc[0:0])
        assert [country_name(c) for c in choices] == ["Естонія", "Ісландія", "Польща", "Україна"]
        roles = profiles.country_roles(ds.tables["guarantors"], ds.registry, "ksc", ds.tables["sources"])
    for _strength, group in roles.groupby("strength"):
        names = list(group["country"])
        with i18n.language("uk"):
            assert names == sorted(names, key=i18n.sort_key)


# --- Plural forms and dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("n,expected", [(1, "1 країна"), (2, "2 країни"), (5, "5 країн"), (11, "11 країн"),
                                        (21, "21 країна"), (22, "22 країни")])
def test_descriptions_count_in_ukrainian_plural_forms(n, expected):
    codes = [c.alpha_3 for c in list(pycountry.countries)[:n]]
    data = pd.DataFrame({"iso3": codes, "country": codes, "role": ["r"] * n})
    text = uk(describe, data, role_map_hints(fixture_registry()))
    assert text.startswith(f"Карта: {expected}.")
    assert "Жодну країну не виділено (фільтр країн порожній)." in text


@pytest.mark.parametrize("n,word", [(1, "запис"), (2, "записи"), (5, "записів"), (11, "записів"), (21, "запис")])
def test_timeline_description_counts_entries(n, word):
    data = pd.DataFrame({
        "row_id": [f"e{i}" for i in range(n)], "title": [f"Подія {i}" for i in range(n)],
        "start": pd.date_range("1994-12-05", periods=n, freq="D"), "lane": ["budapest"] * n, "iso3s": ["UKR"] * n,
    })
    with i18n.language("uk"):
        text = describe(data, timeline_hints(fixture_registry()), countries=["UKR", "POL"])
    assert text.startswith(f"Хронологія: {n} {word}.")
    assert "Найраніше: 5 груд. 1994 р., Подія 0" in plain(text)
    assert f"Україна (згадано: {n}; усього {n} {word})" in text and "Польща (ніде не згадано)" in text


def test_level_counts_and_month_counts_take_every_plural_form():
    with i18n.language("uk"):
        forms = [vocab.level_count("political_commitment", n) for n in (1, 2, 5, 11, 21)]
        assert forms == ["1 політичне зобов'язання", "2 політичні зобов'язання", "5 політичних зобов'язань",
                         "11 політичних зобов'язань", "21 політичне зобов'язання"]
        assert vocab.level_count("absent", 3) == "3 відсутні"
    assert vocab.level_count("political_commitment", 2) == "2 political commitments"


def test_dates_are_babels():
    day = pd.Timestamp("1994-12-05")
    with i18n.language("uk"):
        assert timeline_data.format_date(day) == f"5 грудня 1994{NNBSP}р."
        assert plain(timeline_data.format_date(pd.Timestamp("1996-06-01"), "month")) == "червень 1996 р."
        assert plain(timeline_data.date_label(pd.Timestamp("2024-07-11"), pd.NaT, "day", "span")) == (
            "11 липня 2024 р. — триває"
        )
        span = pd.Series({"date": day, "end_date": pd.Timestamp("2014-02-27"), "date_precision": "day"})
        assert plain(profiles.event_date(span)) == "5 груд. 1994 р. – 27 лют. 2014 р."
        assert plain(profiles.format_day(pd.Timestamp("2022-09-13"))) == "13 вер. 2022 р."
    assert timeline_data.format_date(day) == "5 December 1994"


# --- Figures ----------------------------------------------------------------------------------------------


def test_overview_map_in_ukrainian():
    counts = pd.DataFrame({"iso3": ["USA", "POL"], "country": ["США", "Польща"], "n_models": [3, 1],
                           "detail": ["a", "b"]})
    fig = uk(maps.build_overview_map, counts, 3, highlight=["POL"])
    names = [t.name for t in fig.data if t.geo in (None, "geo")]
    assert names == ["Згадано в 1 з 3 моделей", "Згадано в 3 з 3 моделей", "Україна (отримувач)",
                     "Вибрані у фільтрі", "Вибрані у фільтрі"]
    ukraine = next(t for t in fig.data if t.name == "Україна (отримувач)")
    assert ukraine.hovertemplate == "<b>Україна</b><br>Отримувач зобов'язань кожної моделі<extra></extra>"
    assert any(a.text == "Північна Америка" for a in fig.layout.annotations), "the inset's label"


def test_role_map_in_ukrainian(ds):
    with i18n.language("uk"):
        roles = profiles.country_roles(ds.tables["guarantors"], ds.registry, "budapest", ds.tables["sources"])
        lines = role_map.aid_line_rows(roles, profiles.aid_totals(ds.tables["aid"]), maps.frame_points("europe"))
        fig = role_map.build_role_map(roles, highlight=["GBR"], aid_lines=lines, aid_cutoff=pd.Timestamp("2026-04-30"))
    assert set(roles["country"]) >= {"США", "Росія", "Україна"}
    aid_lines = [t for t in fig.data if t.legendgroup == "aid-lines"]
    assert aid_lines[0].name == "Допомога Україні: товщина лінії — за виділеними € (Kiel)"
    assert plain(aid_lines[0].hovertext[0]) == (
        "<b>США → Київ</b><br>Виділено 115,39 млрд € станом на 30 квіт. 2026 р. (Kiel Ukraine Support Tracker)"
    )
    hovers = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    russia = plain(next(h for h in hovers if h.startswith("<b>Росія</b>")))
    assert "· з 27 лют. 2014 р." in russia and "Джерело: " in russia
    assert "Вибрані у фільтрі країн (інші приглушено)" in {t.name for t in fig.data}
    assert all(not re.search(r"\b(since|Source|Kyiv|allocated)\b", s) for s in strings(fig))


def test_role_lines_say_inferred_and_undated_in_ukrainian():
    registry = fixture_registry()
    row = pd.Series({"role": "core_guarantor", "basis": "inferred", "since": pd.Timestamp("2022-09-13"),
                     "until": pd.NaT})
    line = plain(uk(profiles.role_line, row, registry))
    assert line == f"{registry.role('core_guarantor').label} (виведене) · з 13 вер. 2022 р."
    assert uk(role_map.legend_label, "Core", True) == "Core (виведене)"
    assert uk(role_map.legend_label, "Core (виведене)", True) == "Core (виведене)", "said once"


def test_scorecard_in_ukrainian(ds):
    with i18n.language("uk"):
        cells = comparison.comparison_cells(ds.tables["comparison"], ds.tables["sources"], ds.registry)
        fig = build_scorecard(cells, ds.registry)
        markdown = comparison.cell_markdown(cells.iloc[0])
    assert list(fig.layout.xaxis.ticktext) == ["0<br>Нічого", "1<br>Згадка", "2<br>Конкретне", "3<br>Обов'язкове"]
    assert fig.layout.yaxis.ticktext[0] == "Правова форма та<br>обов'язковість"
    assert "Спірне (кільце)" in {t.name for t in fig.data}
    hover = fig.data[0].hovertext[0]
    assert hover.startswith("<b>Правова форма та обов'язковість</b><br>") and ": оцінка " in hover and " з 3 (" in hover
    assert "оцінка" in markdown and "Джерела: " in markdown


def test_provisions_matrix_and_aid_bars_in_ukrainian(ds):
    tables = ds.tables
    with i18n.language("uk"):
        matrix = aid.build_provisions_matrix(tables["provisions"], tables["sources"], ds.registry)
        view = aid.donor_view(tables["aid"], "eur")
        bars = aid.build_aid_bars(view.rows)
        gdp_bars = aid.build_aid_bars(aid.donor_view(tables["aid"], "gdp").rows, "gdp")
        title = aid.aid_title("eur", pd.Timestamp("2026-04-30"), "гаранти", 15, 41)
        summary = aid.level_summary(aid.level_counts(tables["provisions"], ds.registry), "budapest")
    assert [t.name for t in matrix.data] == ["Юридично обов'язкове (немає)", "Політичне зобов'язання", "Запропоноване",
                                             "Відсутнє", "Спірне (кільце)"]
    assert set(matrix.data[1].text) == {"Політичне"}
    assert matrix.layout.yaxis.categoryarray[0] == "Повага до кордонів і<br>суверенітету"
    assert all("Джерело: " in h for h in matrix.data[1].hovertext)
    assert [t.name for t in bars.data if t.type == "bar"] == ["Військова", "Фінансова", "Гуманітарна"]
    assert list(bars.layout.yaxis.categoryarray) == ["США", "Інституції ЄС", "Велика Британія", "Польща"], (
        "Kiel names its donors in English: in Ukrainian they are ISO's names"
    )
    assert bars.data[-1].text[0] == f"115,4{NBSP}млрд{NBSP}€"
    # Words, not signs, around the numbers: bare ticks under an axis titled with the unit.
    assert (bars.layout.xaxis.tickprefix, bars.layout.xaxis.ticksuffix) == ("", "")
    assert bars.layout.xaxis.title.text == f"млрд{NBSP}€"
    assert "обчислено з" in gdp_bars.data[0].hovertext[0] and "%" in gdp_bars.data[-1].text[0]
    assert f"млрд{NBSP}€" in title, "the unit stays on one line"
    assert plain(title) == "Допомога, виділена Україні (гаранти), млрд €, станом на 30 квіт. 2026 р. (перші 15 з 41)"
    assert summary == "12 політичних зобов'язань, 7 відсутніх"
    assert uk(aid.value_text, 0.59, "gdp") == "0,59%"


def test_pledges_and_benchmark_in_ukrainian(ds):
    tables = ds.tables
    agreements = pd.DataFrame({
        "iso3": ["DEU", "SWE"], "partner": ["Німеччина", "Швеція"],
        "date_signed": pd.to_datetime(["2024-02-16", "2024-02-29"]),
        "pledge_amount": [7.1, 75.0], "pledge_currency": ["EUR", "SEK"], "pledge_period": ["2024", "2024-2026"],
        "pledge_text": ["7,1 млрд €", "75 млрд SEK"],
    })
    with i18n.language("uk"):
        panels = aid.build_pledge_panels(agreements)
        mou = aid.mou_per_year(tables["us_israel_mou"])
        yearly = aid.ukraine_per_year(tables["aid"], None, None)
        benchmark = aid.build_israel_benchmark(mou, yearly)
        table = aid.benchmark_table(mou, yearly)
    assert [a.text for a in panels.layout.annotations] == ["Євро (EUR), млрд", "Шведські крони (SEK), млрд"]
    assert panels.data[1].text[0] == f"75{NBSP}млрд{NBSP}SEK · 2024–2026"
    assert "підписано 29 лют. 2024 р." in plain(panels.data[1].hovertext[0])
    assert benchmark.data[0].name == "США → Ізраїль" and "фін. р." in benchmark.data[0].hovertemplate
    assert plain(yearly.period) == "січ. 2022 р.–квіт. 2026 р., 52 місяці"
    assert benchmark.layout.annotations[0].text.startswith("Допомога США Ізраїлю")
    assert [t.name for t in benchmark.data[1:]] == ["США", "Інституції ЄС", "Велика Британія", "Польща"]
    assert "Разом: " in benchmark.data[1].hovertext[0] and "→ Україна, у середньому на рік" in benchmark.data[1].hovertext[0]
    assert set(table["recipient"]) == {"Ізраїль", "Україна"} and "середнє" in set(table["year"])


def test_a_donors_years_in_ukrainian():
    rows = pd.DataFrame({
        "iso3": "POL", "donor": "Польща", "year": [2025, 2026], "aid_type": "military", "aid_label": "Військова",
        "eur_bn": [2.0, 0.35], "partial": [False, True], "cutoff_date": pd.Timestamp("2026-04-30"),
        "release": "29", "source_ids": "fx-kiel",
    })
    fig = uk(aid.build_country_aid_by_year, rows)
    military = fig.data[0]
    assert list(military.x) == ["2025", "2026<br>(січ.–квіт.)"]
    assert military.hovertext[1].startswith("<b>Польща, 2026 (лише з січня до квітня)</b><br>Військова допомога: 350")
    assert "100% від 2" in military.hovertext[0] and "того року" in military.hovertext[0]


def test_timeline_in_ukrainian(ds):
    with i18n.language("uk"):
        rows = timeline_data.timeline_rows(ds.tables["events"], ds.tables["agreements"], ds.tables["sources"],
                                           ds.registry, countries=["GBR"], ongoing_until=pd.Timestamp("2026-11-01").date())
        periods = timeline_data.period_ranges("all", rows, pd.Timestamp("2026-11-23").date())
        fig = build_timeline(rows, periods, today=pd.Timestamp("2026-11-23"))
        one_scale = build_timeline(rows, timeline_data.period_ranges("2014", rows, pd.Timestamp("2026-11-23").date()))
        labels = timeline_data.period_labels()
    agreement = rows[rows["row_id"].str.startswith("agreement-")].iloc[0]
    assert agreement["title"].endswith(": безпекова угода з Україною")
    assert "Строк — 10 років." in agreement["detail"] and "Обіцянка: " in agreement["detail"]
    assert CYRILLIC.search(agreement["date_label"]) and agreement["date_label"].count("р.") == 2
    assert "<i>Джерело: %{customdata[4]}</i>" in fig.data[0].hovertemplate
    texts = [a.text for a in fig.layout.annotations]
    assert "Сьогодні" in texts and any("стиснуто" in t for t in texts) and any("— сьогодні" in t for t in texts)
    assert one_scale.layout.xaxis.tickformat == "%Y", "plotly.js would write English month names"
    assert labels["all"] == "Усе" and labels["1991"] == "1991–"
    if (rows["lane"] == "context").any():
        assert "Контекст" in set(rows["lane_label"])


def test_methodology_tables_in_ukrainian(ds):
    with i18n.language("uk"):
        levels = methodology.level_table()
        basis = methodology.basis_table()
        roles = methodology.role_table(ds.registry)
        disputed = methodology.disputed_rows(ds.tables["provisions"], ds.tables["comparison"], ds.registry)
    assert list(levels.columns) == ["Рівень", "Як закодовано"]
    assert list(levels["Рівень"]) == ["Юридично обов'язкове", "Політичне зобов'язання", "Запропоноване", "Відсутнє"]
    assert list(basis["Підстава"]) == ["з джерелом", "виведене"]
    assert list(roles.columns) == ["Модель", "Роль", "Що це означає", "Сила"] and "Будь-яка модель" in set(roles["Модель"])
    assert list(disputed.columns)[:5] == ["Таблиця", "Модель", "Пункт", "Закодовано як", "Чому це спірне"]


def test_scorecard_description_in_ukrainian():
    data = pd.DataFrame({
        "model_id": ["a", "b", "a", "b"], "model_label": ["A 1994", "B 2022", "A 1994", "B 2022"],
        "dimension": ["d1", "d1", "d2", "d2"], "score": [1, 3, 0, 2], "disputed": [True, False, False, False],
    })
    text = uk(lambda: describe(data, scorecard_hints()))
    assert text.startswith("Таблиця оцінок: 2 моделі; охоплено: 2 виміри (4 рядки даних).")
    assert "Найбільше: B 2022 (усього 5 балів); найменше: A 1994 (усього 1 бал)." in text
    assert "За ознакою «спірне кодування»: не спірне — 3, спірне — 1." in text
    assert describe(data, scorecard_hints()).startswith("Scorecard of 2 models across 2 dimensions (4 rows of data).")


# --- One data set, two languages -------------------------------------------------------------------------


def test_memo_gives_each_language_its_own_figure_for_the_same_data(ds):
    guarantors, registry = ds.tables["guarantors"], ds.registry
    english_counts = maps.guarantor_counts(guarantors, registry)
    ukrainian_counts = uk(maps.guarantor_counts, guarantors, registry)
    assert maps.guarantor_counts(guarantors, registry) is english_counts, "memoized per language"
    assert uk(maps.guarantor_counts, guarantors, registry) is ukrainian_counts
    assert list(english_counts["iso3"]) == list(ukrainian_counts["iso3"])
    assert not any(CYRILLIC.search(name) for name in english_counts["country"])
    assert all(CYRILLIC.search(name) for name in ukrainian_counts["country"])

    english = theme.apply_theme(maps.build_overview_map(english_counts, len(registry)), "Map", "Source")
    with i18n.language("uk"):
        ukrainian = theme.apply_theme(maps.build_overview_map(ukrainian_counts, len(registry)), "Карта", "Джерело")
    interface_en = [t.name for t in english.data] + [a.text for a in english.layout.annotations]
    interface_uk = [t.name for t in ukrainian.data] + [a.text for a in ukrainian.layout.annotations]
    assert not any(CYRILLIC.search(s) for s in strings(english)), "no Ukrainian in the English figure"
    assert all(CYRILLIC.search(s) for s in interface_uk), interface_uk
    assert not any(re.search(r"\b(Named|Ukraine|recipient|Europe|America|Asia|Oceania)\b", s) for s in interface_uk)
    assert len(interface_en) == len(interface_uk)
    assert english.layout.separators == ".," and ukrainian.layout.separators == f",{NBSP}"


def test_the_roles_frame_is_memoized_per_language(ds):
    args = (ds.tables["guarantors"], ds.registry, "budapest", ds.tables["sources"])
    english = profiles.country_roles(*args)
    ukrainian = uk(profiles.country_roles, *args)
    assert profiles.country_roles(*args) is english
    assert "Russia" in set(english["country"]) and "Росія" in set(ukrainian["country"])
    assert not any(CYRILLIC.search(line) for line in english["role_lines"])
    assert any("р." in line for line in ukrainian["role_lines"])


# --- The catalogue ------------------------------------------------------------------------------------------

MY_FILES = [
    *sorted((ROOT / "src/guarantee_atlas/figures").glob("*.py")),
    *(ROOT / "src/guarantee_atlas" / name for name in (
        "theme.py", "vocab.py", "registry.py", "profiles.py", "summaries.py", "comparison.py", "timeline_data.py",
        "methodology.py", "countries.py", "describe.py", "i18n.py",
    )),
]


def test_every_message_of_the_core_has_its_ukrainian():
    keywords = {"_": None, "n_": (1, 2), "N_": None}
    with (ROOT / "locale/uk/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="uk")
    missing = []
    for path in MY_FILES:
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=keywords):
            key = message[0] if isinstance(message, tuple) else message
            entry = catalogue.get(key)
            strings_ = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
            if entry is None or not all(strings_) or (isinstance(message, tuple) and len(strings_) != 3):
                missing.append(f"{Path(path).name}: {key}")
            else:
                for text in strings_:
                    wanted = set(re.findall(r"\{\w*\}", key if not isinstance(message, tuple) else message[1]))
                    assert set(re.findall(r"\{\w*\}", text)) <= wanted | {"{n}"}, (key, text)
    assert not missing, missing
