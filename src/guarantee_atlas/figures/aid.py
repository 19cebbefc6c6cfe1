"""Aid and promises: what each model promises, what guarantors gave and pledged,
and the US–Israel benchmark.

Pure functions: the shaping ones take the validated tables and return frames,
the ``build_*`` ones return plotly figures. Amounts are never converted between
currencies: each currency gets its own axis.
"""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import i18n, schema, theme, vocab
from ..comparison import sources_markdown
from ..countries import country_name, with_names
from ..downloads import escape_markdown
from ..i18n import N_, _, n_
from ..memo import memoized
from ..registry import Registry

# The word under each dot of the matrix (translated where drawn).
LEVEL_SHORT = {
    "legally_binding": N_("Binding"),
    "political_commitment": N_("Political"),
    "proposed": N_("Proposed"),
    "absent": N_("Absent"),
}
NBSP = "\u00a0"  # keeps "€ billion" and dates whole when the theme wraps a title
UNITS = {
    "eur": N_("€ billion"),
    "gdp": N_("%\u00a0of donor's 2021 GDP (the split by type derived)"),
}
TOP_N = 15
BENCHMARK_DONORS = 5
# The Kiel tracker's data start in January 2022 (its monthly rows run from
# Jan 2022 to the cut-off: facts_agreements.md §2.2), the span averaged over.
TRACKER_START = pd.Timestamp("2022-01-01")
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "US$", "CAD": "C$", "AUD": "A$", "JPY": "¥"}
CURRENCY_NAMES = {
    "EUR": N_("euros"),
    "GBP": N_("pounds sterling"),
    "USD": N_("US dollars"),
    "CAD": N_("Canadian dollars"),
    "SEK": N_("Swedish kronor"),
    "NOK": N_("Norwegian kroner"),
    "DKK": N_("Danish kroner"),
    "ISK": N_("Icelandic krónur"),
    "JPY": N_("yen"),
    "AUD": N_("Australian dollars"),
}
BAR_HEIGHT = 26
HOVER_WRAP = 60
GDP_NOTE = N_(
    "The tracker gives each donor's total bilateral aid as a share of its 2021 GDP; "
    "the split by type is derived in proportion to the euro amounts."
)


def unit_words(unit: str) -> str:
    """The unit of an aid chart in words, in the language in use ("€ billion" kept on one line)."""
    words = _(UNITS[unit])
    return words.replace(" ", NBSP) if unit == "eur" else words.replace("% ", "%" + NBSP, 1)


def _escape(text) -> str:
    """Data text for plotly's pseudo-HTML (hover, labels)."""
    return html.escape(str(text), quote=False)


def _wrapped(text, width: int = HOVER_WRAP) -> str:
    return theme.wrap_lines(_escape(text), width)


def _column_label(text: str) -> str:
    """A model's column heading in short lines ('Israel-<br>style<br>2023–'): four fit a 375 px phone."""
    return "<br>".join(textwrap.wrap(text, 8, break_long_words=False))


def publishers(source_ids: str, lookup: pd.Series) -> str:
    """'Publisher; Publisher' for a ;-list of source ids, each publisher once.

    ``lookup`` is the publisher by source id, built once per chart.
    """
    names = [lookup[s] for s in schema.split_ids(source_ids) if s in lookup.index]
    return "; ".join(dict.fromkeys(names))


def money(amount: float, currency: str = "EUR") -> str:
    """'€7.1B', 'SEK75B' / '7,1 млрд €': an amount in billions, short form (Babel, the language in use)."""
    return i18n.format_bn(amount, currency, 2 if amount < 10 else 1 if amount < 100 else 0)


def _axis_money(currency: str = "EUR") -> dict:
    """An axis of billions in ``currency``: the sign and the word around the numbers, as the language writes them.

    Where they are words ("10 млрд €"), every tick repeating them would crowd a phone's axis into a slant:
    the ticks are bare numbers and the axis is titled with the unit ("млрд €").
    """
    prefix, suffix = i18n.money_affixes(currency)
    if not any(c.isspace() for c in prefix + suffix):  # "€" and "B", "SEK" and "B": signs, not words
        return {"tickprefix": prefix, "ticksuffix": suffix}
    return {"tickprefix": "", "ticksuffix": "", "title": {"text": (prefix + suffix).strip(), "standoff": 4}}


# --- 1. What each model promises -------------------------------------------


def build_provisions_matrix(provisions: pd.DataFrame, sources: pd.DataFrame, registry: Registry) -> go.Figure:
    """Model × provision dots: the binding level as symbol, colour and a word.

    One trace per level (legend in words; a level no cell has still gets its
    legend entry, marked "none"); disputed cells get a ring. Hover gives the
    provision, the level, the detail and the source publishers.
    """
    frame = provisions.copy()
    model_labels = {m: _column_label(label) for m, label in registry.chart_labels().items()}
    provision_words, level_words = vocab.provisions(), vocab.levels()
    provision_labels = {p: theme.wrap_lines(label, 22) for p, label in provision_words.items()}
    frame["x"] = frame["model_id"].map(model_labels)
    frame["y"] = frame["provision"].map(provision_labels)
    lookup = sources.set_index("source_id")["publisher"]

    def coded(r) -> str:
        model, level = _escape(registry.chart_label(r.model_id)), level_words[r.level].lower()
        if r.disputed:
            return _("{model}: {level} (disputed)").format(model=model, level=level)
        return f"{model}: {level}"

    frame["hover"] = [
        f"<b>{_escape(provision_words[r.provision])}</b><br>{coded(r)}<br>{_wrapped(r.detail)}"
        "<br><i>{}</i>".format(_("Source: {publishers}").format(publishers=_wrapped(publishers(r.source_ids, lookup))))
        for r in frame.itertuples()
    ]
    fig = go.Figure()
    for level, label in level_words.items():
        rows = frame[frame["level"] == level]
        colour = theme.LEVEL_COLOURS[level]
        open_symbol = level in ("proposed", "absent")
        fig.add_trace(
            go.Scatter(
                x=list(rows["x"]) or [None],
                y=list(rows["y"]) or [None],
                mode="markers+text",
                name=label if len(rows) else _("{level} (none)").format(level=label),
                marker={
                    "symbol": theme.LEVEL_SYMBOLS[level],
                    "size": 14,
                    "color": colour,
                    "line": {"color": colour if open_symbol else theme.TEXT, "width": 2 if open_symbol else 1},
                },
                text=[_(LEVEL_SHORT[level])] * len(rows),
                textposition="bottom center",
                textfont={"size": 10, "color": theme.MUTED_TEXT},
                hovertext=list(rows["hover"]),
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    disputed = frame[frame["disputed"]]
    fig.add_trace(
        go.Scatter(
            x=list(disputed["x"]) or [None],
            y=list(disputed["y"]) or [None],
            mode="markers",
            name=_("Disputed (ring)") if len(disputed) else _("Disputed (none)"),
            marker={"symbol": "circle-open", "size": 24, "color": theme.OKABE_ITO["vermillion"],
                    "line": {"width": 1.5}},
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=46 * len(provision_labels) + 240,
        margin={"t": 60, "b": 120, "l": theme.label_margin(provision_labels.values(), 12)},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": list(model_labels.values()),
               "side": "top", "tickangle": 0, "fixedrange": True, "tickfont": {"size": 12}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(provision_labels.values()),
               "autorange": "reversed", "fixedrange": True, "tickfont": {"size": 12},
               "showgrid": True, "gridcolor": "#EFEFEF"},
        legend={"orientation": "h", "x": 0, "y": -0.01, "yanchor": "top"},
        hovermode="closest",
    )
    return fig


@memoized()
def level_counts(provisions: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """How many provisions each model holds at each level: model × level counts, in model and level order."""
    counts = provisions.pivot_table(
        index="model_id", columns="level", values="provision", aggfunc="count", fill_value=0
    )
    models = [m for m in registry.ids if m in counts.index]
    counts = counts.reindex(index=models, columns=list(vocab.LEVELS), fill_value=0)
    return counts.astype(int)


def level_summary(counts: pd.DataFrame, model_id: str) -> str:
    """'6 political commitments, 13 absent' for one model (levels with no provision left out)."""
    return ", ".join(vocab.level_count(level, int(n)) for level, n in counts.loc[model_id].items() if n)


# --- 2. What guarantors gave (Kiel) -------------------------------------------


def with_gdp_shares(aid: pd.DataFrame) -> pd.DataFrame:
    """Aid rows plus ``pct_gdp``: the donor's bilateral % of 2021 GDP split by type.

    The tracker gives only each donor's total; a type's share is derived in
    proportion to its euro amount. Donors without a GDP figure (the EU
    institutions) keep a missing value.
    """
    out = aid.copy()
    total = out.groupby("iso3")["eur_bn"].transform("sum")
    share = (out["eur_bn"] / total.where(total > 0)).fillna(0.0)
    out["pct_gdp"] = out["bilateral_pct_gdp_2021"] * share
    return out


@dataclass(frozen=True)
class DonorView:
    """The rows behind the aid bars and what was left out, in words."""

    rows: pd.DataFrame
    n_donors: int
    not_tracked: list[str]
    without_gdp: list[str]


@memoized()
def donor_view(aid: pd.DataFrame, unit: str = "eur", iso3s=None, limit: int | None = TOP_N) -> DonorView:
    """Donor × type rows in ``unit`` ('eur' or 'gdp'), biggest donors first.

    ``iso3s`` limits the donors (a model's guarantors, the country filter);
    ``limit`` keeps the top donors (None: all). The EU institutions stay one
    donor of their own, never added to the member states.
    """
    frame = with_names(with_gdp_shares(aid))
    not_tracked: list[str] = []
    if iso3s is not None:
        wanted = list(dict.fromkeys(iso3s))
        not_tracked = [country_name(c) for c in wanted if c not in set(frame["iso3"])]
        frame = frame[frame["iso3"].isin(wanted)]
    without_gdp: list[str] = []
    if unit == "gdp":
        missing = frame["pct_gdp"].isna()
        without_gdp = sorted(frame.loc[missing, "donor"].unique(), key=i18n.sort_key)
        frame = frame[~missing]
    frame = frame.assign(value=frame["pct_gdp" if unit == "gdp" else "eur_bn"])
    totals = frame.groupby("iso3")["value"].sum().sort_values(ascending=False, kind="stable")
    ranks = {code: i + 1 for i, code in enumerate(totals.index)}
    frame = frame.assign(donor_total=frame["iso3"].map(totals), rank=frame["iso3"].map(ranks))
    kept = frame if limit is None else frame[frame["rank"] <= limit]
    type_order = {t: i for i, t in enumerate(vocab.AID_TYPES)}
    kept = kept.sort_values(["rank", "aid_type"], key=lambda s: s.map(type_order) if s.name == "aid_type" else s)
    return DonorView(kept.reset_index(drop=True), len(totals), not_tracked, without_gdp)


def country_list(codes, shown: int = 4) -> str:
    """'Poland, Germany and 3 more': names for a title."""
    names = ", ".join(country_name(c) for c in codes[:shown])
    if len(codes) > shown:
        return _("{names} and {n} more").format(names=names, n=len(codes) - shown)
    return names


def value_text(value: float, unit: str) -> str:
    """'€115.4B', '€34M', '0.59%' / '115,4 млрд €', '0,59%': small shares keep one significant digit."""
    if unit == "gdp":
        digits = 2 if value >= 0.01 or value == 0 else max(2, -math.floor(math.log10(abs(value))))
        return i18n.format_percent(value / 100, digits)
    return i18n.format_bn(value, "EUR", 1)


def aid_title(unit: str, cutoff: pd.Timestamp, scope: str, shown: int, total: int) -> str:
    """'Aid allocated to Ukraine by <scope>, € billion, to 30 Apr 2026 (top 15 of 41)'.

    In % of GDP the title says that the split by type is derived. ``scope`` comes from the page,
    in the language in use.
    """
    day = i18n.format_date(cutoff, "medium").replace(" ", NBSP)
    if shown < total:
        return _("Aid allocated to Ukraine by {scope}, {unit}, to {date} (top {shown} of {total})").format(
            scope=scope, unit=unit_words(unit), date=day, shown=shown, total=total
        )
    return _("Aid allocated to Ukraine by {scope}, {unit}, to {date}").format(
        scope=scope, unit=unit_words(unit), date=day
    )


def _bar_hover(row, label: str, unit: str) -> str:
    text = f"<b>{_escape(row.donor)}</b> · {label}<br>{value_text(row.value, unit)}"
    if unit == "gdp":
        text += " " + _("(derived from {amount})").format(amount=i18n.format_bn(row.eur_bn, "EUR", 2))
    if isinstance(row.note, str):
        text += f"<br><i>{_wrapped(row.note)}</i>"
    return text


def build_aid_bars(rows: pd.DataFrame, unit: str = "eur") -> go.Figure:
    """Stacked horizontal bars by donor and aid type, biggest donor on top, total at the end.

    Each type has its colour and its fill pattern; hover says where a % of
    GDP value is derived (see ``aid_title``).
    """
    donors = list(dict.fromkeys(rows.sort_values("rank")["donor"]))
    totals = rows.drop_duplicates("donor").set_index("donor")["donor_total"].reindex(donors)
    fig = go.Figure()
    for aid_type, label in vocab.aid_types().items():
        part = rows[rows["aid_type"] == aid_type]
        fig.add_trace(
            go.Bar(
                y=part["donor"],
                x=part["value"],
                orientation="h",
                name=label,
                marker=theme.aid_type_marker(aid_type),
                hovertext=[_bar_hover(r, label, unit) for r in part.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    labels = [value_text(v, unit) for v in totals]
    fig.add_trace(
        go.Scatter(y=donors, x=list(totals), text=labels, mode="text",
                   textposition="middle right", showlegend=False, hoverinfo="skip", cliponaxis=False,
                   textfont={"size": 12})
    )
    largest = float(totals.max()) if len(totals) else 1.0
    # The totals stand right of their bars, in a margin as wide as the longest (in pixels, so that they fit
    # on a phone as on a desktop: "29,9 млрд €" is longer than "€29.9B").
    label_room = theme.label_margin(labels, 12) if labels else 0
    fig.update_layout(
        barmode="stack",
        height=BAR_HEIGHT * max(len(donors), 3) + 220,
        margin={"t": 40, "l": theme.label_margin(donors, theme.BASE_FONT_SIZE), "r": label_room},
        yaxis={"categoryorder": "array", "categoryarray": donors, "autorange": "reversed", "fixedrange": True},
        xaxis={"range": [0, largest * 1.02], "nticks": 5, "gridcolor": "#E6E6E6", "fixedrange": True,
               **({"ticksuffix": "%", "tickprefix": ""} if unit == "gdp" else _axis_money())},
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        bargap=0.3,
    )
    return fig


# --- 3. What the agreements pledge ---------------------------------------------


@memoized()
def pledge_rows(agreements: pd.DataFrame, iso3s=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The agreements' pledges: (with an amount, without one), optionally for some countries.

    Rows with an amount are ordered by currency (most pledges first), then amount.
    """
    frame = agreements if iso3s is None else agreements[agreements["iso3"].isin(list(iso3s))]
    has_amount = frame["pledge_amount"].notna()
    stated = frame[has_amount].copy()
    counts = stated["pledge_currency"].value_counts()
    stated["currency_rank"] = stated["pledge_currency"].map(lambda c: (-counts[c], c))
    stated = stated.sort_values(["currency_rank", "pledge_amount"], ascending=[True, False], kind="stable")
    unstated = frame[~has_amount].sort_values("date_signed", kind="stable")
    return stated.drop(columns="currency_rank").reset_index(drop=True), unstated.reset_index(drop=True)


@memoized()
def unstated_pledges_markdown(unstated: pd.DataFrame, sources: pd.DataFrame) -> str:
    """A markdown list of the agreements that state no amount: partner, date, wording, sources."""
    return "\n".join(
        "- **{partner}** ({signed}): {pledge} · {source}".format(
            partner=escape_markdown(r.partner),
            signed=_("signed {date}").format(date=i18n.format_date(r.date_signed, "medium")),
            pledge=escape_markdown(r.pledge_text),
            source=_("Source: {publishers}").format(
                publishers=sources_markdown(r.source_ids, sources) or _("none recorded")
            ),
        )
        for r in unstated.itertuples()
    )


def currency_title(code: str) -> str:
    """'Euros (EUR), billions'."""
    name = _(CURRENCY_NAMES[code]) if code in CURRENCY_NAMES else code
    return _("{currency} ({code}), billions").format(currency=f"{name[:1].upper()}{name[1:]}", code=code)


def pledge_label(amount: float, currency: str, period) -> str:
    """'€7.1bn · 2024', 'SEK 75bn · 2024–2026'."""
    text = money(amount, currency)
    return f"{text} · {period.replace('-', '–')}" if isinstance(period, str) else text


def build_pledge_panels(stated: pd.DataFrame) -> go.Figure:
    """One panel per currency (never two currencies on one axis), a bar per agreement."""
    currencies = list(dict.fromkeys(stated["pledge_currency"]))
    heights = [BAR_HEIGHT * int((stated["pledge_currency"] == c).sum()) for c in currencies]
    gap = 70
    plot_height = sum(heights) + gap * max(len(currencies) - 1, 0)
    fig = make_subplots(
        rows=max(len(currencies), 1),
        cols=1,
        row_heights=heights or None,
        vertical_spacing=gap / plot_height if len(currencies) > 1 else 0.0,
        subplot_titles=[currency_title(c) for c in currencies],
    )
    for index, currency in enumerate(currencies, start=1):
        rows = stated[stated["pledge_currency"] == currency]
        hover = [
            f"<b>{_escape(r.partner)}</b> · "
            + _("signed {date}").format(date=i18n.format_date(r.date_signed, "medium"))
            + f"<br>{_wrapped(r.pledge_text)}"
            for r in rows.itertuples()
        ]
        fig.add_trace(
            go.Bar(
                y=rows["partner"],
                x=rows["pledge_amount"],
                orientation="h",
                name=currency,
                showlegend=False,
                marker={"color": theme.OKABE_ITO["blue"]},
                text=[pledge_label(a, currency, p) for a, p in zip(rows["pledge_amount"], rows["pledge_period"])],
                textposition="auto",
                insidetextanchor="end",
                cliponaxis=False,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=index,
            col=1,
        )
        fig.update_xaxes(range=[0, float(rows["pledge_amount"].max()) * 1.5], **_axis_money(currency),
                         nticks=4, row=index, col=1)
    fig.update_xaxes(gridcolor="#E6E6E6", fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    for annotation in fig.layout.annotations:
        annotation.update(x=0, xanchor="left", align="left", font={"size": 13})
    fig.update_layout(
        height=plot_height + 170,
        margin={"l": theme.label_margin(stated["partner"], theme.BASE_FONT_SIZE)},
        bargap=0.25,
        uniformtext={"minsize": 10, "mode": "show"},
    )
    return fig


# --- 4. The Israel benchmark -----------------------------------------------------

DONOR_STYLES = [  # colour and symbol per benchmark donor, in rank order
    (theme.OKABE_ITO["blue"], "circle"),
    (theme.OKABE_ITO["orange"], "square"),
    (theme.OKABE_ITO["green"], "diamond"),
    (theme.OKABE_ITO["vermillion"], "triangle-up"),
    (theme.OKABE_ITO["purple"], "cross"),
    (theme.OKABE_ITO["sky_blue"], "x"),
]
BENCHMARK_TICKS = [2019, 2022, 2024, 2026, 2028]


@memoized()
def mou_per_year(mou: pd.DataFrame) -> pd.Series:
    """The latest US–Israel MOU: its years and US$ a year (total, FMF, missile defence)."""
    latest = mou.sort_values("fy_start").iloc[-1]
    years = int(latest["fy_end"]) - int(latest["fy_start"]) + 1
    parts = latest[["fmf_usd_bn_per_year", "missile_defence_usd_bn_per_year"]]
    per_year = float(parts.sum()) if parts.notna().all() else float(latest["total_usd_bn"]) / years
    return pd.Series({
        "mou_id": latest["mou_id"],
        "fy_start": int(latest["fy_start"]),
        "fy_end": int(latest["fy_end"]),
        "usd_bn_per_year": per_year,
        "fmf_usd_bn_per_year": latest["fmf_usd_bn_per_year"],
        "missile_defence_usd_bn_per_year": latest["missile_defence_usd_bn_per_year"],
        "source_ids": latest["source_ids"],
    })


@dataclass(frozen=True)
class UkraineYearly:
    """Aid to Ukraine a year from its biggest guarantors, and how it was computed.

    ``rows``: one row per donor and year (or per donor, averaged), with the
    amount by type and in total (€ bn) and whether the year is partial.
    """

    rows: pd.DataFrame
    averaged: bool
    period: str
    cutoff: pd.Timestamp


def months_covered(cutoff: pd.Timestamp) -> int:
    """Months of tracker data from January 2022 to the cut-off month, inclusive."""
    return (cutoff.year - TRACKER_START.year) * 12 + cutoff.month - TRACKER_START.month + 1


def _by_type(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    wide = rows.pivot_table(index=keys, columns="aid_type", values="eur_bn", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=list(vocab.AID_TYPES), fill_value=0.0)
    wide["total"] = wide.sum(axis=1)
    sources = rows.groupby(keys)["source_ids"].first()
    return wide.join(sources).reset_index()


@memoized()
def ukraine_per_year(
    aid: pd.DataFrame, aid_yearly: pd.DataFrame | None, iso3s, top_n: int = BENCHMARK_DONORS
) -> UkraineYearly:
    """Aid to Ukraine a year from the ``top_n`` biggest of ``iso3s`` (by total allocated).

    With ``aid_yearly`` the rows are the tracker's calendar years, the cut-off
    year marked as partial; without it, each donor's total divided by the
    years the tracker covers, marked as an average.
    """
    donors = donor_view(aid, "eur", iso3s, limit=top_n).rows
    cutoff = aid["cutoff_date"].iloc[0]
    ranks = donors.drop_duplicates("iso3").set_index("iso3")["rank"]
    if aid_yearly is not None:
        yearly = with_names(aid_yearly[aid_yearly["iso3"].isin(ranks.index)])
        rows = _by_type(yearly, ["iso3", "donor", "year"])
        rows["partial"] = rows["year"] == cutoff.year
        first = int(rows["year"].min()) if len(rows) else cutoff.year
        period = f"{first}–{i18n.format_month(cutoff, abbreviated=True)}"
        averaged = False
    else:
        months = months_covered(cutoff)
        rows = _by_type(donors, ["iso3", "donor"])
        rows[[*vocab.AID_TYPES, "total"]] = rows[[*vocab.AID_TYPES, "total"]] * 12 / months
        rows["year"] = pd.NA
        rows["partial"] = False
        period = n_("{start}–{end}, {n} month", "{start}–{end}, {n} months", months).format(
            start=i18n.format_month(TRACKER_START, abbreviated=True),
            end=i18n.format_month(cutoff, abbreviated=True),
            n=months,
        )
        averaged = True
    rows["rank"] = rows["iso3"].map(ranks)
    rows = rows.sort_values(["rank", "year"], kind="stable").reset_index(drop=True)
    return UkraineYearly(rows, averaged, period, cutoff)


def _year_fraction(day: pd.Timestamp) -> float:
    return day.year + (day.month - 1) / 12


def _ukraine_hover(row) -> str:
    if pd.isna(row.year):
        when = _("average a year")
    elif row.partial:
        when = _("{year} (January to cut-off only)").format(year=row.year)
    else:
        when = f"{row.year}"
    parts = "<br>".join(
        f"{label}: {i18n.format_bn(getattr(row, t), 'EUR', 1)}" for t, label in vocab.aid_types().items()
    )
    head = _("{donor} → Ukraine, {when}").format(donor=_escape(row.donor), when=when)
    total = _("Total: {amount}").format(amount=i18n.format_bn(row.total, "EUR", 1))
    return f"<b>{head}</b><br>{total}<br>{parts}"


@memoized()
def benchmark_table(mou: pd.Series, ukraine: UkraineYearly) -> pd.DataFrame:
    """The rows behind the benchmark chart, one currency per row, never converted."""
    israel = pd.DataFrame([{
        "series": _("US aid to Israel (MOU)"), "donor": country_name("USA"), "recipient": country_name("ISR"),
        "year": _("FY{start}–FY{end}").format(start=mou["fy_start"], end=mou["fy_end"]), "currency": "USD",
        "per_year_bn": mou["usd_bn_per_year"], "military_bn": mou["usd_bn_per_year"],
        "basis": _("MOU amount a year"), "source_ids": mou["source_ids"],
    }])
    rows = ukraine.rows
    basis = (
        _("tracker total averaged over {period}").format(period=ukraine.period)
        if ukraine.averaged
        else _("tracker calendar year")
    )
    partial = _("{basis} (partial year)").format(basis=basis)
    to_ukraine = pd.DataFrame({
        "series": _("Aid to Ukraine (Kiel)"), "donor": rows["donor"], "recipient": country_name("UKR"),
        "year": rows["year"].map(lambda y: _("average") if pd.isna(y) else str(y)),
        "currency": "EUR", "per_year_bn": rows["total"], "military_bn": rows["military"],
        "financial_bn": rows["financial"], "humanitarian_bn": rows["humanitarian"],
        "basis": [partial if p else basis for p in rows["partial"]],
        "source_ids": rows["source_ids"],
    })
    return pd.concat([israel, to_ukraine], ignore_index=True)


def build_israel_benchmark(mou: pd.Series, ukraine: UkraineYearly) -> go.Figure:
    """Two panels, one per currency, on the same years: US aid to Israel under its
    MOU (US$ a year, fixed for ten years) and aid to Ukraine from its biggest
    guarantors (€ a year; a flat dashed line where only an average is known).
    """
    panel_titles = [
        _("US aid to Israel under the FY{start}–{end} MOU, US$ billion a year").format(
            start=mou["fy_start"], end=mou["fy_end"]
        ),
        _("Aid to Ukraine from its biggest guarantors, € billion a year on average ({period})").format(
            period=ukraine.period
        )
        if ukraine.averaged
        else _(
            "Aid to Ukraine from its biggest guarantors, € billion a year ({period}; open symbols: {year} to {month} only)"
        ).format(period=ukraine.period, year=ukraine.cutoff.year, month=i18n.month_name(ukraine.cutoff, in_date=True)),
    ]
    fig = make_subplots(rows=2, cols=1, row_heights=[0.32, 0.68], vertical_spacing=0.16,
                        subplot_titles=[theme.wrap_lines(t, 46) for t in panel_titles])
    years = list(range(mou["fy_start"], mou["fy_end"] + 1))
    parts = ""
    if pd.notna(mou["fmf_usd_bn_per_year"]):
        parts = "<br>" + _("Foreign Military Financing {fmf} + missile defence {missile_defence}").format(
            fmf=i18n.format_bn(mou["fmf_usd_bn_per_year"], "USD", 1),
            missile_defence=i18n.format_bn(mou["missile_defence_usd_bn_per_year"], "USD", 1),
        )
    per_year = i18n.format_bn(mou["usd_bn_per_year"], "USD", 1)
    us_israel = _("US → Israel")
    fiscal_year = _("FY{year}").format(year="%{x}")
    fig.add_trace(
        go.Scatter(
            x=years, y=[mou["usd_bn_per_year"]] * len(years), mode="lines+markers+text",
            name=us_israel,
            line={"color": theme.TEXT, "width": 3}, marker={"symbol": "square", "size": 7, "color": theme.TEXT},
            text=[_("{amount} every year").format(amount=per_year)] + [""] * (len(years) - 1),
            textposition="top right",
            hovertemplate=f"<b>{us_israel}</b>, {fiscal_year}<br>{per_year}{parts}<extra></extra>",
        ),
        row=1, col=1,
    )
    rows = ukraine.rows
    start, end = _year_fraction(TRACKER_START), _year_fraction(ukraine.cutoff)
    for index, (iso3, donor_rows) in enumerate(rows.groupby("rank", sort=True)):
        colour, symbol = DONOR_STYLES[index % len(DONOR_STYLES)]
        donor = donor_rows["donor"].iloc[0]
        hover = [_ukraine_hover(r) for r in donor_rows.itertuples()]
        if ukraine.averaged:
            x, y, hover = [start, end], [donor_rows["total"].iloc[0]] * 2, hover * 2
            line = {"color": colour, "width": 2.5, "dash": "dash"}
            symbols = [symbol, symbol]
        else:
            x, y = list(donor_rows["year"]), list(donor_rows["total"])
            line = {"color": colour, "width": 2.5}
            symbols = [f"{symbol}-open" if p else symbol for p in donor_rows["partial"]]
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="lines+markers", name=donor,
                line=line,
                marker={"symbol": symbols, "size": 9, "color": colour, "line": {"width": 1.5, "color": colour}},
                hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=2, col=1,
        )
    xaxis = {"range": [2018.5, 2028.7], "tickvals": BENCHMARK_TICKS, "gridcolor": "#EEEEEE", "fixedrange": True,
             "zeroline": False}
    fig.update_xaxes(**xaxis)
    largest = float(rows["total"].max()) if len(rows) else 1.0
    fig.update_yaxes(range=[0, mou["usd_bn_per_year"] * 1.6], **_axis_money("USD"), nticks=3, row=1, col=1)
    fig.update_yaxes(range=[0, largest * 1.1], **_axis_money("EUR"), row=2, col=1)
    fig.update_yaxes(gridcolor="#E6E6E6", fixedrange=True, automargin=True, rangemode="tozero")
    for annotation in fig.layout.annotations:
        annotation.update(x=0, xanchor="left", align="left", font={"size": 13})
    fig.update_layout(
        height=700,
        margin={"b": 110},
        legend={"orientation": "h", "x": 0, "y": -0.07, "yanchor": "top"},
        hovermode="closest",
    )
    return fig


# --- 4. One donor's aid by year (the country profile) ---------------------------

YEAR_BARS_HEIGHT = 400


def year_label(year: int, partial: bool, cutoff: pd.Timestamp) -> str:
    """'2024', or '2026 (Jan–Apr)' / '2026 (січ.–квіт.)' for the cut-off's year, which the tracker covers in part."""
    if not partial:
        return f"{year}"
    january = i18n.month_name(pd.Timestamp(year, 1, 1), abbreviated=True)
    return f"{year}<br>({january}–{i18n.month_name(cutoff, abbreviated=True)})"


def build_country_aid_by_year(rows: pd.DataFrame) -> go.Figure:
    """One donor's allocations to Ukraine a year, stacked by type, € billion.

    ``rows`` come from ``profiles.aid_by_year``. Each type has its colour and
    fill pattern (as on the aid page); the year's total stands above its bar;
    hover says the amount, its share of the year and when a year is partial.
    """
    cutoff = rows["cutoff_date"].iloc[0]
    years = rows.drop_duplicates("year")[["year", "partial"]]
    labels = {y: year_label(y, p, cutoff) for y, p in zip(years["year"], years["partial"])}
    totals = rows.groupby("year", sort=True)["eur_bn"].sum()
    donor = _escape(rows["donor"].iloc[0])
    fig = go.Figure()
    to_month = i18n.month_name(cutoff, in_date=True)

    def when(r) -> str:
        if r.partial:
            return _("{donor}, {year} (January to {month} only)").format(donor=donor, year=r.year, month=to_month)
        return f"{donor}, {r.year}"

    def hover_of(r, label: str) -> str:
        if totals[r.year] <= 0:
            return f"<b>{when(r)}</b><br>" + _("{aid_type} aid: none recorded").format(aid_type=label)
        amount = _("{aid_type} aid: {amount}").format(aid_type=label, amount=i18n.format_bn(r.eur_bn, "EUR", 2))
        share = _("{share} of {total} that year").format(
            share=i18n.format_percent(r.eur_bn / totals[r.year]), total=i18n.format_bn(totals[r.year], "EUR", 2)
        )
        return f"<b>{when(r)}</b><br>{amount}<br>{share}"

    for aid_type, label in vocab.aid_types().items():
        part = rows[rows["aid_type"] == aid_type]
        hover = [hover_of(r, label) for r in part.itertuples()]
        fig.add_trace(
            go.Bar(
                x=[labels[y] for y in part["year"]],
                y=part["eur_bn"].tolist(),
                name=label,
                marker=theme.aid_type_marker(aid_type),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[labels[y] for y in totals.index], y=totals.tolist(), mode="text",
            text=[money(v) if v > 0 else _("none") for v in totals], textposition="top center",
            showlegend=False, hoverinfo="skip", cliponaxis=False, textfont={"size": 12},
        )
    )
    largest = float(totals.max()) if len(totals) else 1.0
    fig.update_layout(
        barmode="stack",
        height=YEAR_BARS_HEIGHT,
        margin={"t": 40, "l": 56},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": list(labels.values()),
               "fixedrange": True},
        yaxis={"range": [0, largest * 1.18], **_axis_money(), "gridcolor": "#E6E6E6",
               "fixedrange": True, "zeroline": True, "zerolinecolor": "#BBBBBB"},
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        bargap=0.35,
        hovermode="closest",
    )
    return fig
