"""AppTest: every page in Ukrainian (?lang=uk), the language switch, an unknown ?lang=, links that keep the language.

The Ukrainian words asserted here are the catalogue's (locale/uk/LC_MESSAGES/messages.po): a message
that loses its ``_()`` or its translation makes these fail.
"""

from __future__ import annotations

import pytest
from conftest import chart_payloads

PAGES = ["app.py", "pages/1_map.py", "pages/2_aid.py", "pages/3_compare.py", "pages/4_timeline.py",
         "pages/5_country.py", "pages/6_methodology.py"]
TITLES = {
    "app.py": "Хто гарантує безпеку України?",
    "pages/1_map.py": "Карта гарантів",
    "pages/2_aid.py": "Допомога й обіцянки",
    "pages/3_compare.py": "Порівняння моделей",
    "pages/4_timeline.py": "Хронологія з 1991 року",
    "pages/5_country.py": "Профіль країни",
    "pages/6_methodology.py": "Методологія і дані",
}
SIDEBAR_LINKS = ["Огляд", "Карта гарантів", "Допомога й обіцянки", "Порівняння моделей", "Хронологія з 1991 року",
                 "Профіль країни", "Методологія і дані"]


def texts(at) -> str:
    """Every markdown, caption, info and warning of a run, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [e.value for e in at.error]
    return " ".join(parts).replace("\u202f", " ").replace("\xa0", " ")  # Babel's narrow spaces ("1994 р.")


def page_links(at) -> list:
    return [link.proto for link in at.get("page_link")]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_ukrainian(run_page, path):
    at = run_page(path, query={"lang": "uk"})
    assert not at.exception
    assert at.session_state["lang"] == "uk"
    assert [t.value for t in at.title] == [TITLES[path]]
    # The sidebar: the filter, the page links, the copy-link box, all in Ukrainian and all keeping the language.
    if path not in ("pages/3_compare.py", "pages/6_methodology.py"):
        assert at.multiselect(key="countries").label == "Країни"
    sidebar = [link for link in page_links(at) if link.label in SIDEBAR_LINKS]
    assert [link.label for link in sidebar] == SIDEBAR_LINKS
    assert all("lang=uk" in link.query_string for link in page_links(at)), [l.query_string for l in page_links(at)]
    assert "Повідомити про помилку" in [link.label for link in page_links(at)]  # the footer's link
    assert any("версія даних 0.0.0-fixture" in c.value for c in at.caption)  # the footer
    # No English interface sentence left in the frame of the page.
    for english in ("Copy link to this view", "Report a correction", "data version 0.0.0-fixture", "Download data"):
        assert english not in texts(at)


def test_home_in_ukrainian(run_page):
    at = run_page("app.py", query={"lang": "uk"})
    assert [m.label for m in at.metric][:1] == ["Названо країн-гарантів"]
    assert "**Стан сьогодні:**" in texts(at)
    assert "Усі дані" in [h.value for h in at.header]
    assert at.segmented_control(key="frame").label == "Карта"
    assert [b.label for b in at.get("download_button")][-1] == "Завантажити всі дані (ZIP)"
    # Dates in Ukrainian (Babel): "5 грудня 1994 р.", never "December".
    assert "грудня 1994 р." in texts(at) and "December" not in texts(at)
    (chart,) = chart_payloads(at)
    assert chart["label"].startswith("Скільки з 3 моделей називають кожну країну гарантом")
    assert chart["texts"]["error"].startswith("Не вдалося побудувати діаграму: {error}.")
    assert chart["texts"]["fullscreen"] == "На весь екран"
    assert "Джерела:" in texts(at) and "Опис діаграми" in [e.label for e in at.expander]


def test_chart_controls_and_downloads_in_ukrainian(run_page):
    at = run_page("pages/1_map.py", query={"lang": "uk", "model": "ksc"})
    assert not at.exception
    assert at.segmented_control(key="view").label == "Подання"
    assert at.segmented_control(key="view").options == ["Одна модель", "Усі моделі поруч"]
    assert at.segmented_control(key="model").label == "Модель"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Завантажити дані (CSV)", "Завантажити інтерактивну діаграму (HTML)"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Гаранти"] == "4"
    assert metrics["З юридично обов'язковим зобов'язанням"].endswith("з 3")
    assert "з них 1 виведено з названої групи" in texts(at)
    (chart,) = chart_payloads(at)
    assert chart["label"].endswith(": хто стоїть за Україною, за ролями (станом на січень 2024\u202fр.)"), chart["label"]
    # The Chart | Table switch keeps its icons, its words are translated.
    switch = next(s for s in at.get("button_group") if s.proto.id and "chart_map_role-map_view" in s.proto.id)
    assert [o.content for o in switch.proto.options] == ["Діаграма", "Таблиця"]
    assert [o.content_icon for o in switch.proto.options] == [":material/bar_chart:", ":material/table:"]


def test_side_by_side_titles_agree_with_the_number(run_page):
    at = run_page("pages/1_map.py", query={"lang": "uk", "view": "side"})
    assert not at.exception
    titles = [p["label"] for p in chart_payloads(at)]
    assert any(t.split(" (")[0].endswith(": 3 гаранти") for t in titles), titles
    assert any(t.split(" (")[0].endswith(": 4 гаранти") for t in titles), titles


def test_country_profile_in_ukrainian(run_page):
    at = run_page("pages/5_country.py", query={"lang": "uk", "country": "POL"})
    assert not at.exception
    text = texts(at)
    assert "Роль у кожній моделі" in [s.value for s in at.subheader]
    assert "Немає ролі в цій моделі." in text
    assert "**Підписано:**" in text and "липня 2024 р." in text
    assert "**Строк:** 10 років" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Військова допомога"] == "4,45\xa0млрд\xa0€"
    assert metrics["Двостороння допомога, % ВВП 2021 р."] == "1,02%"
    assert "3-е місце з 4 донорів" in text
    assert "Жодна подія хронології не згадує країну" in text


def test_methodology_embed_code_carries_the_language(run_page):
    at = run_page("pages/6_methodology.py", query={"lang": "uk"})
    assert not at.exception
    codes = [c.value for c in at.code]
    assert any(c.startswith('<iframe src="/map?lang=uk&amp;model=israel&amp;embed=true"') for c in codes), codes
    assert any('title="Guarantee Atlas: карта гарантів"' in c for c in codes)
    assert "Guarantee Atlas contributors, Guarantee Atlas data, версія 0.0.0-fixture (2026)." in codes
    assert "Ліцензії" in [h.value for h in at.header]
    assert "**Код** застосунку Guarantee Atlas: ліцензія MIT." in texts(at)


def test_unknown_language_is_ignored_with_a_notice(run_page):
    at = run_page("pages/1_map.py", query={"lang": "xx"})
    assert not at.exception
    assert at.session_state["lang"] == "en"  # AppTest sends no browser language: the default
    assert [t.value for t in at.title] == ["Map of guarantors"]
    warnings = [w.value for w in at.warning]
    assert "Ignored unknown `lang` value(s) in the link: xx." in warnings
    assert all("lang=en" in link.query_string for link in page_links(at))


def test_language_switch_redraws_the_page_in_ukrainian(run_page):
    at = run_page("pages/3_compare.py")
    assert [t.value for t in at.title] == ["Compare the models"]
    at.segmented_control(key="lang").set_value("uk").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Порівняння моделей"]
    assert at.query_params["lang"] == "uk"
    assert at.segmented_control(key="show").label == "Показати"
    assert "Пункт за пунктом" in [h.value for h in at.header]
    at.segmented_control(key="lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Compare the models"]


def test_unknown_link_values_are_reported_in_ukrainian(run_page):
    at = run_page("pages/1_map.py", query={"lang": "uk", "countries": "POL,ZZZ,QQQ"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Пропущено невідомі значення `countries` у посиланні: ZZZ, QQQ." in warnings


def test_a_broken_table_is_reported_in_ukrainian(run_page, fixture_data_dir):
    (fixture_data_dir / "guarantors.csv").unlink()
    at = run_page("pages/1_map.py", data_dir=fixture_data_dir, query={"lang": "uk"})
    assert not at.exception
    errors = [e.value for e in at.error]
    # The frame in Ukrainian; the problem found by validation as data.py words it.
    assert any(
        e.startswith("**Для цього подання потрібен файл `data/guarantors.csv`, який не вдалося завантажити.**")
        and "file is missing" in e
        and e.endswith("Виправте файл (див. data/README.md) і перезавантажте сторінку.")
        for e in errors
    ), errors
    assert any(e.startswith("Деякі дані не вдалося завантажити: data/guarantors.csv.") for e in errors), errors


def test_timeline_help_quotes_the_buttons_as_they_read(run_page):
    at = run_page("pages/4_timeline.py", query={"lang": "uk"})
    assert not at.exception
    period = at.segmented_control(key="period")
    assert period.label == "Показані роки"
    shown = [period.format_func(o) for o in period.options] if callable(getattr(period, "format_func", None)) \
        else list(period.options)
    # "All" and "Full terms" are quoted with the words their buttons show, whatever the translation.
    assert period.help.startswith(f"«{shown[0]}» показує 1991–2021 роки стисло ліворуч")
    assert f"«{shown[-1]}» показує й решту десятирічного строку" in period.help


def _run_with_browser_language(monkeypatch, locale: str, query: dict):
    """The map page as a browser that asks for ``locale`` (navigator.language) opens it."""
    from conftest import FIXTURE_DATA, ROOT
    from streamlit.testing.v1 import AppTest

    from guarantee_atlas import layout

    monkeypatch.setenv("GUARANTEE_ATLAS_DATA_DIR", str(FIXTURE_DATA))
    layout.dataset.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/1_map.py")
    at.context["locale"] = locale
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_a_ukrainian_browser_gets_ukrainian_and_an_unknown_lang_keeps_it(monkeypatch):
    at = _run_with_browser_language(monkeypatch, "uk-UA", {})
    assert not at.exception
    assert [t.value for t in at.title] == ["Карта гарантів"]
    assert at.query_params["lang"] == "uk"  # written into the link, so a copied link keeps it
    at = _run_with_browser_language(monkeypatch, "uk-UA", {"lang": "xx"})
    assert [t.value for t in at.title] == ["Карта гарантів"]
    assert "Пропущено невідоме значення `lang` у посиланні: xx." in [w.value for w in at.warning]
    # The link's language wins over the browser's.
    at = _run_with_browser_language(monkeypatch, "uk-UA", {"lang": "en"})
    assert [t.value for t in at.title] == ["Map of guarantors"]
    at = _run_with_browser_language(monkeypatch, "de-DE", {})
    assert [t.value for t in at.title] == ["Map of guarantors"]


def test_methodology_shows_the_data_documentation_in_ukrainian(run_page):
    """The README and changelog sections come from data/README-uk.md and data/CHANGELOG-uk.md in Ukrainian."""
    from guarantee_atlas.data import DEFAULT_DATA_DIR

    at = run_page("pages/6_methodology.py", data_dir=DEFAULT_DATA_DIR, query={"lang": "uk"})
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "sources.csv" in [e.label for e in at.expander]
    assert "дослідницьких нотаток" in shown
    assert "How the data were made" not in shown and "Where sources disagree, one value is kept and the note" not in shown
    at_en = run_page("pages/6_methodology.py", data_dir=DEFAULT_DATA_DIR, query={"lang": "en"})
    assert "research notes" in " ".join(m.value for m in at_en.markdown)
