"""Citations: the one place where a row of sources.csv becomes a link a reader can follow.

Every page and caption renders its sources through ``citation``: the label is
escaped for Streamlit's markdown once, here, and the URL is made safe as a
link target the same way everywhere.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from .downloads import escape_markdown

# Characters a URL keeps as they are; anything else (spaces, brackets, parentheses) is percent-encoded.
URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def link_target(url: str) -> str:
    """A URL made safe as a markdown link target (parentheses, brackets and spaces encoded)."""
    return quote(str(url), safe=URL_SAFE)


def citation(source, label: str | None = None, dated: bool = False) -> str:
    """'[Publisher: Title](url)' for a row of sources.csv (a Series or a named tuple).

    ``label`` replaces 'Publisher: Title' (e.g. a short publisher name); ``dated``
    adds the publication date after the link.
    """
    text = label if label is not None else f"{_field(source, 'publisher')}: {_field(source, 'title')}"
    published = _field(source, "published") if dated else None
    when = f" ({published:%-d %b %Y})" if published is not None and pd.notna(published) else ""
    return f"[{escape_markdown(text)}]({link_target(_field(source, 'url'))}){when}"


def citation_list(sources: pd.DataFrame, separator: str = "; ", empty: str = "no source recorded") -> str:
    """Every row of ``sources`` as a citation, joined; ``empty`` when there is none."""
    return separator.join(citation(row) for row in sources.itertuples(index=False)) or empty


def _field(source, name: str):
    return source[name] if isinstance(source, pd.Series) else getattr(source, name)
