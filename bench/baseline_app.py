"""Baseline pages for the benchmarks: the floor of any plotly page.

Served the same way as the app (``streamlit run`` from the repo root, same
config). ``/`` draws one plotly bar chart; ``/?variant=select`` adds a
selectbox that changes the bars, the baseline for a filter change.
``/?variant=select-map`` is a reference, not a target: the same selectbox
switches the home page's world map between no country and Poland outlined
(built and themed as the app does), so it measures what redrawing that one
map costs in Streamlit, with nothing else on the page.
``/?variant=select-map-element`` is the same with the map drawn by the app's
own chart element (``guarantee_atlas.plot_element``: updated with
``Plotly.react``), the floor of a map update as the app draws it;
``/?variant=select-timeline-element`` does that for the timeline page's chart.
``/?variant=floor&floor=<name>`` draws the charts of one view of the app, as the app
built them in each state of a filter (captured by ``floors.py``), with nothing else:
its selectbox switches the state, the floor of that view's filter change.
"""

import plotly.graph_objects as go
import streamlit as st

MODELS = {"Budapest 1994": [5, 1, 0], "Kyiv Compact 2022": [2, 3, 1], "Israel-style 2023–": [1, 2, 3]}
HIGHLIGHTS = {"No country chosen": [], "Poland": ["POL"], "Poland and Germany": ["POL", "DEU"]}


@st.cache_resource(show_spinner=False)
def world_map(highlight: tuple[str, ...]) -> go.Figure:
    """Built once per choice and process, as the app's memo does; shared, never modified."""
    from guarantee_atlas import theme
    from guarantee_atlas.data import load_dataset
    from guarantee_atlas.figures.maps import build_overview_map, guarantor_counts

    ds = load_dataset()
    counts = guarantor_counts(ds.tables["guarantors"], ds.registry)
    fig = build_overview_map(counts, len(ds.registry), list(highlight))
    return theme.apply_theme(fig, "The overview map", "Source: reference")


@st.cache_resource(show_spinner=False)
def timeline(highlight: tuple[str, ...]) -> go.Figure:
    """The timeline page's chart as it opens (every lane, every year), with ``highlight`` outlined."""
    from datetime import date

    from guarantee_atlas import theme, timeline_data
    from guarantee_atlas.data import load_dataset
    from guarantee_atlas.figures.timeline import build_timeline

    ds = load_dataset()
    events, agreements, sources = (ds.tables[name] for name in ("events", "agreements", "sources"))
    rows = timeline_data.timeline_rows(
        events, agreements, sources, ds.registry, None, list(highlight), ongoing_until=ds.checked_on
    )
    fig = build_timeline(rows, timeline_data.period_range("all", rows, date.today()), date.today())
    return theme.apply_theme(fig, "The timeline", "Source: reference")


@st.cache_resource(show_spinner=False)
def floor_states(name: str) -> list[list[dict]]:
    """The charts of each state of a floor, as ``floors.capture`` kept them (figure JSON ready to send)."""
    import json
    from pathlib import Path

    kept = json.loads((Path(__file__).with_name(".floors") / f"{name}.json").read_text())
    return [[{**chart, "figure_json": json.dumps(chart["figure"]).encode()} for chart in state]
            for state in kept["states"]]


st.set_page_config(page_title="Baseline", layout="wide")
st.title("Baseline")
variant = st.query_params.get("variant")
if variant == "floor":
    from guarantee_atlas import plot_element

    charts_by_state = floor_states(st.query_params.get("floor"))
    state = st.selectbox("State", range(len(charts_by_state)), format_func=lambda i: f"state {i + 1}",
                         key="baseline_model")
    for number, chart in enumerate(charts_by_state[state]):
        plot_element.draw(chart["figure_json"], chart["config"], key=f"chart_floor_{number}", label=chart["label"],
                          selectable=chart["selectable"])
elif variant in ("select-map", "select-map-element", "select-timeline-element"):
    chosen = st.selectbox("Countries", list(HIGHLIGHTS), key="baseline_model")
    from guarantee_atlas import theme

    config = theme.plotly_config("baseline")  # the app's own config: the chart element reads its image options
    build = timeline if variant == "select-timeline-element" else world_map
    fig = build(tuple(HIGHLIGHTS[chosen]))
    if variant == "select-map":
        st.plotly_chart(fig, width="stretch", theme=None, key="baseline_map", config=config)
    else:
        from guarantee_atlas import plot_element

        plot_element.draw(fig.to_json().encode(), config, key="chart_baseline", label=variant)
else:
    choice = st.selectbox("Model", list(MODELS), key="baseline_model") if variant == "select" else next(iter(MODELS))
    fig = go.Figure(go.Bar(x=["legally binding", "political", "absent"], y=MODELS[choice], name=choice))
    fig.update_layout(title=f"Provisions by level: {choice}", height=480)
    st.plotly_chart(fig, width="stretch", theme=None, key="baseline_chart")
