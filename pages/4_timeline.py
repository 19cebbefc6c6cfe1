"""Timeline: the models from 1991 to today, a lane per model, the country filter highlighted."""

from datetime import date

import streamlit as st

from guarantee_atlas import timeline_data
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.countries import country_name
from guarantee_atlas.describe import timeline_hints
from guarantee_atlas.figures.timeline import build_timeline
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import on_request, page, url_choice, view_fragment


def lane_filter(container, registry) -> list[str]:
    """Lanes shown, bound to ``?lanes=`` (absent: all of them)."""
    lanes = {lane: f"{registry.style(lane).glyph} {registry.lane_label(lane)}" for lane in registry.lanes}
    return url_choice(
        "lanes", _("Models shown"), lanes, list(lanes), widget="multi", container=container,
        placeholder=_("Choose a model"),
    )


def period_filter(container) -> str:
    """Date-axis preset, bound to ``?period=``."""
    labels = timeline_data.period_labels()
    return url_choice(
        "period",
        _("Years shown"),
        labels,
        "all",
        container=container,
        default_in_url=True,
        help=_(
            "“{all}” draws 1991–2021 compressed on the left and 2022 to today wide on the right, where the "
            "events crowd; markers that would overlap stand on extra rows under their model's row. “1991–”, "
            "“2014–” and “2022–” run from that year to today on one scale; “{terms}” also shows the rest of "
            "each agreement's ten-year term. Drag across the chart to zoom; double-click to zoom out."
        ).format(all=labels["all"], terms=labels["terms"]),
    )


def entries_table(rows, countries: list[str]) -> None:
    """The chart's rows as a sortable table, with a column for the chosen countries."""
    st.caption(_("Sort by any column. The chart's “Download data (CSV)” button gives these rows with all sources."))
    st.dataframe(
        timeline_data.table_frame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Year": st.column_config.DateColumn(_("Year"), format="YYYY", help=_("Start year (sorts by full date)")),
            "Link": st.column_config.LinkColumn(
                _("First source"), display_text=r"https?://(?:www\.)?([^/]+)", help=_("Opens the first source")
            ),
            "Chosen country": (
                st.column_config.CheckboxColumn(
                    _("Chosen country"),
                    help=_("Names {countries}").format(countries=", ".join(country_name(c) for c in countries)),
                )
                if countries
                else None
            ),
        },
    )


# A fragment: a change of the lanes or the years shown reruns this view, not the page. Inside it, a country
# change reruns only the part drawn by ``ctx.filtered``.
@view_fragment
def timeline_view(ctx, events, agreements, sources) -> None:
    today = date.today()
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    lanes = lane_filter(left, ctx.models)
    period = period_filter(right)

    def filtered(view) -> None:
        """The chart, its detail and its table: the rows outline what names the chosen countries."""
        rows = timeline_data.timeline_rows(
            events, agreements, sources, ctx.models, lanes, view.countries, ongoing_until=ctx.ds.checked_on or today
        )

        if not lanes:
            st.info(_("Choose at least one model above to see its timeline."), icon=":material/filter_alt_off:")
        elif rows.empty:
            st.info(_("The data hold no timeline entries for the chosen models."), icon=":material/filter_alt_off:")
        else:
            found, missing = timeline_data.highlight_names(rows, view.countries)
            notice = st.container()  # a fixed slot: the chart below keeps its place when the notice comes and goes
            if missing:
                notice.info(
                    n_(
                        "No entry shown here names {countries}, so nothing is highlighted for it.",
                        "No entry shown here names {countries}, so nothing is highlighted for them.",
                        len(missing),
                    ).format(countries=", ".join(missing)),
                    icon=":material/info:",
                )
            title = _("Security guarantees for Ukraine, events and periods since 1991")
            if found:
                title = _("{title} · outlined ►: {countries}").format(title=title, countries=", ".join(found))
            points = show_chart(
                recipe(build_timeline, rows, timeline_data.period_ranges(period, rows, today), today),
                ChartSpec(
                    page="timeline",
                    chart_id="timeline",
                    title=title,
                    data=rows[timeline_data.EXPORT_COLUMNS],
                    countries=view.countries,
                    note=(
                        _(
                            "Bars end where the source says a period ended; an agreement's bar is its stated term "
                            "(it runs on past today: “{terms}” shows it whole)."
                        ).format(terms=timeline_data.period_labels()["terms"])
                        if period == "all"
                        else _("Bars end where the source says a period ended; an agreement's bar is its stated term.")
                    ),
                    describe=timeline_hints(ctx.models),
                ),
                ctx.ds,
                on_select=True,
            )

            picked = timeline_data.picked_row(rows, points)
            if picked is None:
                st.caption(_("Click a marker or bar in the chart to read its full detail and sources here."))
            else:
                with st.container(border=True):
                    st.markdown(timeline_data.detail_markdown(picked, sources))

            on_request(
                _("**Every entry in the chart, as a sortable table**"), "timeline_table",
                lambda: entries_table(rows, view.countries),
            )

    ctx.filtered(filtered)


with page(
    "timeline",
    N_("Timeline 1991–today"),
    N_(
        "From nuclear disarmament and the 1994 assurances, through their breach in 2014 and 2022, the "
        "2022 Compact proposal and the 2023 turn to the Israel-style model, to the 2024 wave of ten-year "
        "agreements and the 2025–2026 frameworks. Markers are events; bars are periods: the Budapest "
        "assurances, each US–Israel memorandum and each bilateral agreement's term."
    ),
) as ctx:
    events, agreements, sources = ctx.ds.require("events", "agreements", "sources")
    timeline_view(ctx, events, agreements, sources)
