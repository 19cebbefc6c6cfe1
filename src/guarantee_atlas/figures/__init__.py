"""Pure figure builders: tidy DataFrame in, plotly figure out (no Streamlit)."""

from __future__ import annotations

import functools
from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")
import plotly.graph_objects as go
import plotly.io as pio


class FigureBuilder:
    """A builder written as plain dicts in plotly's schema (``@figure_builder``).

    Calling it gives the validated ``go.Figure``, as any builder does (tests,
    exports). ``spec`` gives the same figure as a dict, not validated, with the
    template ``go.Figure`` would add: what the chart wrapper serves. Validation
    is most of a map's build (a role map: about 9 of 10 ms, one-off, 2026-12-08);
    tests/test_chart_json.py holds the two to the same JSON on every kind of page.
    """

    def __init__(self, build_dict: Callable[..., dict]):
        self._build_dict = build_dict
        functools.update_wrapper(self, build_dict)

    def __call__(self, *args, **kwargs) -> go.Figure:
        return go.Figure(self._build_dict(*args, **kwargs))

    def spec(self, *args, **kwargs) -> dict:
        return with_default_template(self._build_dict(*args, **kwargs))


def figure_builder(build_dict: Callable[..., dict]) -> FigureBuilder:
    """Make a builder of ``build_dict`` (which returns ``{"data": [...], "layout": {...}}``): see ``FigureBuilder``."""
    return FigureBuilder(build_dict)


def group_by(items: Iterable[T], key: Callable[[T], Hashable]) -> dict[Hashable, list[T]]:
    """``items`` by ``key``, keys in the order first met, items in their order: a groupby on plain lists
    (the builders' groups are small, and pandas' own cost more than the work)."""
    groups: dict[Hashable, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


@functools.cache
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def with_default_template(spec: dict) -> dict:
    """``spec`` with plotly's default template in its layout, as ``go.Figure`` sets it when none is given."""
    layout = spec.setdefault("layout", {})
    default = pio.templates.default
    if layout.get("template") is None and default is not None:
        template = _template_json(default) if isinstance(default, str) else default.to_plotly_json()
        spec["layout"] = {**layout, "template": template}
    return spec
