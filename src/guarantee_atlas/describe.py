"""A chart's description in words, computed from the rows it shows (pure: no Streamlit).

Screen readers read it in place of the chart (the chart element points at it
with ``aria-describedby``) and anyone can open it under the chart ("Describe
this chart"). It is never written by hand: what the chart shows, how many
items, the largest and smallest (or the first and last), what the country
filter highlights and how far the facts reach all come from ``ChartSpec.data``,
so the words stay true when the data or the filter change.

A chart says what its rows are with a few hints (``Describe``); without them
the description counts the rows and names the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from .countries import country_name
from .schema import split_ids

MAX_NAMED = 3  # ties named before "and N more"


@dataclass(frozen=True)
class Describe:
    """What a chart's rows are, for its description.

    ``kind``: the chart's form ("Map", "Bar chart"). ``item``/``items``: what one
    thing drawn is, singular and plural. ``key``: the column identifying an item
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
    value_format: str = "{:,.2f}"
    value_per: str | None = None
    date: str | None = None
    breakdown: str | None = None
    breakdown_name: str | None = None
    breakdown_labels: tuple[tuple[str, str], ...] = ()
    countries: str | None = None
    highlights: bool = False
    extra_counts: tuple[tuple[str, str], ...] = ()
    extremes: tuple[str, str] = ("largest", "smallest")

    @property
    def plural(self) -> str:
        return self.items or f"{self.item}s"


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    names = list(names)
    if len(names) > MAX_NAMED:
        return f"{', '.join(names[:MAX_NAMED])} and {len(names) - MAX_NAMED} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _labels(data: pd.DataFrame, hints: Describe) -> pd.Series:
    """Each row's item name."""
    columns = hints.label or hints.key
    if columns is None:
        return pd.Series([f"row {i + 1}" for i in range(len(data))], index=data.index)
    if isinstance(columns, str):
        columns = (columns,)
    present = [c for c in columns if c in data.columns]
    if not present:
        return pd.Series([f"row {i + 1}" for i in range(len(data))], index=data.index)
    return data[present].astype(str).agg(" ".join, axis=1)


def _item_keys(data: pd.DataFrame, hints: Describe) -> pd.Series:
    if hints.key and hints.key in data.columns:
        return data[hints.key].astype(str)
    return pd.Series(range(len(data)), index=data.index).astype(str)


def _extremes(data: pd.DataFrame, hints: Describe) -> str:
    """'Largest: Germany (€12.30bn); smallest: Malta (€0.01bn).'"""
    if not hints.value or hints.value not in data.columns:
        return ""
    frame = data.assign(_key=_item_keys(data, hints), _label=_labels(data, hints))
    groups = [("", frame)]
    if hints.value_per and hints.value_per in data.columns:
        groups = [(f"In {per}: ", part) for per, part in frame.groupby(hints.value_per, sort=False)]
    parts = []
    for prefix, part in groups:
        by_item = part.groupby("_key", sort=False).agg(label=("_label", "first"), value=(hints.value, hints.value_agg))
        by_item = by_item.dropna(subset=["value"])
        if by_item.empty:
            continue
        fmt = hints.value_format

        def at(value) -> str:
            names = by_item.loc[by_item["value"] == value, "label"].tolist()
            return f"{_names(names)} ({fmt.format(value)})"

        top, bottom = by_item["value"].max(), by_item["value"].min()
        if top == bottom:
            many = len(by_item) > 1
            parts.append(f"{prefix}{'all at' if many else 'value'} {fmt.format(top)}" + ("" if many else f" ({by_item['label'].iloc[0]})"))
        else:
            parts.append(f"{prefix}{hints.extremes[0]}: {at(top)}; {hints.extremes[1]}: {at(bottom)}")
    if not parts:
        return ""
    text = ". ".join(p[0].upper() + p[1:] for p in parts)
    return text + "."


def _first_last(data: pd.DataFrame, hints: Describe) -> str:
    """'First: 5 Dec 1994, Budapest Memorandum; last: 6 Jan 2026, Paris Declaration.'"""
    if not hints.date or hints.date not in data.columns:
        return ""
    dates = pd.to_datetime(data[hints.date], errors="coerce")
    if dates.notna().sum() == 0:
        return ""
    labels = _labels(data, hints)
    first, last = dates.idxmin(), dates.idxmax()
    text = f"First: {dates[first]:%-d %b %Y}, {labels[first]}"
    if first != last:
        text += f"; last: {dates[last]:%-d %b %Y}, {labels[last]}"
    return text + "."


def _breakdown(data: pd.DataFrame, hints: Describe) -> str:
    """'By level: 20 political commitment, 10 absent.' (rows per value, most first)."""
    if not hints.breakdown or hints.breakdown not in data.columns:
        return ""
    words = dict(hints.breakdown_labels)
    counts = data[hints.breakdown].dropna().astype(str).value_counts(sort=True)
    if counts.empty:
        return ""
    name = hints.breakdown_name or hints.breakdown.replace("_", " ")
    shown = ", ".join(f"{n} {words.get(v, v.replace('_', ' '))}" for v, n in counts.items())
    return f"By {name}: {shown}."


def _highlight(data: pd.DataFrame, hints: Describe, chosen: Sequence[str], n_items: int) -> str:
    """What the country filter marks: each chosen country, in the chart or not."""
    if not hints.highlights:
        return ""
    if not chosen:
        return "No country is highlighted (the country filter is empty)."
    column = hints.countries
    if not column or column not in data.columns:
        return f"Highlighted from the country filter: {_names([country_name(c) for c in chosen])}."
    codes_per_row = data[column].map(lambda ids: set(split_ids(ids)) if isinstance(ids, str) else set())
    keys = _item_keys(data, hints)
    parts = []
    for code in chosen:
        hits = keys[codes_per_row.map(lambda codes: code in codes)].nunique()
        if column == hints.key:
            where = "in the chart" if hits else "not in the chart"
        else:
            where = f"named in {hits} of the {_count(n_items, hints.item, hints.plural)}" if hits else "named in none"
        parts.append(f"{country_name(code)} ({where})")
    return f"Highlighted from the country filter: {_names(parts) if len(parts) <= MAX_NAMED else ', '.join(parts)}."


def describe(data: pd.DataFrame, hints: Describe | None = None, *, countries: Sequence[str] = (),
             dates: str = "") -> str:
    """The description of a chart whose rows are ``data``.

    ``countries``: the country filter (ISO3 codes); ``dates``: how far the facts
    reach and when the sources were checked, as the caption says it.
    """
    if hints is None:
        columns = [c for c in data.columns if c != "source_ids"]
        named = _names(columns) if len(columns) <= 6 else f"{', '.join(columns[:6])} and {len(columns) - 6} more"
        sentences = [f"Chart of {_count(len(data), 'row', 'rows')}" + (f", with the columns {named}." if columns else ".")]
    else:
        n_items = _item_keys(data, hints).nunique()
        head = f"{hints.kind} of {_count(n_items, hints.item, hints.plural)}"
        extra = [
            _count(data[column].nunique(), noun.removesuffix("s") if noun.endswith("s") else noun, noun)
            for column, noun in hints.extra_counts
            if column in data.columns
        ]
        if extra:
            head += " across " + _names(extra)
        if hints.key and n_items != len(data):
            head += f" ({_count(len(data), 'row', 'rows')} of data)"
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


def role_map_hints(registry, *, with_aid: bool = False) -> Describe:
    """A role map: one item per country, its rows broken down by role, Kiel aid when the lines are drawn."""
    return Describe(
        kind="Map", item="country", items="countries", key="iso3", label="country", countries="iso3", highlights=True,
        breakdown="role", breakdown_labels=tuple((r.role_id, in_sentence(r.label)) for r in registry.roles),
        **({"value": "kiel_aid_eur_bn", "value_agg": "max", "value_format": "€{:,.1f}bn aid allocated"} if with_aid else {}),
    )
