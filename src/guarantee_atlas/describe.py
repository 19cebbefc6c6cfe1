"""A chart's description in words, computed from the rows it shows (pure: no Streamlit).

Screen readers read it in place of the chart (the chart element points at it
with ``aria-describedby``) and anyone can open it under the chart ("Describe
this chart"). It is never written by hand: what the chart shows, how many
items, the largest and smallest (or the first and last), what the country
filter highlights and how far the facts reach all come from ``ChartSpec.data``,
so the words stay true when the data or the filter change.

A chart says what its rows are with a few hints (``Describe``); without them
the description counts the rows and names the columns. The ``*_hints``
functions at the end give each chart of the atlas its hints in the language in
use; the sentences are whole messages of the catalogue, counts take the
language's plural forms (``n_``: 1 країна, 2 країни, 5 країн) and dates and
amounts are Babel's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, Union

import pandas as pd

from . import i18n, vocab
from .countries import country_name
from .i18n import N_, _, n_
from .memo import memoized
from .schema import split_ids

MAX_NAMED = 3  # ties named before "and N more"

# Words a page may pass as hints in English, marked for the catalogue; ``describe`` translates them where
# it uses them (words already in the language in use, as the ``*_hints`` functions give them, stay as they are).
KNOWN_WORDS = (
    N_("Chart"), N_("Map"), N_("Bar chart"), N_("Line chart"), N_("Dot matrix"), N_("Scorecard"), N_("Timeline"),
    N_("largest"), N_("smallest"), N_("most models"), N_("fewest"),
    N_("how binding"), N_("type of aid"), N_("type of aid (bar segments)"), N_("currency (one panel each)"),
    N_("disputed coding"), N_("disputed"), N_("not disputed"), N_("lane"), N_("role"),
)


def _counter(singular: str, plural: str) -> Callable[[int], str]:
    return lambda n: f"{n} {singular if n == 1 else plural}"


# "{n} countries" in the language in use, for the things the atlas's charts draw (by the English singular and
# plural a page may name them with); another noun is counted in English.
COUNTED: dict[str, Callable[[int], str]] = {
    "row": lambda n: n_("{n} row", "{n} rows", n).format(n=n),
    "country": lambda n: n_("{n} country", "{n} countries", n).format(n=n),
    "donor": lambda n: n_("{n} donor", "{n} donors", n).format(n=n),
    "agreement": lambda n: n_("{n} agreement", "{n} agreements", n).format(n=n),
    "yearly amount": lambda n: n_("{n} yearly amount", "{n} yearly amounts", n).format(n=n),
    "provision": lambda n: n_("{n} provision", "{n} provisions", n).format(n=n),
    "model": lambda n: n_("{n} model", "{n} models", n).format(n=n),
    "dimension": lambda n: n_("{n} dimension", "{n} dimensions", n).format(n=n),
    "entry": lambda n: n_("{n} entry", "{n} entries", n).format(n=n),
    "year": lambda n: n_("{n} year", "{n} years", n).format(n=n),
}
PLURALS = {
    "rows": "row", "countries": "country", "donors": "donor", "agreements": "agreement",
    "yearly amounts": "yearly amount", "provisions": "provision", "models": "model", "dimensions": "dimension",
    "entries": "entry", "years": "year",
}

# A value's words: a format string ("{:,.2f}bn", English) or a function of the value and its group (the
# currency of ``value_per``, else None) that writes it in the language in use.
ValueFormat = Union[str, Callable[[float, Union[str, None]], str]]


@dataclass(frozen=True)
class Describe:
    """What a chart's rows are, for its description.

    ``kind``: the chart's form ("Map", "Bar chart"). ``item``/``items``: what one
    thing drawn is, singular and plural (``count``: a function writing "N items"
    in the language in use, else the nouns of ``COUNTED``). ``key``: the column identifying an item
    (its distinct values are counted; None: every row is an item). ``label``:
    the column (or columns, joined) naming an item. ``value``: a numeric column,
    added up per item (``value_agg``: "sum", "max" or "nunique"), for the largest
    and smallest, written with ``value_format``; ``value_per``: a column (a
    currency) that splits them, never added across. ``date``: a date column for
    the first and last item. ``breakdown``: a column whose values are counted
    ("By role: 12 guarantor, 3 assurer"), with ``breakdown_labels`` as words
    for its values. ``countries``: the column of ISO3 codes (``;``-separated)
    the country filter is looked up in; ``highlights``: the chart marks the
    filter's countries. ``extra_counts``: (column, plural noun) pairs counted
    too ("across 15 dimensions"). ``extremes``: the words for the largest and
    the smallest ("most models", "fewest").
    """

    kind: str = "Chart"
    item: str = "row"
    items: str | None = None
    key: str | None = None
    label: str | tuple[str, ...] | None = None
    value: str | None = None
    value_agg: str = "sum"
    value_format: ValueFormat = "{:,.2f}"
    value_per: str | None = None
    date: str | None = None
    breakdown: str | None = None
    breakdown_name: str | None = None
    breakdown_labels: tuple[tuple[str, str], ...] = ()
    countries: str | None = None
    highlights: bool = False
    extra_counts: tuple[tuple[str, str], ...] = ()
    extremes: tuple[str, str] = ("largest", "smallest")
    count: Callable[[int], str] | None = None

    @property
    def plural(self) -> str:
        return self.items or f"{self.item}s"

    def count_items(self, n: int) -> str:
        """'12 countries' in the language in use."""
        if self.count is not None:
            return self.count(n)
        return _count(n, self.item, self.plural)


def _count(n: int, singular: str, plural: str) -> str:
    counter = COUNTED.get(singular) or COUNTED.get(PLURALS.get(plural, ""))
    return counter(n) if counter else _counter(singular, plural)(n)


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more' ('A, B і C', 'A, B, C і ще 2')."""
    names = list(names)
    if len(names) > MAX_NAMED:
        return _("{names} and {n} more").format(names=", ".join(names[:MAX_NAMED]), n=len(names) - MAX_NAMED)
    if len(names) <= 1:
        return "".join(names)
    return i18n.format_list(names)


def _row_names(n: int) -> list[str]:
    return [_("row {number}").format(number=i + 1) for i in range(n)]


def _labels(data: pd.DataFrame, hints: Describe) -> pd.Series:
    """Each row's item name."""
    columns = hints.label or hints.key
    if columns is None:
        return pd.Series(_row_names(len(data)), index=data.index, dtype=object)
    if isinstance(columns, str):
        columns = (columns,)
    present = [c for c in columns if c in data.columns]
    if not present:
        return pd.Series(_row_names(len(data)), index=data.index, dtype=object)
    # Joined in Python: a row-wise ``agg`` took 10 ms of a timeline's description (2026-12-08).
    columns_text = [data[c].astype(str).tolist() for c in present]
    return pd.Series([" ".join(parts) for parts in zip(*columns_text)], index=data.index, dtype=object)


def _item_keys(data: pd.DataFrame, hints: Describe) -> pd.Series:
    if hints.key and hints.key in data.columns:
        return data[hints.key].astype(str)
    return pd.Series(range(len(data)), index=data.index).astype(str)


def _value_text(hints: Describe, value: float, per: str | None) -> str:
    fmt = hints.value_format
    return fmt(value, per) if callable(fmt) else fmt.format(value)


def _extremes(data: pd.DataFrame, hints: Describe) -> str:
    """'Largest: Germany (€12.3B); smallest: Malta (€10M).'"""
    if not hints.value or hints.value not in data.columns:
        return ""
    frame = data.assign(_key=_item_keys(data, hints), _label=_labels(data, hints))
    groups = [(None, frame)]
    if hints.value_per and hints.value_per in data.columns:
        groups = [(str(per), part) for per, part in frame.groupby(hints.value_per, sort=False)]
    largest, smallest = (_(word) for word in hints.extremes)
    parts = []
    for per, part in groups:
        by_item = part.groupby("_key", sort=False).agg(label=("_label", "first"), value=(hints.value, hints.value_agg))
        by_item = by_item.dropna(subset=["value"])
        if by_item.empty:
            continue

        def at(value) -> str:
            names = by_item.loc[by_item["value"] == value, "label"].tolist()
            return f"{_names(names)} ({_value_text(hints, value, per)})"

        top, bottom = by_item["value"].max(), by_item["value"].min()
        if top == bottom:
            if len(by_item) > 1:
                text = _("all at {value}").format(value=_value_text(hints, top, per))
            else:
                text = _("value {value} ({label})").format(
                    value=_value_text(hints, top, per), label=by_item["label"].iloc[0]
                )
        else:
            text = _("{largest}: {top}; {smallest}: {bottom}").format(
                largest=largest, top=at(top), smallest=smallest, bottom=at(bottom)
            )
        text = text if per is None else _("In {group}: {text}").format(group=per, text=text)
        parts.append(text[:1].upper() + text[1:])
    if not parts:
        return ""
    return ". ".join(parts) + "."


def _first_last(data: pd.DataFrame, hints: Describe) -> str:
    """'First: 5 Dec 1994, Budapest Memorandum; last: 6 Jan 2026, Paris Declaration.'"""
    if not hints.date or hints.date not in data.columns:
        return ""
    dates = pd.to_datetime(data[hints.date], errors="coerce")
    if dates.notna().sum() == 0:
        return ""
    labels = _labels(data, hints)
    first, last = dates.idxmin(), dates.idxmax()
    first_date = i18n.format_date(dates[first], "medium")
    if first == last:
        return _("First: {date}, {label}.").format(date=first_date, label=labels[first])
    return _("First: {date}, {label}; last: {last_date}, {last_label}.").format(
        date=first_date, label=labels[first], last_date=i18n.format_date(dates[last], "medium"),
        last_label=labels[last],
    )


def _breakdown(data: pd.DataFrame, hints: Describe) -> str:
    """'By level: 20 political commitment, 10 absent.' (rows per value, most first)."""
    if not hints.breakdown or hints.breakdown not in data.columns:
        return ""
    words = dict(hints.breakdown_labels)
    counts = data[hints.breakdown].dropna().astype(str).value_counts(sort=True)
    if counts.empty:
        return ""
    name = _(hints.breakdown_name or hints.breakdown.replace("_", " "))
    shown = ", ".join(
        _("{n} {label}").format(n=n, label=_(words.get(v, v.replace("_", " ")))) for v, n in counts.items()
    )
    return _("By {name}: {values}.").format(name=name, values=shown)


def _highlight(data: pd.DataFrame, hints: Describe, chosen: Sequence[str], n_items: int) -> str:
    """What the country filter marks: each chosen country, in the chart or not."""
    if not hints.highlights:
        return ""
    if not chosen:
        return _("No country is highlighted (the country filter is empty).")
    column = hints.countries
    if not column or column not in data.columns:
        return _("Highlighted from the country filter: {countries}.").format(
            countries=_names([country_name(c) for c in chosen])
        )
    codes_per_row = data[column].map(lambda ids: set(split_ids(ids)) if isinstance(ids, str) else set())
    keys = _item_keys(data, hints)
    parts = []
    for code in chosen:
        hits = keys[codes_per_row.map(lambda codes: code in codes)].nunique()
        name = country_name(code)
        if column == hints.key:
            part = (_("{country} (in the chart)") if hits else _("{country} (not in the chart)")).format(country=name)
        elif hits:
            part = _("{country} (named in {hits} of the {items})").format(
                country=name, hits=hits, items=hints.count_items(n_items)
            )
        else:
            part = _("{country} (named in none)").format(country=name)
        parts.append(part)
    listed = _names(parts) if len(parts) <= MAX_NAMED else ", ".join(parts)
    return _("Highlighted from the country filter: {countries}.").format(countries=listed)


def describe(data: pd.DataFrame, hints: Describe | None = None, *, countries: Sequence[str] = (),
             dates: str = "") -> str:
    """The description of a chart whose rows are ``data``, in the language in use.

    ``countries``: the country filter (ISO3 codes); ``dates``: how far the facts
    reach and when the sources were checked, as the caption says it.
    """
    if hints is None:
        columns = [c for c in data.columns if c != "source_ids"]
        rows = _count(len(data), "row", "rows")
        if columns:
            named = (
                _names(columns) if len(columns) <= 6
                else _("{names} and {n} more").format(names=", ".join(columns[:6]), n=len(columns) - 6)
            )
            sentences = [_("Chart of {rows}, with the columns {columns}.").format(rows=rows, columns=named)]
        else:
            sentences = [_("Chart of {rows}.").format(rows=rows)]
    else:
        n_items = _item_keys(data, hints).nunique()
        head = _("{kind} of {items}").format(kind=_(hints.kind), items=hints.count_items(n_items))
        extra = [
            _count(data[column].nunique(), PLURALS.get(noun, noun.removesuffix("s")), noun)
            for column, noun in hints.extra_counts
            if column in data.columns
        ]
        if extra:
            head = _("{head} across {counts}").format(head=head, counts=_names(extra))
        if hints.key and n_items != len(data):
            head = _("{head} ({rows} of data)").format(head=head, rows=_count(len(data), "row", "rows"))
        sentences = [head + "."]
        sentences += [
            _breakdown(data, hints),
            _extremes(data, hints),
            _first_last(data, hints),
            _highlight(data, hints, list(countries), n_items),
        ]
    if dates:
        sentences.append(dates.rstrip(".") + ".")
    return " ".join(s for s in sentences if s)


def in_sentence(label: str) -> str:
    """A label inside a sentence: 'Recipient (Ukraine)' → 'recipient (Ukraine)', 'G7 signatory' unchanged."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# --- Each chart's hints, in the language in use (call them where the chart is drawn) ----------------------


def _eur(digits: int = 1) -> Callable[[float, str | None], str]:
    return lambda value, per=None: i18n.format_bn(value, "EUR", digits)


@memoized(maxsize=16)
def role_map_hints(registry, *, with_aid: bool = False) -> Describe:
    """A role map: one item per country, its rows broken down by role, Kiel aid when the lines are drawn."""
    aid = {}
    if with_aid:
        aid = {
            "value": "kiel_aid_eur_bn", "value_agg": "max",
            "value_format": lambda value, per=None: _("{amount} aid allocated").format(
                amount=i18n.format_bn(value, "EUR", 1)
            ),
        }
    return Describe(
        kind=_("Map"), item="country", items="countries", key="iso3", label="country", countries="iso3",
        highlights=True, breakdown="role", breakdown_name=_("role"),
        breakdown_labels=tuple((r.role_id, in_sentence(r.label)) for r in registry.roles),
        extremes=(_("largest"), _("smallest")), **aid,
    )


@memoized(maxsize=16)
def overview_map_hints(n_models: int) -> Describe:
    """The home map: countries, by how many of the ``n_models`` models name them."""
    def named(value: float, per=None) -> str:
        return n_("named in {n} of the {total} model", "named in {n} of the {total} models", n_models).format(
            n=i18n.format_number(value), total=n_models
        )

    return Describe(
        kind=_("Map"), item="country", items="countries", key="iso3", label="country", countries="iso3",
        highlights=True, value="model_id", value_agg="nunique", value_format=named,
        extremes=(_("most models"), _("fewest")),
    )


@memoized(maxsize=16)
def provisions_hints() -> Describe:
    """The matrix of what each model promises: provisions across models, by how binding."""
    return Describe(
        kind=_("Dot matrix"), item="provision", key="provision", label="provision",
        extra_counts=(("model_id", "models"),), breakdown="level", breakdown_name=_("how binding"),
        breakdown_labels=tuple((k, in_sentence(v)) for k, v in vocab.levels().items()),
    )


@memoized(maxsize=16)
def aid_bars_hints(unit: str = "eur") -> Describe:
    """The aid bars: donors, by type of aid, in € billion or % of GDP."""
    def value_format(value: float, per=None) -> str:
        if unit == "gdp":
            return _("{share} of GDP").format(share=i18n.format_percent(value / 100, 2))
        return i18n.format_bn(value, "EUR", 2)

    return Describe(
        kind=_("Bar chart"), item="donor", key="iso3", label="donor", value="value", value_format=value_format,
        breakdown="aid_type", breakdown_name=_("type of aid (bar segments)"),
        breakdown_labels=tuple((k, in_sentence(v)) for k, v in vocab.aid_types().items()),
    )


@memoized(maxsize=16)
def country_aid_hints() -> Describe:
    """A donor's aid by year: years, each year's total in € billion, by type of aid."""
    return Describe(
        kind=_("Bar chart"), item="year", key="year", label="year", value="eur_bn",
        value_format=lambda value, per=None: i18n.format_bn(value, "EUR", 2),
        breakdown="aid_type", breakdown_name=_("type of aid (bar segments)"),
        breakdown_labels=tuple((k, in_sentence(v)) for k, v in vocab.aid_types().items()),
    )


@memoized(maxsize=16)
def pledge_hints() -> Describe:
    """The pledge panels: agreements, one panel per currency (amounts never compared across currencies)."""
    return Describe(
        kind=_("Bar chart"), item="agreement", key="iso3", label="partner", value="pledge_amount",
        value_per="pledge_currency", value_format=lambda value, per=None: i18n.format_bn(value, per or "EUR", 2),
        breakdown="pledge_currency", breakdown_name=_("currency (one panel each)"),
    )


@memoized(maxsize=16)
def benchmark_hints() -> Describe:
    """The Israel benchmark: yearly amounts per donor, in each currency."""
    return Describe(
        kind=_("Line chart"), item="yearly amount", label=("donor", "year"), value="per_year_bn", value_agg="max",
        value_per="currency",
        value_format=lambda value, per=None: _("{amount} a year").format(amount=i18n.format_bn(value, per or "EUR", 2)),
        extra_counts=(("donor", "donors"),),
    )


@memoized(maxsize=16)
def scorecard_hints() -> Describe:
    """The scorecard: models' points across the dimensions, how many codings are disputed."""
    def points(value: float, per=None) -> str:
        n = int(value)
        return n_("{n} point in all", "{n} points in all", n).format(n=n)

    return Describe(
        kind=_("Scorecard"), item="model", key="model_id", label="model_label", value="score", value_format=points,
        extra_counts=(("dimension", "dimensions"),), breakdown="disputed", breakdown_name=_("disputed coding"),
        breakdown_labels=(("True", _("disputed")), ("False", _("not disputed"))),
    )


@memoized(maxsize=16)
def timeline_hints(registry) -> Describe:
    """The timeline: entries, by lane, first and last, what names the chosen countries."""
    return Describe(
        kind=_("Timeline"), item="entry", items="entries", key="row_id", label="title", date="start",
        breakdown="lane", breakdown_name=_("lane"), breakdown_labels=tuple(registry.lane_labels().items()),
        countries="iso3s", highlights=True,
    )
