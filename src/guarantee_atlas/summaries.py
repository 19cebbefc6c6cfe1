"""Headline numbers computed from the tables (pure: no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .memo import memoized
from .registry import Registry


@dataclass(frozen=True)
class ModelCard:
    model_id: str
    name: str
    date: pd.Timestamp
    legal_form: str
    status_short: str
    count_note: str | None
    summary: str
    n_guarantors: int
    n_inferred: int
    source_ids: str


@memoized()
def guarantor_rows(guarantors: pd.DataFrame, registry: Registry, model_id: str) -> pd.DataFrame:
    """Rows of one model whose role is a guarantor role (recipient excluded)."""
    rows = guarantors[guarantors["model_id"] == model_id]
    return rows[rows["role"].map(registry.is_guarantor)]


@memoized()
def model_cards(registry: Registry, models: pd.DataFrame, guarantors: pd.DataFrame) -> list[ModelCard]:
    """One card per model, in the registry's order.

    A country counts once per model; it counts as inferred only when every
    one of its roles in that model is inferred.
    """
    cards = []
    for model_id in registry.ids:
        match = models[models["model_id"] == model_id]
        if match.empty:
            continue
        row = match.iloc[0]
        rows = guarantor_rows(guarantors, registry, model_id)
        sourced = set(rows.loc[rows["basis"] == "sourced", "iso3"])
        everyone = set(rows["iso3"])
        cards.append(
            ModelCard(
                model_id=model_id,
                name=row["name"],
                date=row["date"],
                legal_form=row["legal_form"],
                status_short=row["status_short"],
                count_note=row["count_note"] if pd.notna(row["count_note"]) else None,
                summary=row["summary"],
                n_guarantors=len(everyone),
                n_inferred=len(everyone - sourced),
                source_ids=row["source_ids"],
            )
        )
    return cards
