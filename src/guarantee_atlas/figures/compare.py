"""The comparison scorecard: one dot row per dimension, a dot per model at its score."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .. import theme, vocab
from ..comparison import SCORE_SHORT, score_labels, score_short
from ..i18n import _
from ..registry import Registry

ROW_HEIGHT_PER_MODEL = 17  # px of a dimension's row per model dot in it
ROW_SHARE = 0.6  # share of a dimension's row the models' dots spread over (the rest keeps rows apart)


def build_scorecard(cells: pd.DataFrame, registry: Registry) -> go.Figure:
    """Dots on a 0–3 score axis, one row per dimension, one symbol per model.

    ``cells`` comes from ``comparison.comparison_cells`` (possibly narrowed to
    two models). The models sit at small vertical offsets so equal scores do
    not hide each other; each dot is labelled with the model's short name and
    disputed cells get a ring and the word "disputed" in the hover.
    """
    dimensions = [d for d in vocab.DIMENSIONS if d in set(cells["dimension"])]
    models = [m for m in registry.ids if m in set(cells["model_id"])]
    row_of = {d: i for i, d in enumerate(dimensions)}
    spread = min(0.3, ROW_SHARE / max(1, len(models) - 1))
    offsets = {m: (i - (len(models) - 1) / 2) * spread for i, m in enumerate(models)}
    scale, short = score_labels(), score_short()
    fig = go.Figure()
    for model_id in models:
        rows = cells[cells["model_id"] == model_id]
        model = registry.model(model_id)
        y = [row_of[d] + offsets[model_id] for d in rows["dimension"]]
        hover = [
            f"<b>{html.escape(r.dimension_label, quote=False)}</b><br>"
            + _("{model}: score {score} of 3 ({label})").format(
                model=html.escape(model.chart_label, quote=False), score=r.score, label=scale[r.score].lower()
            )
            + f"<br>{html.escape(r.value, quote=False)}"
            + ("<br><i>{}</i>".format(_("Disputed: sources disagree")) if r.disputed else "")
            for r in rows.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=list(rows["score"]),
                y=y,
                mode="markers+text",
                name=model.chart_label,
                marker={
                    "symbol": model.style.symbol,
                    "size": 12,
                    "color": model.style.colour,
                    "line": {"color": theme.TEXT, "width": 1},
                },
                text=[model.chart_label.split(" ")[0]] * len(rows),
                # the top score sits at the right edge: its label goes left, inside the plot
                textposition=["middle left" if s == max(SCORE_SHORT) else "middle right" for s in rows["score"]],
                textfont={"size": 11, "color": theme.MUTED_TEXT},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    disputed = cells[cells["disputed"]]
    fig.add_trace(
        go.Scatter(
            x=list(disputed["score"]),
            y=[row_of[d] + offsets[m] for d, m in zip(disputed["dimension"], disputed["model_id"])],
            mode="markers",
            name=_("Disputed (ring)"),
            marker={"symbol": "circle-open", "size": 22, "color": theme.OKABE_ITO["vermillion"], "line": {"width": 2}},
            hoverinfo="skip",
            visible=True if len(disputed) else "legendonly",
        )
    )
    words = vocab.dimensions()
    dimension_labels = [theme.wrap_lines(words[d], 18) for d in dimensions]
    fig.update_layout(
        height=ROW_HEIGHT_PER_MODEL * max(3, len(models)) * len(dimensions) + 260,
        margin={"t": 50, "b": 110, "l": theme.label_margin(dimension_labels, theme.BASE_FONT_SIZE)},
        xaxis={
            "range": [-0.35, 3.35],
            "tickvals": list(SCORE_SHORT),
            "ticktext": [f"{s}<br>{label}" for s, label in short.items()],
            "tickangle": 0,
            "side": "top",
            "showgrid": True,
            "gridcolor": "#E0E0E0",
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": list(range(len(dimensions))),
            "ticktext": dimension_labels,
            "range": [len(dimensions) - 0.5, -0.5],
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "fixedrange": True,
        },
        shapes=[
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": i + 0.5, "y1": i + 0.5,
             "line": {"color": "#EEEEEE", "width": 1}}
            for i in range(len(dimensions) - 1)
        ],
        legend={"orientation": "h", "x": 0, "y": -0.01, "yanchor": "top"},
        hovermode="closest",
    )
    return fig
