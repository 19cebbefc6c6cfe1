"""Bytes for the download buttons (pure: no Streamlit)."""

from __future__ import annotations

import re

import pandas as pd

from .data import Dataset


def escape_markdown(text: str) -> str:
    """Escape characters Streamlit's markdown would interpret (data and URL text)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$])", r"\\\1", str(text))


def with_sources(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """The rows plus readable source columns and the data version."""
    out = frame.copy()
    if "source_ids" in out.columns and ds.has("sources"):
        from .citations import in_ukrainian_suffix, source_link  # citations imports this module
        lookup = ds.tables["sources"].set_index("source_id")
        def describe(ids: str) -> str:
            parts = []
            for source_id in [s.strip() for s in str(ids).split(";") if s.strip()]:
                if source_id in lookup.index:
                    row = lookup.loc[source_id]
                    url, ukrainian = source_link(row)  # url_uk in Ukrainian where the row has one
                    parts.append(f"{row['publisher']} <{url}>{in_ukrainian_suffix(ukrainian)}")
            return "; ".join(parts)
        out["sources"] = out["source_ids"].map(describe)
    out["data_version"] = ds.version
    return out


def chart_csv(frame: pd.DataFrame, ds: Dataset) -> bytes:
    """CSV of exactly the rows behind a chart, with sources and data version."""
    out = with_sources(frame, ds)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False).encode("utf-8")
