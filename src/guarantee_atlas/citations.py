"""Citations: the one place where a row of sources.csv becomes a link a reader can follow.

Every page and caption renders its sources through ``citation``: the label is
escaped for Streamlit's markdown once, here, and the URL is made safe as a
link target the same way everywhere.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pandas as pd

from . import i18n
from .downloads import escape_markdown
from .i18n import _, format_date
from .schema import split_ids

# Characters a URL keeps as they are; anything else (spaces, brackets, parentheses) is percent-encoded.
URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def link_target(url: str) -> str:
    """A URL made safe as a markdown link target (parentheses, brackets and spaces encoded)."""
    return quote(str(url), safe=URL_SAFE)


def source_link(source) -> tuple[str, bool]:
    """The address a reader follows for a row of sources.csv, and whether it is the Ukrainian one.

    In Ukrainian (``i18n.current()``) a row's ``url_uk`` (the same document as its
    publisher publishes it in Ukrainian) where one is recorded; else ``url``.
    """
    if i18n.current() == "uk":
        in_ukrainian = _optional(source, "url_uk")
        if in_ukrainian:
            return in_ukrainian, True
    return str(_field(source, "url")), False


def in_ukrainian_suffix(ukrainian: bool) -> str:
    """' (in Ukrainian)' in the language in use after a link to a source's Ukrainian edition, else ''."""
    return " " + _("(in Ukrainian)") if ukrainian else ""


def citation(source, label: str | None = None, dated: bool = False) -> str:
    """'[Publisher: Title](url)' for a row of sources.csv (a Series or a named tuple).

    ``label`` replaces 'Publisher: Title' (e.g. a short publisher name); ``dated``
    adds the publication date after the link. In Ukrainian a row's ``url_uk`` is
    linked where it has one, and the link says so ('… (укр.)').
    """
    text = label if label is not None else f"{_field(source, 'publisher')}: {_field(source, 'title')}"
    url, ukrainian = source_link(source)
    text += in_ukrainian_suffix(ukrainian)
    published = _field(source, "published") if dated else None
    when = f" ({format_date(published, 'medium')})" if published is not None and pd.notna(published) else ""
    return f"[{escape_markdown(text)}]({link_target(url)}){when}"


def citation_list(sources: pd.DataFrame, separator: str = "; ", empty: str | None = None) -> str:
    """Every row of ``sources`` as a citation, joined; ``empty`` (default: "no source recorded") when there is none."""
    joined = separator.join(citation(row) for row in sources.itertuples(index=False))
    return joined or (empty if empty is not None else _("no source recorded"))


def _field(source, name: str):
    return source[name] if isinstance(source, pd.Series) else getattr(source, name)


# --- Which publishers a chart names first -------------------------------------------------

# Source kinds from the best to the weakest backing: full texts and official pages first, then
# published data, analysis, reference works and news; copies and aggregators last.
KIND_ORDER = ("primary", "official", "data", "analysis", "reference", "news", "mirror")
MIRROR = "mirror"
# A chart's image names mirrors only while fewer non-mirror publishers than this back it.
ENOUGH_PUBLISHERS = 3


def mirror_host(publisher: str) -> str:
    """The host's own name in a mirror's ``publisher``: 'Caliber.az' for 'Caliber.az (reprint of …)'."""
    host = re.split(r"\s*[(;]", str(publisher), maxsplit=1)[0].strip()
    return host or str(publisher)


def publisher_label(source) -> str:
    """How a chart names a source's publisher: 'The Wall Street Journal, via Caliber.az' for a
    mirror whose ``original_publisher`` is recorded, else the ``publisher`` as it is."""
    publisher = str(_field(source, "publisher"))
    original = _optional(source, "original_publisher")
    if _field(source, "kind") != MIRROR or not original:
        return publisher
    host = mirror_host(publisher)
    if host.casefold() == original.casefold():  # 'Newsweek (repost on esenfidanlik.com)' names it already
        return publisher
    return _("{original}, via {host}").format(original=original, host=host)


def ranked_publishers(sources: pd.DataFrame, cited=()) -> pd.DataFrame:
    """One row per publisher behind a chart, best backing first: the one ranking of publishers.

    ``sources`` are the chart's rows of sources.csv; ``cited`` holds one ``;``-list of
    source ids per chart row (the chart's ``source_ids`` column and any extra ids).
    Publishers (by ``publisher_label``) are ordered by their best kind in
    ``KIND_ORDER``, then by how many chart rows cite them (most first), then by name.
    Columns: ``label``, ``kind`` (the best), ``rows`` (chart rows citing it), ``documents``,
    ``source`` (the row of sources.csv to link: its best kind, most cited),
    ``original`` (a mirror's recorded original publisher, else '').
    """
    columns = ["label", "kind", "rows", "documents", "source", "original"]
    if sources.empty:
        return pd.DataFrame(columns=columns)
    row_counts: dict[str, int] = {}
    for value in cited:
        for source_id in set(split_ids(value)):
            row_counts[source_id] = row_counts.get(source_id, 0) + 1
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    frame = sources.assign(
        _label=[publisher_label(row) for _index, row in sources.iterrows()],
        _rank=sources["kind"].map(rank).fillna(len(KIND_ORDER)),
        _rows=sources["source_id"].map(row_counts).fillna(0),
    )
    groups = []
    for label, group in frame.groupby("_label", sort=False):
        ids = set(group["source_id"])
        best = group.sort_values(["_rank", "_rows"], ascending=[True, False], kind="stable").iloc[0]
        groups.append({
            "label": label,
            "kind": best["kind"],
            "rows": sum(1 for value in cited if ids & set(split_ids(value))),
            "documents": len(group),
            "source": best.drop(["_label", "_rank", "_rows"]),
            "original": _optional(best, "original_publisher") if best["kind"] == MIRROR else "",
            "_rank": best["_rank"],
        })
    ranked = pd.DataFrame(groups)
    ranked["_name"] = ranked["label"].str.casefold()
    ranked = ranked.sort_values(["_rank", "rows", "_name"], ascending=[True, False, True], kind="stable")
    return ranked[columns].reset_index(drop=True)


def image_publishers(ranked: pd.DataFrame, enough: int = ENOUGH_PUBLISHERS) -> list[str]:
    """The labels a chart's image names, in ``ranked_publishers`` order, mirrors only when nothing better backs it.

    A mirror is left out when its recorded original publisher is itself among the chart's
    non-mirror publishers, or when the chart has at least ``enough`` (3) non-mirror
    publishers. Captions and CSV downloads keep every source; this is for the short line
    drawn inside the image.
    """
    others = ranked[ranked["kind"] != MIRROR]
    names = {str(label).casefold() for label in others["label"]}
    keep_mirrors = len(others) < enough
    return [
        row.label for row in ranked.itertuples(index=False)
        if row.kind != MIRROR or (keep_mirrors and str(row.original).casefold() not in names)
    ]


def _optional(source, name: str) -> str:
    try:
        value = _field(source, name)
    except (KeyError, AttributeError):
        return ""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
