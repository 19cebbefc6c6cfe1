"""The point-by-point comparison of the models (pure: no Streamlit).

Shapes ``comparison.csv`` into one cell per dimension × model, each with its
short value, its score, whether it is disputed and markdown links to its
sources; and picks the dimensions on which two models differ.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from . import schema, vocab
from .citations import citation
from .downloads import escape_markdown
from .i18n import N_, _
from .memo import memoized
from .registry import Registry

# The editorial scale of comparison.csv's ``score`` (see data/README.A.md); the words are marked for
# the catalogue, translated where shown (``score_labels()``, ``score_short()``).
SCORE_LABELS: dict[int, str] = {
    0: N_("Nothing on this"),
    1: N_("General or political mention only"),
    2: N_("Specific and substantial, not binding"),
    3: N_("Legally binding or automatic"),
}
SCORE_SHORT: dict[int, str] = {0: N_("Nothing"), 1: N_("Mention"), 2: N_("Specific"), 3: N_("Binding")}


def score_labels() -> dict[int, str]:
    """The scale's words in the language in use."""
    return {score: _(label) for score, label in SCORE_LABELS.items()}


def score_short() -> dict[int, str]:
    return {score: _(label) for score, label in SCORE_SHORT.items()}
PUBLISHER_CHARS = 40

CELL_COLUMNS = [
    "dimension", "dimension_label", "model_id", "model_label",
    "value", "detail", "score", "disputed", "source_ids", "sources_markdown",
]


def short_publisher(publisher: str, limit: int = PUBLISHER_CHARS) -> str:
    """The publisher's name without its parenthesised or ';' qualifiers, cut to ``limit``."""
    name = str(publisher).split(";")[0].split(" (")[0].strip() or str(publisher)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def sources_markdown(source_ids: str, sources: pd.DataFrame) -> str:
    """Markdown links '[Publisher](url) · [Publisher (2)](url)' for a ;-list of source ids."""
    indexed = sources.set_index("source_id")
    links, seen = [], {}
    for source_id in schema.split_ids(source_ids):
        if source_id in indexed.index:
            row = indexed.loc[source_id]
            name = short_publisher(row["publisher"])
            seen[name] = seen.get(name, 0) + 1
            links.append(citation(row, label=name if seen[name] == 1 else f"{name} ({seen[name]})"))
    return " · ".join(links)


@memoized()
def comparison_cells(comparison: pd.DataFrame, sources: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """One row per dimension × model, in display order, with source links."""
    cells = comparison.copy()
    cells["dimension_label"] = cells["dimension"].map(vocab.dimensions())
    cells["model_label"] = cells["model_id"].map(registry.chart_labels())
    cells["sources_markdown"] = cells["source_ids"].map(lambda ids: sources_markdown(ids, sources))
    order = {d: i for i, d in enumerate(vocab.DIMENSIONS)}
    model_order = {m: i for i, m in enumerate(registry.ids)}
    cells = cells.sort_values(
        ["dimension", "model_id"], key=lambda s: s.map(order if s.name == "dimension" else model_order)
    )
    return cells[CELL_COLUMNS].reset_index(drop=True)


def cell_markdown(cell: pd.Series) -> str:
    """A cell's markdown: model, score in words, the short value, a disputed mark, sources."""
    score = int(cell["score"])
    scored = _("score {score} of 3: {label}").format(score=score, label=_(SCORE_SHORT[score]).lower())
    lines = [
        f"**{escape_markdown(cell['model_label'])}** · :gray[{scored}]",
        escape_markdown(cell["value"]),
    ]
    if cell["disputed"]:
        lines.append(":orange-badge[:material/help: {disputed}]".format(disputed=_("Disputed")))
    lines.append(_("Sources: {sources}").format(sources=cell["sources_markdown"] or _("none recorded")))
    return "\n\n".join(lines)


@memoized()
def dimension_blocks(cells: pd.DataFrame) -> tuple[str, ...]:
    """What the point-by-point part draws, worked out once per process: one markdown block per
    dimension, in the order of ``cells`` (``comparison_cells``'). A block is the dimension's heading
    and a bordered cell per model (``.cmp-cell``, laid out by ``theme.PAGE_CSS``), each with its
    detail folded under it in a ``<details>`` (a keyboard, a touch screen and a screen reader open it).

    One element per dimension, not a container, columns and a markdown per cell: the browser builds
    and lays out a quarter of the elements. Data text is markdown-escaped (``<`` included) and kept in
    paragraphs of its own, apart from the HTML tags around it, so it is never read as HTML.
    """
    words = vocab.dimensions()
    summary = _("Detail")
    blocks = []
    for dimension, group in cells.groupby("dimension", sort=False):
        parts = [f"### {escape_markdown(words[dimension])}", '<div class="cmp-row">']
        for _index, cell in group.iterrows():
            parts += [
                f'<div class="cmp-cell" data-model="{html.escape(str(cell["model_id"]))}">',
                cell_markdown(cell),
                # what a screen reader says for each "Detail": which cell it opens
                f'<details><summary>{html.escape(summary)}<span class="visually-hidden">: '
                f'{html.escape(cell["model_label"])}, {html.escape(words[dimension])}</span></summary>',
                escape_markdown(cell["detail"]),
                "</details>\n</div>",
            ]
        parts.append("</div>")
        blocks.append("\n\n".join(parts))
    return tuple(blocks)


@dataclass(frozen=True)
class Differences:
    """The cells of two models on the dimensions where their scores differ."""

    cells: pd.DataFrame
    same_score: list[str]


@memoized()
def only_differences(cells: pd.DataFrame, first: str, second: str) -> Differences:
    """Keep the two models, and only the dimensions they score differently.

    Scores, not wording, decide: every cell is worded differently, so a text
    comparison would hide nothing. ``same_score`` names the dimensions left out.
    """
    pair = cells[cells["model_id"].isin([first, second])]
    scores = pair.pivot_table(index="dimension", columns="model_id", values="score", aggfunc="first")
    if first == second or first not in scores.columns or second not in scores.columns:
        return Differences(pair.iloc[0:0], [])
    differs = scores[first] != scores[second]
    kept = pair[pair["dimension"].isin(differs[differs].index)]
    words = vocab.dimensions()
    same = [words[d] for d in vocab.DIMENSIONS if d in differs.index and not differs[d]]
    return Differences(kept.reset_index(drop=True), same)
