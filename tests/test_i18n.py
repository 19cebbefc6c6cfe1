"""The translation core: language choice, Babel formats, Ukrainian order and plurals."""

from __future__ import annotations

from datetime import date

import pytest

from guarantee_atlas import i18n


@pytest.mark.parametrize(
    "header,expected",
    [
        ("uk-UA,uk;q=0.9,en;q=0.8", "uk"),
        ("ru-RU,uk;q=0.8", "uk"),
        ("de-DE,de;q=0.9", "en"),
        ("en-GB", "en"),
        ("uk", "uk"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_browser_language_picks_ukrainian_or_english(header, expected):
    assert i18n.preferred(header) == expected


def test_dates_numbers_and_money_are_formatted_for_the_language():
    day = date(1994, 12, 5)
    with i18n.language("en"):
        assert i18n.format_date(day) == "5 December 1994"
        assert i18n.format_date(day, "medium") == "5 Dec 1994"
        assert i18n.format_month(day) == "December 1994"
        assert i18n.format_number(12345.6, 1) == "12,345.6"
        assert i18n.format_money(1.234e9) == "€1.2B"
    with i18n.language("uk"):
        assert i18n.format_date(day) == "5 грудня 1994\u202fр."
        assert i18n.format_month(day) == "грудень 1994\u202fр."
        assert i18n.format_number(12345.6, 1) == "12\xa0345,6"
        assert i18n.format_money(1.234e9) == "1,2\xa0млрд\xa0€"
        assert i18n.format_money(39.2e6) == "39,2\xa0млн\xa0€"
        assert i18n.format_list(["Польща", "Німеччина", "Франція"]).endswith("і Франція")


def test_ukrainian_names_sort_in_alphabetical_order():
    names = ["Японія", "Італія", "Естонія", "Ґуам", "Греція", "Європейський Союз", "Ізраїль", "Австрія"]
    with i18n.language("uk"):
        assert sorted(names, key=i18n.sort_key) == [
            "Австрія", "Греція", "Ґуам", "Естонія", "Європейський Союз", "Ізраїль", "Італія", "Японія",
        ]


def test_ukrainian_plurals_use_three_forms(tmp_path, monkeypatch):
    po = tmp_path / "uk" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "{n} country"\nmsgid_plural "{n} countries"\n'
        'msgstr[0] "{n} країна"\nmsgstr[1] "{n} країни"\nmsgstr[2] "{n} країн"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GUARANTEE_ATLAS_LOCALE_DIR", str(tmp_path))
    i18n.reload()
    try:
        with i18n.language("uk"):
            forms = {n: i18n.n_("{n} country", "{n} countries", n).format(n=n) for n in (1, 2, 5, 11, 21, 22)}
        assert forms == {1: "1 країна", 2: "2 країни", 5: "5 країн", 11: "11 країн", 21: "21 країна", 22: "22 країни"}
        with i18n.language("en"):
            assert i18n.n_("{n} country", "{n} countries", 1).format(n=1) == "1 country"
    finally:
        monkeypatch.delenv("GUARANTEE_ATLAS_LOCALE_DIR")
        i18n.reload()


def test_an_unknown_language_falls_back_to_english():
    with i18n.language("xx"):
        assert i18n._("Map of guarantors") == "Map of guarantors"
