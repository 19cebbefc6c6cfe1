"""The one place that maps ISO 3166-1 alpha-3 codes to country names, in the language in use.

Codes come from pycountry (the ISO 3166 list); ``EUU`` stands for the
European Union, which has no ISO code. Short names override ISO's formal
ones where the formal one reads badly in a chart ("Korea, Republic of").

In Ukrainian the names are ISO 3166-1's own translations, as pycountry ships
them (its ``iso3166-1`` gettext catalogue, the short common name where ISO
gives one: «Молдова», not «Республіка Молдова»). Only where that reads badly
in a chart, or where ISO has no entry, the short name is marked ``N_`` and
its Ukrainian comes from the atlas's catalogue (``UK_OVERRIDES``).
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry

from . import i18n
from .i18n import N_, _

EU_CODE = "EUU"
KOSOVO_CODE = "XKX"  # user-assigned code, widely used; not in ISO 3166

SHORT_NAMES: dict[str, str] = {
    EU_CODE: N_("EU institutions"),
    KOSOVO_CODE: N_("Kosovo"),
    "USA": "United States",
    "GBR": "United Kingdom",
    "RUS": N_("Russia"),
    "KOR": "South Korea",
    "PRK": "North Korea",
    "CZE": "Czechia",
    "TUR": "Türkiye",
    "MDA": "Moldova",
    "IRN": "Iran",
    "SYR": "Syria",
    "TWN": "Taiwan",
    "VNM": "Vietnam",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "LAO": "Laos",
    "MKD": "North Macedonia",
}
# The short names translated by the atlas's catalogue, not by ISO's: the EU and Kosovo (no ISO
# entry) and Russia (ISO's «Російська Федерація» is the formal name; the English says "Russia").
# Every other name in another language is ISO's translation.
UK_OVERRIDES: frozenset[str] = frozenset({EU_CODE, KOSOVO_CODE, "RUS"})


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    names.update(SHORT_NAMES)
    return names


@cache
def _iso_translation(lang: str) -> gettext.NullTranslations:
    """ISO 3166-1's names in ``lang`` (pycountry's catalogue); no translation if it has none."""
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


@cache
def _translated_names(lang: str) -> dict[str, str]:
    """Code → ISO's name in ``lang``: the common name where ISO gives one, else the name."""
    translation = _iso_translation(lang)
    names = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        translated = translation.gettext(english)
        if translated == english and english != country.name:
            translated = translation.gettext(country.name)
        names[country.alpha_3] = translated
    return names


def is_valid_iso3(code: object) -> bool:
    """True for an upper-case ISO 3166-1 alpha-3 code, EUU or XKX."""
    return isinstance(code, str) and code in _iso_names()


def country_name(code: str) -> str:
    """Display name for a code in the language in use; the code itself if unknown."""
    lang = i18n.current()
    if lang == i18n.DEFAULT or code not in _iso_names():
        return _iso_names().get(code, code)
    if code in UK_OVERRIDES:
        return _(SHORT_NAMES[code])
    return _translated_names(lang).get(code) or _iso_names()[code]


def sorted_by_name(codes) -> list[str]:
    """Codes in the alphabetical order of their names in the language in use (Ukrainian: а б в г ґ …)."""
    return sorted(codes, key=lambda code: i18n.sort_key(country_name(code)))


def with_names(frame, code_column: str = "iso3", name_column: str = "donor"):
    """``frame`` with ``name_column`` written in the language in use from the codes (English: as in the data).

    Tables such as Kiel's name their donors in English only; in another language the names come from
    ``name_in_language`` (the code's name; a row whose code is not a country's keeps its name). The data
    layer's views (``Dataset.in_language``) are made with it too.
    """
    if i18n.current() == i18n.DEFAULT or frame.empty:
        return frame
    names = [name_in_language(code, name) for code, name in zip(frame[code_column], frame[name_column])]
    return frame.assign(**{name_column: names})


# Names a table gives a code in another sense than the atlas's own name for it: the EU as a party to
# an agreement is the European Union, not its institutions.
PARTY_NAMES: frozenset[str] = frozenset({N_("European Union")})


def name_in_language(code: str, english: str) -> str:
    """The name a table gives ``code`` (``english``), in the language in use: the atlas's name for the
    code, unless the table means something else by it (``PARTY_NAMES``); a code that is no country's keeps its name."""
    if english in PARTY_NAMES:
        return i18n.translate(english)
    return country_name(code) if is_valid_iso3(code) else english


def all_codes() -> frozenset[str]:
    """Every code this app accepts."""
    return frozenset(_iso_names())
