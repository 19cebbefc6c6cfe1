"""The one place that maps ISO 3166-1 alpha-3 codes to country names.

Codes come from pycountry (the ISO 3166 list); ``EUU`` stands for the
European Union, which has no ISO code. Short names override ISO's formal
ones where the formal one reads badly in a chart ("Korea, Republic of").
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

EU_CODE = "EUU"
KOSOVO_CODE = "XKX"  # user-assigned code, widely used; not in ISO 3166

SHORT_NAMES: dict[str, str] = {
    EU_CODE: "EU institutions",
    KOSOVO_CODE: "Kosovo",
    "USA": "United States",
    "GBR": "United Kingdom",
    "RUS": "Russia",
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


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    names.update(SHORT_NAMES)
    return names


def is_valid_iso3(code: object) -> bool:
    """True for an upper-case ISO 3166-1 alpha-3 code, EUU or XKX."""
    return isinstance(code, str) and code in _iso_names()


def country_name(code: str) -> str:
    """Display name for a code; the code itself if unknown."""
    return _iso_names().get(code, code)


def all_codes() -> frozenset[str]:
    """Every code this app accepts."""
    return frozenset(_iso_names())
