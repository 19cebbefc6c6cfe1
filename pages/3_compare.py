"""Compare the models: a scorecard, then every model side by side, point by point, each cell sourced."""

import streamlit as st

from guarantee_atlas import comparison, i18n
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.describe import scorecard_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures.compare import build_scorecard
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import page, url_choice

SHOW = {"all": N_("All models"), "pair": N_("Two models: only their differences")}


def scale_text() -> str:
    """'0 nothing on this · 1 general or political mention only · …' in the language in use."""
    return " · ".join(f"{score} {_(label).lower()}" for score, label in comparison.SCORE_LABELS.items())


def pick_pair(registry) -> tuple[str, str]:
    """Two models, bound to ``?first=`` and ``?second=`` (the first and the last model by default)."""
    first_column, second_column = st.columns(2)
    labels = registry.chart_labels()
    first = url_choice("first", _("First model"), labels, registry.ids[0], widget="select", container=first_column)
    second = url_choice(
        "second", _("Second model"), labels, registry.ids[-1], widget="select", container=second_column
    )
    return first, second


def show_cells(cells) -> None:
    """One block per dimension: its heading and a bordered cell per model (side by side, stacked on a phone)."""
    for block in comparison.dimension_blocks(cells):
        st.markdown(block, unsafe_allow_html=True)


def narrow_to_pair(cells, registry):
    """The two chosen models, only where they differ; None when one model is picked twice."""
    first, second = pick_pair(registry)
    if first == second:
        st.info(_("Pick two different models to see where they differ."), icon=":material/compare_arrows:")
        return None, ""
    differences = comparison.only_differences(cells, first, second)
    if differences.same_score:
        st.caption(
            _("Hidden, because both score the same (the wording may still differ): {dimensions}.").format(
                dimensions=escape_markdown(", ".join(differences.same_score))
            )
        )
    title = _("Where {first} and {second} differ").format(
        first=registry.chart_label(first), second=registry.chart_label(second)
    )
    return differences.cells, title


with page(
    "compare",
    N_("Compare the models"),
    N_(
        "The models point by point: how binding, who guarantees, what triggers a response, what is promised, "
        "for how long, and what became of it. Every cell is short and sourced; open **Detail** under a cell for more."
    ),
    uses_countries=False,
) as ctx:
    comparison_table, sources = ctx.ds.require("comparison", "sources")
    registry = ctx.models
    cells = comparison.comparison_cells(comparison_table, sources, registry)
    show = url_choice("show", _("Show"), i18n.translated_values(SHOW), default="all")
    title = n_(
        "How the {n} models score, dimension by dimension",
        "How the {n} models score, dimension by dimension",
        len(registry),
    ).format(n=len(registry))
    if show == "pair":
        cells, title = narrow_to_pair(cells, registry)
    if cells is not None and cells.empty:
        st.info(_("These two models score the same on every dimension."), icon=":material/info:")
    elif cells is not None:
        show_chart(
            recipe(build_scorecard, cells, registry),
            ChartSpec(
                page="compare",
                chart_id="scorecard" if show == "all" else "scorecard-differences",
                title=title,
                data=cells.drop(columns="sources_markdown"),
                note=_("Scores are our editorial coding of each model as designed: {scale}.").format(
                    scale=scale_text()
                ),
                describe=scorecard_hints(),
            ),
            ctx.ds,
        )
        st.header(_("Point by point"))
        show_cells(cells)
