"""Map of guarantors: who stands behind Ukraine under each model, and how firmly."""

import streamlit as st

from guarantee_atlas import geometry, profiles
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.countries import country_name
from guarantee_atlas.describe import role_map_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import role_map
from guarantee_atlas.figures.maps import FRAMES
from guarantee_atlas.layout import grid_columns, page, url_choice

VIEWS = {"single": "One model", "side": "All models side by side"}
MAPS_PER_ROW = 2  # side by side: a grid two maps wide (2 × 2 for four models), one under the other on a phone
PROFILE_PAGE = "pages/5_country.py"


def show_headline(headline: profiles.MapHeadline, count_note: str) -> None:
    """Four numbers above the map, then how each one is counted (and where sources disagree on it)."""
    cols = st.columns(4)
    cols[0].metric("Guarantors", headline.n_guarantors)
    if count_note:
        cols[0].caption(f":material/help: {escape_markdown(count_note)}")
    if headline.n_inferred:
        cols[0].caption(f"{headline.n_inferred} of them inferred from a named group")
    n_sourced = headline.n_guarantors - headline.n_inferred
    cols[1].metric("With a legally binding commitment", f"{headline.n_legally_binding} of {n_sourced}")
    cols[2].metric("Nuclear-weapon states among them", len(headline.nuclear_states))
    if headline.nuclear_states:
        cols[2].caption(", ".join(country_name(c) for c in headline.nuclear_states))
    share = "no aid data" if headline.aid_share_sourced is None else f"{headline.aid_share_sourced:.0%}"
    cols[3].metric("Their share of all aid to Ukraine", share)
    if headline.aid_share_sourced is not None:
        cutoff = f" to {headline.aid_cutoff:%-d %b %Y}" if headline.aid_cutoff is not None else ""
        with_inferred = (
            f"; {headline.aid_share_all:.0%} with the inferred members" if headline.n_inferred else ""
        )
        cols[3].caption(
            f"€{headline.aid_eur_bn_sourced:,.1f}bn of €{headline.aid_total_eur_bn:,.1f}bn allocated{cutoff} "
            f"(Kiel){with_inferred}"
        )
    st.caption(
        "**How these are counted.** Guarantors: countries (and the EU institutions) with a role in this model, "
        "Ukraine left out. "
        f"Legally binding: {escape_markdown(headline.binding_note)} "
        "Nuclear-weapon states: the five the NPT recognises (US, Russia, UK, France, China). "
        "Aid share: what the guarantors named in a source allocated, over all donors in the Kiel Ukraine Support Tracker."
    )


def single_map(ctx, tables, frame: str) -> None:
    guarantors, provisions, comparison, aid, sources = tables
    model = ctx.select_model()
    roles = profiles.country_roles(guarantors, ctx.models, model, sources)
    headline = profiles.map_headline(ctx.models, guarantors, provisions, comparison, aid, model)
    show_headline(headline, ctx.models.model(model).count_note)
    show_lines = st.toggle(
        "Lines to Kyiv, width by aid allocated (Kiel)",
        help="Pledges in the agreements come in different currencies and periods, "
        "so the lines use the aid each guarantor allocated, in euros, from the Kiel tracker.",
    )
    totals = profiles.aid_totals(aid)
    lines = role_map.aid_line_rows(roles, totals, geometry.centroids()) if show_lines else None
    cutoff = f"{headline.aid_cutoff:%-d %b %Y}" if headline.aid_cutoff is not None else ""
    points = show_chart(
        recipe(
            role_map.build_role_map, roles, highlight=ctx.countries, aid_lines=lines, aid_cutoff=cutoff, frame=frame
        ),
        ChartSpec(
            page="map",
            chart_id="role-map",  # one chart whatever the model: a model change updates it in place
            title=f"{ctx.models.label(model)}: who stands behind Ukraine, by role",
            data=profiles.map_rows(guarantors, model, totals if show_lines else None),
            model=model,
            countries=ctx.countries,
            extra_source_ids=tuple(lines["source_ids"]) if show_lines else (),
            note="Fill: strongest role; hover for every role. Open symbols and lighter tones: inferred membership.",
            describe=role_map_hints(ctx.models, with_aid=show_lines),
        ),
        ctx.ds,
        on_select=True,
    )
    note_undrawn(roles["iso3"])
    offer_profile(ctx, roles["iso3"], {"single": points})


def note_undrawn(codes) -> None:
    missing = role_map.undrawn_countries(codes, geometry.drawable_codes())
    if missing:
        st.info(
            f"Not drawn on the map (no shape in the UN world map used here): {escape_markdown(', '.join(missing))}. "
            "They are in the data download and have a country profile.",
            icon=":material/map:",
        )


def offer_profile(ctx, codes, clicks: dict) -> None:
    """A country clicked on a map, or chosen in the list (for keyboard users), links to its profile.

    ``clicks`` holds each map's clicked points; a click that differs from the one
    seen on the last run is new and moves the list to that country.
    """
    codes = sorted(set(codes), key=country_name)
    for chart, points in clicks.items():
        clicked = role_map.clicked_country(points)
        if clicked in codes and clicked != st.session_state.get(f"_clicked_{chart}"):
            st.session_state["map_country"] = clicked
        st.session_state[f"_clicked_{chart}"] = clicked
    choice = st.selectbox(
        "Country profile",
        codes,
        index=None,
        format_func=country_name,
        key="map_country",
        placeholder="Click a country on the map, or choose one here",
    )
    if choice:
        st.page_link(
            PROFILE_PAGE,
            label=f"Open the profile of {country_name(choice)}",
            icon=":material/flag:",
            query_params=ctx.link_params(country=choice),
        )


def side_by_side(ctx, tables, frame: str) -> None:
    guarantors, _, _, _, sources = tables
    st.caption(
        "Guarantors under each model, on the same map at the same scale, "
        "so that the models can be compared at a glance."
    )
    registry = ctx.models
    roles = {model: profiles.country_roles(guarantors, registry, model, sources) for model in registry.ids}
    legend_rows = role_map.small_multiples_legend_rows(roles, highlight=ctx.countries)
    clicks = {}
    for column, model in zip(grid_columns(len(roles), MAPS_PER_ROW), roles):
        with column:
            clicks[model] = show_chart(
                recipe(
                    role_map.build_role_map, roles[model], ctx.countries, small=True, legend_rows=legend_rows,
                    frame=frame,
                ),
                ChartSpec(
                    page="map",
                    chart_id=f"role-map-side-{model}",
                    title=f"{registry.chart_label(model)}: {len(profiles.guarantor_codes(roles[model]))} guarantors",
                    data=profiles.map_rows(guarantors, model),
                    model=model,
                    countries=ctx.countries,
                    describe=role_map_hints(registry),
                ),
                ctx.ds,
                on_select=True,
            )
    note_undrawn(guarantors["iso3"])
    offer_profile(ctx, guarantors["iso3"], clicks)


with page(
    "map",
    "Map of guarantors",
    "Who stands behind Ukraine under each model, and how firmly. Countries are coloured by their strongest role "
    "and marked with a symbol for it; hover for every role, its date and source. Click a country to open its profile.",
) as ctx:
    tables = ctx.ds.require("guarantors", "provisions", "comparison", "aid", "sources")
    view_column, frame_column = st.columns(2)
    view = url_choice("view", "View", VIEWS, default="single", container=view_column)
    frame = url_choice("frame", "Map", FRAMES, default="europe", container=frame_column)
    if view == "side":
        side_by_side(ctx, tables, frame)
    else:
        single_map(ctx, tables, frame)
