"""Baseline pages for the benchmarks: the floor of any plotly page.

Served the same way as the app (``streamlit run`` from the repo root, same
config). ``/`` draws one plotly bar chart; ``/?variant=select`` adds a
selectbox that changes the bars, the baseline for a filter change.
"""

import plotly.graph_objects as go
import streamlit as st

MODELS = {"Budapest 1994": [5, 1, 0], "Kyiv Compact 2022": [2, 3, 1], "Israel-style 2023–": [1, 2, 3]}

st.set_page_config(page_title="Baseline", layout="wide")
st.title("Baseline")
if st.query_params.get("variant") == "select":
    choice = st.selectbox("Model", list(MODELS), key="baseline_model")
else:
    choice = next(iter(MODELS))
fig = go.Figure(go.Bar(x=["legally binding", "political", "absent"], y=MODELS[choice], name=choice))
fig.update_layout(title=f"Provisions by level: {choice}", height=480)
st.plotly_chart(fig, width="stretch", theme=None, key="baseline_chart")
