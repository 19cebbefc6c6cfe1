"""Country-level data shaping (pure: no Streamlit).

Each country's roles in a model (what the role map draws), the headline
numbers for a model's guarantors, and the pieces of a country profile:
roles per model, bilateral agreement, aid by type with ranks, events.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import i18n, schema, vocab
from .countries import country_name, sorted_by_name, with_names
from .citations import citation_list
from .i18n import _, n_
from .memo import memoized
from .registry import Registry

ROLE_COLUMNS = [
    "iso3", "country", "role", "role_label", "strength", "guarantor", "basis", "inferred", "role_lines",
    "commitment", "publishers", "source_ids",
]


def format_day(value) -> str | None:
    """'13 Sept 2022' / '13 вер. 2022 р.' for a timestamp (Babel, the language in use); None when missing."""
    return None if pd.isna(value) else i18n.format_date(pd.Timestamp(value), "medium")


def role_line(row: pd.Series, registry: Registry) -> str:
    """One role in words: label, basis, dates ('… (inferred) · since 13 Sept 2022')."""
    role = registry.role(row["role"])
    label = role.label
    if row["basis"] == "inferred" and "inferred" not in label.lower() and _("inferred") not in label.lower():
        label = _("{role} (inferred)").format(role=label)
    since, until = format_day(row["since"]), format_day(row["until"])
    if since:
        label = _("{role} · since {date}").format(role=label, date=since)
    elif role.guarantor:
        label = _("{role} · date not verified").format(role=label)
    if until:
        label = _("{role} · until {date}").format(role=label, date=until)
    return label


def _unique_ids(values) -> str:
    ids: list[str] = []
    for value in values:
        ids += [s for s in schema.split_ids(value) if s not in ids]
    return ";".join(ids)


@memoized()
def country_roles(
    guarantors: pd.DataFrame, registry: Registry, model_id: str, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per country named in a model, Ukraine included.

    ``role`` and ``basis`` are those of the country's strongest role (it wins
    the fill on the map), with that role's ``role_label``, ``strength`` and
    ``guarantor`` flag; ``role_lines`` lists every role, strongest first,
    one per line; ``publishers`` names the sources of all its roles.
    """
    rows = guarantors[guarantors["model_id"] == model_id].copy()
    order = registry.role_ids()
    rows["_strength"] = rows["role"].map(registry.strength)
    rows["_order"] = rows["role"].map(order.index)
    rows = rows.sort_values(["iso3", "_strength", "_order"], ascending=[True, False, True])
    publisher_of = {} if sources is None else dict(zip(sources["source_id"], sources["publisher"]))
    records = []
    for iso3, group in rows.groupby("iso3", sort=False):
        strongest = group.iloc[0]
        role = registry.role(strongest["role"])
        source_ids = _unique_ids(group["source_ids"])
        publishers = [publisher_of[s] for s in source_ids.split(";") if s in publisher_of]
        commitments = group["commitment"].dropna()
        records.append(
            {
                "iso3": iso3,
                "country": country_name(iso3),
                "role": strongest["role"],
                "role_label": role.label,
                "strength": role.strength,
                "guarantor": role.guarantor,
                "basis": strongest["basis"],
                "inferred": strongest["basis"] == "inferred",
                "role_lines": "\n".join(role_line(r, registry) for _, r in group.iterrows()),
                "commitment": commitments.iloc[0] if len(commitments) else None,
                "publishers": "; ".join(dict.fromkeys(publishers)),
                "source_ids": source_ids,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=ROLE_COLUMNS)
    by_name = frame["country"].map(i18n.sort_key)  # the language's alphabetical order
    frame = frame.assign(_name=by_name).sort_values(["strength", "_name"], ascending=[False, True], kind="stable")
    return frame.drop(columns="_name")


def guarantor_codes(roles: pd.DataFrame, sourced_only: bool = False) -> list[str]:
    """ISO3 codes of the guarantors in a ``country_roles`` frame (Ukraine left out)."""
    is_guarantor = roles["guarantor"].astype(bool)
    chosen = roles[is_guarantor & ~(roles["inferred"] if sourced_only else False)]
    return list(chosen["iso3"])


@memoized()
def aid_totals(aid: pd.DataFrame) -> pd.DataFrame:
    """Kiel aid per donor, all types summed: iso3, donor, eur_bn, source_ids."""
    return (
        with_names(aid)
        .groupby(["iso3", "donor"], as_index=False)
        .agg(eur_bn=("eur_bn", "sum"), source_ids=("source_ids", _unique_ids))
        .sort_values("eur_bn", ascending=False, ignore_index=True)
    )


@memoized()
def map_rows(guarantors: pd.DataFrame, model_id: str, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The guarantor rows behind a model's map; with ``totals``, each country's Kiel aid too."""
    rows = guarantors[guarantors["model_id"] == model_id]
    if totals is None:
        return rows.reset_index(drop=True)
    aid = totals[["iso3", "eur_bn"]].rename(columns={"eur_bn": "kiel_aid_eur_bn"})
    return rows.merge(aid, on="iso3", how="left")


# --- Headline numbers for the map -------------------------------------------


@dataclass(frozen=True)
class MapHeadline:
    """The numbers above the map for one model, with how each is derived."""

    model_id: str
    n_guarantors: int
    n_inferred: int
    n_legally_binding: int
    binding_note: str
    nuclear_states: list[str]
    aid_share_sourced: float | None
    aid_share_all: float | None
    aid_eur_bn_sourced: float
    aid_total_eur_bn: float
    aid_cutoff: pd.Timestamp | None
    source_ids: tuple[str, ...]


def binding_count(roles: pd.DataFrame, provisions: pd.DataFrame, comparison: pd.DataFrame, model_id: str) -> tuple[int, str]:
    """How many guarantors hold a legally binding commitment, and how that is counted.

    The provisions table codes each model's commitments, not each country's,
    so a sourced guarantor counts when at least one of its model's provisions
    is coded legally binding; inferred members never count.
    """
    levels = provisions.loc[provisions["model_id"] == model_id, "level"]
    counts = levels.value_counts()
    n_binding = int(counts.get("legally_binding", 0))
    sourced = guarantor_codes(roles, sourced_only=True)
    n_countries = len(sourced) if n_binding else 0
    breakdown = ", ".join(vocab.level_count(level, int(counts[level])) for level in vocab.LEVELS if counts.get(level))
    legal_form = comparison.loc[
        (comparison["model_id"] == model_id) & (comparison["dimension"] == "legal_form"), "value"
    ]
    sentences = [
        _(
            "from the provision coding, which rates each model, not each country: a guarantor named in a "
            "source counts when at least one of its model's provisions is legally binding."
        ),
        n_(
            "This model: {binding} of {n} provision legally binding ({breakdown}).",
            "This model: {binding} of {n} provisions legally binding ({breakdown}).",
            len(levels),
        ).format(binding=n_binding, n=len(levels), breakdown=breakdown),
    ]
    if len(legal_form):
        sentences.append(_("Legal form: {legal_form}.").format(legal_form=legal_form.iloc[0]))
    return n_countries, " ".join(sentences)


@memoized()
def map_headline(
    registry: Registry,
    guarantors: pd.DataFrame,
    provisions: pd.DataFrame,
    comparison: pd.DataFrame,
    aid: pd.DataFrame,
    model_id: str,
) -> MapHeadline:
    """Guarantors, legally binding ones, nuclear-weapon states, share of Kiel aid."""
    roles = country_roles(guarantors, registry, model_id)
    everyone = guarantor_codes(roles)
    sourced = guarantor_codes(roles, sourced_only=True)
    n_binding, note = binding_count(roles, provisions, comparison, model_id)
    totals = aid_totals(aid)
    total = float(totals["eur_bn"].sum())
    given_sourced = float(totals.loc[totals["iso3"].isin(sourced), "eur_bn"].sum())
    given_all = float(totals.loc[totals["iso3"].isin(everyone), "eur_bn"].sum())
    cited = pd.concat(
        [
            provisions.loc[provisions["model_id"] == model_id, "source_ids"],
            comparison.loc[(comparison["model_id"] == model_id) & (comparison["dimension"] == "legal_form"), "source_ids"],
            aid["source_ids"],
            roles["source_ids"],
        ]
    )
    return MapHeadline(
        model_id=model_id,
        n_guarantors=len(everyone),
        n_inferred=len(everyone) - len(sourced),
        n_legally_binding=n_binding,
        binding_note=note,
        nuclear_states=[c for c in vocab.NUCLEAR_WEAPON_STATES if c in everyone],
        aid_share_sourced=given_sourced / total if total else None,
        aid_share_all=given_all / total if total else None,
        aid_eur_bn_sourced=given_sourced,
        aid_total_eur_bn=total,
        aid_cutoff=aid["cutoff_date"].max() if len(aid) else None,
        source_ids=tuple(_unique_ids(cited).split(";")),
    )


# --- Country profile ----------------------------------------------------------


def country_choices(data_codes: list[str], events: pd.DataFrame) -> list[str]:
    """Every country in the data (filter options plus countries in events), by name."""
    codes = set(data_codes) | {c for value in events["iso3s"] for c in schema.split_ids(value)}
    return sorted_by_name(codes)


def roles_by_model(guarantors: pd.DataFrame, registry: Registry, iso3: str) -> dict[str, pd.DataFrame]:
    """A country's guarantor rows per model (strongest role first); empty frames for none."""
    rows = guarantors[guarantors["iso3"] == iso3]
    out = {}
    for model_id in registry.ids:
        subset = rows[rows["model_id"] == model_id]
        strength = subset["role"].map(registry.strength)
        out[model_id] = subset.assign(_s=strength).sort_values("_s", ascending=False).drop(columns="_s")
    return out


def agreement_for(agreements: pd.DataFrame, iso3: str) -> pd.Series | None:
    """The country's bilateral security agreement with Ukraine, or None."""
    match = agreements[agreements["iso3"] == iso3]
    return match.iloc[0] if len(match) else None


def pledge_words(agreement: pd.Series) -> str:
    """The pledge as stated (data text), with the coded amount when there is one."""
    text = agreement["pledge_text"]
    if pd.notna(agreement["pledge_amount"]):
        amount = i18n.format_bn(float(agreement["pledge_amount"]), agreement["pledge_currency"], 2)
        if pd.notna(agreement["pledge_period"]):
            coded = _("coded as {amount} ({period})").format(amount=amount, period=agreement["pledge_period"])
        else:
            coded = _("coded as {amount}").format(amount=amount)
        text = f"{text} — {coded}"
    return text


@dataclass(frozen=True)
class AidProfile:
    """A donor's Kiel aid: by type (with ranks), total, share of GDP."""

    by_type: pd.DataFrame  # aid_type, label, eur_bn, rank, n_donors
    total_eur_bn: float
    total_rank: int
    n_donors: int
    pct_gdp: float | None
    pct_gdp_rank: int | None
    n_donors_with_gdp: int
    cutoff: pd.Timestamp
    release: str
    source_ids: str


def _rank_of(values: pd.Series, iso3: str) -> int:
    return int(values.rank(ascending=False, method="min")[iso3])


def aid_profile(aid: pd.DataFrame, iso3: str) -> AidProfile | None:
    """The country's aid by type with its rank among donors, or None if it gave none on record."""
    rows = aid[aid["iso3"] == iso3]
    if rows.empty:
        return None
    by_type = []
    for aid_type, label in vocab.aid_types().items():
        per_donor = aid[aid["aid_type"] == aid_type].set_index("iso3")["eur_bn"]
        if iso3 not in per_donor.index:
            continue
        by_type.append(
            {
                "aid_type": aid_type,
                "label": label,
                "eur_bn": float(per_donor[iso3]),
                "rank": _rank_of(per_donor, iso3),
                "n_donors": len(per_donor),
            }
        )
    totals = aid_totals(aid).set_index("iso3")["eur_bn"]
    gdp = aid.drop_duplicates("iso3").set_index("iso3")["bilateral_pct_gdp_2021"].dropna()
    has_gdp = iso3 in gdp.index
    return AidProfile(
        by_type=pd.DataFrame(by_type, columns=["aid_type", "label", "eur_bn", "rank", "n_donors"]),
        total_eur_bn=float(totals[iso3]),
        total_rank=_rank_of(totals, iso3),
        n_donors=len(totals),
        pct_gdp=float(gdp[iso3]) if has_gdp else None,
        pct_gdp_rank=_rank_of(gdp, iso3) if has_gdp else None,
        n_donors_with_gdp=len(gdp),
        cutoff=rows["cutoff_date"].iloc[0],
        release=rows["release"].iloc[0],
        source_ids=_unique_ids(rows["source_ids"]),
    )


YEARLY_COLUMNS = [
    "iso3", "donor", "year", "aid_type", "aid_label", "eur_bn", "partial", "cutoff_date", "release", "source_ids",
]


@memoized()
def aid_by_year(aid_yearly: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The country's Kiel allocations by calendar year and type (the rows behind its chart).

    One row per year and type, types in the vocabulary's order; ``partial``
    marks the cut-off's year (January to the cut-off month only). Empty when
    the yearly table has no row for the country, or only zeros.
    """
    rows = with_names(aid_yearly[aid_yearly["iso3"] == iso3])
    if rows.empty or not (rows["eur_bn"] > 0).any():
        return pd.DataFrame(columns=YEARLY_COLUMNS)
    order = list(vocab.AID_TYPES)
    rows = rows.assign(
        aid_label=rows["aid_type"].map(vocab.aid_types()),
        partial=rows["year"] == rows["cutoff_date"].dt.year,
        _order=rows["aid_type"].map(order.index),
    )
    return rows.sort_values(["year", "_order"])[YEARLY_COLUMNS].reset_index(drop=True)


def events_for(events: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Timeline events that name the country, oldest first."""
    names = events["iso3s"].map(lambda v: iso3 in schema.split_ids(v))
    return events[names].sort_values("date")


def event_date(row: pd.Series) -> str:
    """An event's date at its stated precision (Babel, short month names), with its end for spans."""
    formats = {
        "day": lambda d: i18n.format_date(d, "medium"),
        "month": lambda d: i18n.format_month(d, abbreviated=True),
        "year": i18n.format_year,
    }
    fmt = formats[row["date_precision"]]
    text = fmt(row["date"])
    if pd.notna(row["end_date"]):
        text += f" – {fmt(row['end_date'])}"
    return text


def sources_markdown(sources: pd.DataFrame) -> str:
    """'[Publisher: Title](url); …' for rows of sources.csv, escaped for markdown."""
    return citation_list(sources)
