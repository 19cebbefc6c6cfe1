"""Pure figure builders: tidy DataFrame in, plotly figure out (no Streamlit)."""
