"""The one translation catalogue: the atlas in English and Ukrainian (gettext catalogues, Babel formats).

Interface text is English in the code, wrapped in ``_()`` where it is shown
(``n_()`` for a count, ``N_()`` to mark a module constant that is translated
where it is shown). The Ukrainian lives in ``locale/uk/LC_MESSAGES/messages.po``,
the format Poedit and Weblate read; ``make locale`` extracts the messages with
Babel and merges them into it. The catalogue is compiled by Babel in memory the
first time it is used, so no binary file sits in the repository.

Dates, numbers and money are formatted by Babel for the language in use. Data
text (names, summaries, event titles…) is translated in the tables themselves
(``*_uk`` columns, see ``data.Dataset.in_language``), not here.

The language of a run is the session's ``lang`` (set by the page set-up from
the link, the switch or the browser), or a ``language()`` block's in tests and
scripts; ``memo.memoized`` keys every result on it.
"""

from __future__ import annotations

import gettext
import os
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Iterable, Iterator

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES: dict[str, str] = {"en": "English", "uk": "Українська"}
DEFAULT = "en"
# Babel's locale for each language: British English writes "5 December 1994", as the atlas always has.
BABEL_LOCALES = {"en": "en_GB", "uk": "uk_UA"}
DOMAIN = "messages"
DEFAULT_LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
_DEFAULT_FOLDER = str(DEFAULT_LOCALE_DIR)
# Currency signs as readers write them (CLDR gives Ukrainian the ISO code, "1,2 млрд EUR").
CURRENCY_SIGNS = {"EUR": "€", "USD": "US$"}

_language: ContextVar[str | None] = ContextVar("atlas_language", default=None)


def _locale_folder() -> str:
    """``locale_dir`` as text: every message looks it up, and making a Path each time cost more than the lookup."""
    return os.environ.get("GUARANTEE_ATLAS_LOCALE_DIR") or _DEFAULT_FOLDER


def locale_dir() -> Path:
    """The catalogues: $GUARANTEE_ATLAS_LOCALE_DIR if set (the pseudo-locale tests), else locale/."""
    return Path(_locale_folder())


def catalogue_path(lang: str, folder: Path | None = None) -> Path:
    return (folder or locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str, folder: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled by Babel in memory once per process (fuzzy entries left out)."""
    path = catalogue_path(lang, Path(folder))
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=BABEL_LOCALES.get(lang, lang), domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def reload() -> None:
    """Forget compiled catalogues (tests that point GUARANTEE_ATLAS_LOCALE_DIR elsewhere)."""
    _translations.cache_clear()


def _session_language() -> str | None:
    """The language of the Streamlit session running this code, if any (a fragment's rerun starts here)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is None:
            return None
        import streamlit as st

        lang = st.session_state.get("lang")
    except Exception:  # noqa: BLE001  (outside a Streamlit run: no session)
        return None
    return lang if lang in LANGUAGES else None


def current() -> str:
    """The language in use: a ``language()`` block's, else the Streamlit session's (``lang``), else English."""
    return _language.get() or _session_language() or DEFAULT


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` (tests, scripts, the figure builders called directly)."""
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


def _catalogue() -> gettext.NullTranslations:
    """The catalogue of the language in use."""
    return _translations(current(), _locale_folder())


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _catalogue().gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` (Ukrainian has three: 1 рік, 2 роки, 5 років)."""
    return _catalogue().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for the catalogue; it is translated with ``_()`` where it is shown."""
    return message


def translate(marked: str) -> str:
    """A message marked with ``N_`` where it was written (a constant, a page title), in the language in use."""
    return _catalogue().gettext(marked)


def translated_values(mapping: dict[str, str]) -> dict[str, str]:
    """A vocabulary (id → English words marked with ``N_``) in the language in use."""
    return {key: translate(value) for key, value in mapping.items()}


def preferred(accept_language: str | None) -> str:
    """The first of our languages a browser asks for (``Accept-Language`` or ``navigator.language``), else English."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower().replace("_", "-")
        code = tag.split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang or current(), "en_GB"))


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def format_date(value: date | datetime, style: str = "long") -> str:
    """A day: "5 December 1994" / "5 грудня 1994 р." (``style="medium"``: "5 Dec 1994" / "5 груд. 1994 р.")."""
    return babel_dates.format_date(_as_date(value), style, locale=babel_locale())


def format_month(value: date | datetime, abbreviated: bool = False) -> str:
    """A month of a year: "December 1994" / "грудень 1994 р." (abbreviated: "Dec 1994")."""
    return babel_dates.format_skeleton("yMMM" if abbreviated else "yMMMM", _as_date(value), locale=babel_locale())


def month_name(value: date | datetime, in_date: bool = False, abbreviated: bool = False) -> str:
    """A month alone ("January" / "січень"; abbreviated "Jan" / "січ.").

    ``in_date``: the form a month takes inside a date or after a preposition ("to April" → «до квітня»,
    CLDR's format context), not the standalone one.
    """
    width = "MMM" if abbreviated else "MMMM"
    pattern = width if in_date else width.replace("M", "L")
    return babel_dates.format_date(_as_date(value), pattern, locale=babel_locale())


def format_number(value: float, digits: int = 0) -> str:
    """A number with the locale's separators: 12,345.6 / 12 345,6."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(value, pattern, locale=babel_locale())


def format_percent(share: float, digits: int = 0) -> str:
    """A share (0.45) as a percentage: 45% / 45 %."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel_numbers.format_percent(share, pattern, locale=babel_locale())


def format_money(amount: float, currency: str = "EUR", digits: int = 1) -> str:
    """A large amount in short form: "€1.2B" / "1,2 млрд €" (``amount`` in units, not billions)."""
    locale = babel_locale()
    text = babel_numbers.format_compact_currency(amount, currency, locale=locale, fraction_digits=digits)
    sign = CURRENCY_SIGNS.get(currency)
    return text.replace(babel_numbers.get_currency_symbol(currency, locale), sign) if sign else text


def format_list(items: Iterable[str], style: str = "standard") -> str:
    """"A, B and C" / "A, B і C"."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(list(items), style=style, locale=babel_locale())


# Ukrainian alphabetical order (Unicode puts ґ, є, і, ї after я); other letters keep their code point order after it.
UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_UK_RANK = {letter: rank for rank, letter in enumerate(UKRAINIAN_ALPHABET)}


def sort_key(text: str) -> tuple:
    """A key that sorts names alphabetically in the language in use (Ukrainian: а б в г ґ д е є …)."""
    folded = text.casefold().replace("'", "").replace("ʼ", "").replace("’", "")
    if current() != "uk":
        return (folded,)
    return tuple((0, _UK_RANK[c]) if c in _UK_RANK else (1, ord(c)) for c in folded)


# --- Helpers for the figures (amounts in billions, axes) -------------------------------------------


def format_bn(amount_bn: float, currency: str = "EUR", digits: int = 1) -> str:
    """An amount given in billions, in short form: 7.1 → "€7.1B" / "7,1 млрд €" (small ones: "€30M")."""
    return format_money(amount_bn * 1e9, currency, digits)


def money_affixes(currency: str = "EUR") -> tuple[str, str]:
    """What stands before and after a number of billions on an axis: ("€", "B") / ("", " млрд €")."""
    text = format_bn(7, currency, 0)
    prefix, _seven, suffix = text.partition("7")
    return prefix, suffix


def format_year(value: date | datetime | int) -> str:
    """A year alone, as the locale writes it ("1994")."""
    day = date(value, 1, 1) if isinstance(value, int) else _as_date(value)
    return babel_dates.format_skeleton("y", day, locale=babel_locale())


def plotly_separators() -> str:
    """Plotly's ``layout.separators`` (decimal mark, then thousands): ".," / ", " (a no-break space)."""
    locale = babel_locale()
    return locale.number_symbols["latn"]["decimal"] + locale.number_symbols["latn"]["group"]
