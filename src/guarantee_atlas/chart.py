"""The one chart wrapper every page uses to show a plotly figure."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from . import citations, downloads, export, i18n, plot_element, theme
from .citations import citation
from .describe import Describe, describe
from .data import Dataset
from .figures import FigureBuilder
from .i18n import N_, _, n_
from .memo import memoized

IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}
VIEWS = {"chart": N_("Chart"), "table": N_("Table")}
VIEW_ICONS = {"chart": ":material/bar_chart:", "table": ":material/table:"}


def view_label(view: str) -> str:
    """The Chart | Table switch's words for ``view``, with its icon, in the language in use."""
    return f"{VIEW_ICONS[view]} {_(VIEWS[view])}"


@dataclass
class ChartSpec:
    """What the wrapper needs besides the figure.

    ``data`` holds exactly the rows behind the chart (filters applied) and a
    ``source_ids`` column. ``as_of`` is a data set's own cut-off (the Kiel
    tracker's), which the title already names; without it the wrapper says
    how far the rows' facts reach (``facts_reach``) and adds that to the title.
    ``countries`` (for file names) only when the chart's figure depends on
    them: the plotly config carries the file name, and any change to it
    makes the browser draw the chart again from scratch. ``describe``: what
    the rows are, for the description computed from them (``describe.Describe``;
    without it the description counts the rows and names the columns).
    """

    page: str
    chart_id: str
    title: str
    data: pd.DataFrame
    as_of: date | None = None
    model: str | None = None
    countries: list[str] = field(default_factory=list)
    extra_source_ids: tuple[str, ...] = ()
    note: str | None = None
    describe: Describe | None = None

    @cached_property
    def all_source_ids(self) -> tuple[str, ...]:
        """``source_ids``, read from the rows once per spec: the title, image source line, caption,
        description and file name all ask."""
        values = tuple(self.data["source_ids"]) if "source_ids" in self.data.columns else ()
        return values + tuple(self.extra_source_ids)


@dataclass(frozen=True)
class Recipe:
    """A figure builder and its arguments: ``show_chart`` builds and themes it once per process."""

    build: Callable[..., go.Figure]
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def recipe(build: Callable[..., go.Figure], *args, **kwargs) -> Recipe:
    """``recipe(build_role_map, roles, highlight=codes)``: what ``build_role_map(roles, highlight=codes)`` draws."""
    return Recipe(build, args, kwargs)


def built_spec(figure: Recipe) -> dict:
    """The figure as a dict: straight from a builder written in dicts (``figures.FigureBuilder.spec``),
    else from the ``go.Figure`` the builder returns."""
    if isinstance(figure.build, FigureBuilder):
        return figure.build.spec(*figure.args, **figure.kwargs)
    return figure.build(*figure.args, **figure.kwargs).to_plotly_json()


@memoized(maxsize=64)
def themed_spec(figure: Recipe, title: str, source: str) -> dict:
    """The built figure's dict with its title and source line; shared by every session, so read-only."""
    return theme.themed_spec(built_spec(figure), title, source)


def themed_figure(figure: Recipe, title: str, source: str) -> go.Figure:
    """``themed_spec`` as a validated figure (the HTML download), made from a copy: validation reorders the
    dicts it is given, and this one is shared."""
    return go.Figure(copy.deepcopy(themed_spec(figure, title, source)))


@memoized(maxsize=64)
def themed_figure_json(figure: Recipe, title: str, source: str) -> bytes:
    """``themed_spec`` as the JSON the browser draws, serialized once per process.

    Not validated on the way to the browser (tests/test_chart_json.py holds
    this JSON to the validated figure's on every kind of page).
    """
    return pio.json.to_json_plotly(themed_spec(figure, title, source)).encode()


def with_as_of(title: str, day: date | None) -> str:
    """'<title> (facts to May 2026)', or the title alone when the date is unknown."""
    if not day:
        return title
    return _("{title} (facts to {month})").format(title=title, month=i18n.format_month(day))


def facts_reach(ds: Dataset, spec: ChartSpec) -> date | None:
    """The newest date the chart's rows attest: their own dates and their sources' publication dates.

    Dates after the sources were last checked (an agreement's term ending in 2034)
    are what a text says will happen, not how far the facts reach, and are left out.
    """
    if spec.as_of:
        return spec.as_of
    return _facts_reach(ds, spec.data, source_ids(spec))


@memoized(maxsize=128)
def _facts_reach(ds: Dataset, data: pd.DataFrame, ids: tuple[str, ...]) -> date | None:
    dates = [data[c] for c in data.columns if pd.api.types.is_datetime64_any_dtype(data[c])]
    dates.append(pd.to_datetime(chart_sources(ds, ids)["published"]))
    every = pd.concat(dates).dropna()
    if ds.checked_on is not None:
        every = every[every <= pd.Timestamp(ds.checked_on)]
    return every.max().date() if len(every) else None


def chart_title(ds: Dataset, spec: ChartSpec) -> str:
    """The title with how far its facts reach, unless it names a cut-off of its own."""
    return spec.title if spec.as_of else with_as_of(spec.title, facts_reach(ds, spec))


def dates_text(ds: Dataset, spec: ChartSpec, style: str = "medium") -> str:
    """'Data as of 30 Apr 2026' for a cut-off, else 'Facts to 18 May 2026, sources checked 6 Dec 2026'.

    ``style`` is Babel's date style: "medium" (30 Apr 2026) in the image, "long" (30 April 2026) in text.
    """
    if spec.as_of:
        return _("Data as of {date}").format(date=i18n.format_date(spec.as_of, style))
    reach = facts_reach(ds, spec)
    reach_text = i18n.format_date(reach, style) if reach else None
    checked_text = i18n.format_date(ds.checked_on, style) if ds.checked_on else None
    if reach_text and checked_text:
        return _("Facts to {date}, sources checked {checked}").format(date=reach_text, checked=checked_text)
    if reach_text:
        return _("Facts to {date}").format(date=reach_text)
    if checked_text:
        return _("Sources checked {checked}").format(checked=checked_text)
    return ""


def full_stop(text: str) -> str:
    """``text`` ending a sentence: one full stop ("… 2026 р." already has it)."""
    return text if text.endswith(".") else text + "."


def source_ids(spec: ChartSpec) -> tuple[str, ...]:
    """Source ids behind the chart: from its rows, then the extra ones."""
    return spec.all_source_ids


@memoized(maxsize=128)
def chart_sources(ds: Dataset, ids: tuple[str, ...]) -> pd.DataFrame:
    """Rows of sources.csv behind a chart (``ds.sources_for``, once per process for each chart)."""
    return ds.sources_for(ids)


@memoized(maxsize=128)
def chart_publishers(ds: Dataset, ids: tuple[str, ...]) -> pd.DataFrame:
    """The chart's publishers, best backing first (``citations.ranked_publishers``, once per process for each chart)."""
    return citations.ranked_publishers(chart_sources(ds, ids), ids)


def source_line(ds: Dataset, spec: ChartSpec, max_publishers: int = 3) -> str:
    """'Source: A; B; C and 4 more · Data as of … · Guarantee Atlas data vX' (inside the image).

    Publishers come in the order of ``citations.ranked_publishers`` (primary and official
    texts first, mirrors last, 'The Wall Street Journal, via Caliber.az'); mirrors are named
    only when nothing better backs the chart (``citations.image_publishers``). 'and N more'
    counts every other publisher, the mirrors left out included: the CSV lists them all.
    """
    return _source_line(ds, source_ids(spec), dates_text(ds, spec), max_publishers)


@memoized(maxsize=128)
def _source_line(ds: Dataset, ids: tuple[str, ...], dates: str, max_publishers: int) -> str:
    ranked = chart_publishers(ds, ids)
    publishers = citations.image_publishers(ranked)[:max_publishers]
    shown = "; ".join(publishers)
    if len(ranked) > len(publishers):
        rest = len(ranked) - len(publishers)
        shown = n_("{publishers} and {n} more", "{publishers} and {n} more", rest).format(publishers=shown, n=rest)
    parts = [_("Source: {publishers}").format(publishers=shown or _("see Methodology"))]
    if dates:
        parts.append(dates)
    parts.append(_("Guarantee Atlas data v{version}").format(version=ds.version))
    return " · ".join(parts)


def caption_markdown(ds: Dataset, spec: ChartSpec) -> str:
    """The caption under a chart: as-of date, linked publishers, note."""
    return _caption_markdown(ds, source_ids(spec), dates_text(ds, spec, "long"), spec.note)


@memoized(maxsize=128)
def _caption_markdown(ds: Dataset, ids: tuple[str, ...], dates: str, note: str | None) -> str:
    # Every publisher, linked, in the ranking the image's source line uses (mirrors last).
    links = []
    for row in chart_publishers(ds, ids).itertuples(index=False):
        link = citation(row.source, label=row.label)
        if row.documents > 1:
            link = n_("{link} ({n} document)", "{link} ({n} documents)", row.documents).format(
                link=link, n=row.documents
            )
        links.append(link)
    shown = ", ".join(links[:12])
    if len(links) > 12:
        rest = len(links) - 12
        shown = n_(
            "{publishers}, and {n} more publisher (all in the CSV)",
            "{publishers}, and {n} more publishers (all in the CSV)",
            rest,
        ).format(publishers=shown, n=rest)
    as_of_text = f"{full_stop(dates)} " if dates else ""
    # The note is the chart's own sentence, translated where it was written (``ChartSpec.note``).
    note_text = f" {downloads.escape_markdown(note)}" if note else ""
    sources_text = _("Sources: {sources}.").format(sources=shown or _("see the Methodology page"))
    return f"{as_of_text}{sources_text}{note_text}"


def chart_description(ds: Dataset, spec: ChartSpec) -> str:
    """The chart in words, from its rows: read by screen readers and under "Describe this chart"."""
    return _description(spec.data, spec.describe, tuple(spec.countries), dates_text(ds, spec, "long"))


@memoized(maxsize=128)
def _description(data: pd.DataFrame, hints: Describe | None, countries: tuple[str, ...], dates: str) -> str:
    # Once per process for each chart state: the hints are the same object each time (``describe``'s *_hints).
    return describe(data, hints, countries=countries, dates=dates)


def show_chart(
    figure: Recipe, spec: ChartSpec, ds: Dataset, *, on_select: bool = False, heading: int = 2
) -> list[dict]:
    """Build and theme the figure (once per process), draw it with the app's plotly config, caption and downloads.

    ``heading`` is the level of the chart's title: one below the heading it sits under (2 under the page's
    title), so that headings go in order for screen-reader users.

    Returns the points of the last click on the chart when ``on_select`` is
    true (click a map to pick a country), else [] (see ``plot_element.draw``).
    """
    source = source_line(ds, spec)
    title = chart_title(ds, spec)
    filename = export_filename(spec, ds)
    key = f"chart_{spec.page}_{spec.chart_id}"
    format_key = f"{key}_image_format"
    # The toolbar's camera button exports one format; the control under the
    # chart (drawn below, read here) switches it between PNG and SVG.
    config = chart_config(filename, st.session_state.get(format_key) or "png")
    # The title in the page's own type, wrapped by the browser for the width it is read at.
    description = chart_description(ds, spec)
    with st.container(key=f"{key}_title"):  # the key's class sizes every chart title alike (theme.PAGE_CSS)
        st.markdown(f"{'#' * heading} {downloads.escape_markdown(title)}")
    # Chart | Table, as Our World in Data does: the table holds exactly the chart's rows.
    # The switch is drawn with the other controls under the chart; its value is read here.
    view_key = f"{key}_view"
    view = st.session_state.get(view_key) or "chart"
    points: list[dict] = []
    if view == "table":
        show_table(spec, ds, key)
    else:
        points = plot_element.draw(
            themed_figure_json(figure, title, source), config, key=key, label=title, selectable=on_select,
            description=description,
        )
    with st.expander(_("Describe this chart"), icon=":material/description:"):
        st.markdown(downloads.escape_markdown(description))
    st.caption(caption_markdown(ds, spec))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(
            _("Chart or table: {title}").format(title=title),
            list(VIEWS),
            format_func=view_label,
            default="chart",
            required=True,
            key=view_key,
            label_visibility="collapsed",
            help=_("The table: exactly the rows the chart draws, with their sources; sort it by any column."),
        )
        st.download_button(
            _("Download data (CSV)"),
            data=lambda: downloads.chart_csv(spec.data, ds),
            file_name=f"{filename}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"{key}_csv",
            icon=":material/download:",
        )
        st.download_button(
            _("Download interactive chart (HTML)"),
            data=lambda: chart_html(themed_figure(figure, title, source), spec, ds, config),
            file_name=f"{filename}.html",
            mime="text/html",
            on_click="ignore",
            key=f"{key}_html",
            icon=":material/download:",
            help=_("One file that opens in any browser, offline, with hover and zoom."),
        )
        st.segmented_control(
            _("Image format"),
            list(IMAGE_FORMATS),
            format_func=IMAGE_FORMATS.get,
            default="png",
            required=True,
            key=format_key,
            help=_(
                "The camera button in the chart's toolbar (top right, on hover) saves the chart as an image "
                "with its title and sources: PNG at slide size ({width}×{height} pixels) or SVG for print and editing."
            ).format(width=2 * theme.EXPORT_WIDTH, height=2 * theme.EXPORT_HEIGHT),
        )
    return points


def table_frame(spec: ChartSpec, ds: Dataset) -> pd.DataFrame:
    """The chart's rows with their sources, as the table view shows them (the CSV's columns)."""
    return downloads.with_sources(spec.data, ds).drop(columns="data_version")


def show_table(spec: ChartSpec, ds: Dataset, key: str) -> None:
    """The chart's rows as a sortable table (click a column's header), each row with its sources."""
    frame = table_frame(spec, ds)
    st.caption(
        n_(
            "{n} row, exactly those the chart draws, with their sources. "
            "Sort by clicking a column's header. “Download data (CSV)” below gives the same rows.",
            "{n} rows, exactly those the chart draws, with their sources. "
            "Sort by clicking a column's header. “Download data (CSV)” below gives the same rows.",
            len(frame),
        ).format(n=i18n.format_number(len(frame)))
    )
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")


def chart_config(filename: str, image_format: str = "png") -> dict:
    """The app's plotly config with the toolbar image export in ``image_format``.

    An SVG keeps the slide size as its natural size (a vector needs no scale).
    """
    config = theme.plotly_config(filename)
    options = {**config["toImageButtonOptions"], "format": image_format}
    if image_format == "svg":
        options["scale"] = 1
    config["toImageButtonOptions"] = options
    return config


def chart_html(fig: go.Figure, spec: ChartSpec, ds: Dataset, config: dict) -> bytes:
    """The themed chart as a standalone, offline HTML file with its linked sources."""
    from .geometry import STATIC_DIR  # geopandas loads only when a file is asked for

    sources = chart_sources(ds, source_ids(spec))
    dates = dates_text(ds, spec, "long")
    as_of = f"{full_stop(dates)} " if dates else ""
    return export.standalone_html(
        fig,
        title=chart_title(ds, spec),
        config=config,
        sources=sources,
        footnote=as_of + _("Guarantee Atlas data version {version}. Compiled data: CC BY 4.0.").format(version=ds.version),
        topojson_dir=STATIC_DIR,
        lang=i18n.current(),
    )


def export_filename(spec: ChartSpec, ds: Dataset) -> str:
    """The download name (``theme.export_filename``: ASCII ids), with ``-uk`` for a file in Ukrainian.

    The ids stay the same in every language; the suffix keeps a Ukrainian file from
    overwriting the English one of the same chart (English names are as they always were).
    """
    name = theme.export_filename(spec.page, spec.chart_id, spec.model, spec.countries, facts_reach(ds, spec))
    return language_suffix(name)


def language_suffix(name: str, lang: str | None = None) -> str:
    """``name`` with the language for any language but English: ``…-uk``."""
    lang = lang or i18n.current()
    return name if lang == i18n.DEFAULT else f"{name}-{lang}"
