"""Map of guarantors: who stands behind Ukraine under each model, and how firmly."""

import streamlit as st

from guarantee_atlas import geometry, i18n, profiles
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.countries import country_name, sorted_by_name
from guarantee_atlas.describe import role_map_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import role_map
from guarantee_atlas.figures.maps import FRAMES
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import grid_columns, page, url_choice, view_fragment

VIEWS = {"single": N_("One model"), "side": N_("All models side by side")}
MAPS_PER_ROW = 2  # side by side: a grid two maps wide (2 × 2 for four models), one under the other on a phone
PROFILE_PAGE = "pages/5_country.py"


def show_headline(headline: profiles.MapHeadline, count_note: str) -> None:
    """Four numbers above the map, then how each one is counted (and where sources disagree on it)."""
    cols = st.columns(4)
    cols[0].metric(_("Guarantors"), headline.n_guarantors)
    if count_note:
        cols[0].caption(f":material/help: {escape_markdown(count_note)}")
    if headline.n_inferred:
        cols[0].caption(
            n_(
                "{n} of them inferred from a named group", "{n} of them inferred from a named group",
                headline.n_inferred,
            ).format(n=headline.n_inferred)
        )
    n_sourced = headline.n_guarantors - headline.n_inferred
    cols[1].metric(
        _("With a legally binding commitment"),
        _("{n} of {total}").format(n=headline.n_legally_binding, total=n_sourced),
    )
    cols[2].metric(_("Nuclear-weapon states among them"), len(headline.nuclear_states))
    if headline.nuclear_states:
        cols[2].caption(", ".join(country_name(c) for c in headline.nuclear_states))
    share = _("no aid data") if headline.aid_share_sourced is None else i18n.format_percent(headline.aid_share_sourced)
    cols[3].metric(_("Their share of all aid to Ukraine"), share)
    if headline.aid_share_sourced is not None:
        amounts = {
            "amount": i18n.format_money(headline.aid_eur_bn_sourced * 1e9, "EUR"),
            "total": i18n.format_money(headline.aid_total_eur_bn * 1e9, "EUR"),
        }
        if headline.aid_cutoff is not None:
            allocated = _("{amount} of {total} allocated to {date} (Kiel)").format(
                **amounts, date=i18n.format_date(headline.aid_cutoff, "medium")
            )
        else:
            allocated = _("{amount} of {total} allocated (Kiel)").format(**amounts)
        if headline.n_inferred:
            allocated = _("{allocated}; {share} with the inferred members").format(
                allocated=allocated, share=i18n.format_percent(headline.aid_share_all)
            )
        cols[3].caption(allocated)
    st.caption(
        _(
            "**How these are counted.** Guarantors: countries (and the EU institutions) with a role in this model, "
            "Ukraine left out. Legally binding: {binding_note} "
            "Nuclear-weapon states: the five the NPT recognises (US, Russia, UK, France, China). "
            "Aid share: what the guarantors named in a source allocated, over all donors in the Kiel Ukraine "
            "Support Tracker."
        ).format(binding_note=escape_markdown(headline.binding_note))
    )


# A fragment: a model change (or the lines toggle) reruns this view, not the page. Inside it, a country
# change reruns only the part drawn by ``ctx.filtered``.
@view_fragment
def single_map(ctx, tables, frame: str) -> None:
    guarantors, provisions, comparison, aid, sources = tables
    model = ctx.select_model()
    roles = profiles.country_roles(guarantors, ctx.models, model, sources)
    headline = profiles.map_headline(ctx.models, guarantors, provisions, comparison, aid, model)
    show_headline(headline, ctx.models.model(model).count_note)
    show_lines = st.toggle(
        _("Lines to Kyiv, width by aid allocated (Kiel)"),
        help=_(
            "Pledges in the agreements come in different currencies and periods, "
            "so the lines use the aid each guarantor allocated, in euros, from the Kiel tracker."
        ),
    )
    totals = profiles.aid_totals(aid)
    lines = role_map.aid_line_rows(roles, totals, geometry.centroids()) if show_lines else None
    cutoff = i18n.format_date(headline.aid_cutoff, "medium") if headline.aid_cutoff is not None else ""

    def filtered(view) -> None:
        """The map (its highlight) and the profile link: what the country filter changes."""
        points = show_chart(
            recipe(
                role_map.build_role_map, roles, highlight=view.countries, aid_lines=lines, aid_cutoff=cutoff,
                frame=frame,
            ),
            ChartSpec(
                page="map",
                chart_id="role-map",  # one chart whatever the model: a model change updates it in place
                title=_("{model}: who stands behind Ukraine, by role").format(model=ctx.models.label(model)),
                data=profiles.map_rows(guarantors, model, totals if show_lines else None),
                model=model,
                countries=view.countries,
                extra_source_ids=tuple(lines["source_ids"]) if show_lines else (),
                note=_(
                    "Fill: strongest role; hover for every role. Open symbols and lighter tones: inferred membership."
                ),
                describe=role_map_hints(ctx.models, with_aid=show_lines),
            ),
            ctx.ds,
            on_select=True,
        )
        note_undrawn(roles["iso3"])
        offer_profile(view, roles["iso3"], {"single": points})

    ctx.filtered(filtered)


def note_undrawn(codes) -> None:
    missing = role_map.undrawn_countries(codes, geometry.drawable_codes())
    if missing:
        st.info(
            _(
                "Not drawn on the map (no shape in the UN world map used here): {countries}. "
                "They are in the data download and have a country profile."
            ).format(countries=escape_markdown(", ".join(missing))),
            icon=":material/map:",
        )


def offer_profile(ctx, codes, clicks: dict) -> None:
    """A country clicked on a map, or chosen in the list (for keyboard users), links to its profile.

    ``clicks`` holds each map's clicked points; a click that differs from the one
    seen on the last run is new and moves the list to that country.
    """
    codes = sorted_by_name(set(codes))
    for chart, points in clicks.items():
        clicked = role_map.clicked_country(points)
        if clicked in codes and clicked != st.session_state.get(f"_clicked_{chart}"):
            st.session_state["map_country"] = clicked
        st.session_state[f"_clicked_{chart}"] = clicked
    choice = st.selectbox(
        _("Country profile"),
        codes,
        index=None,
        format_func=country_name,
        key="map_country",
        placeholder=_("Click a country on the map, or choose one here"),
    )
    if choice:
        st.page_link(
            PROFILE_PAGE,
            label=_("Open the profile of {country}").format(country=country_name(choice)),
            icon=":material/flag:",
            query_params=ctx.link_params(country=choice),
        )


def side_by_side(ctx, tables, frame: str) -> None:
    guarantors, *_unused, sources = tables
    st.caption(
        _(
            "Guarantors under each model, on the same map at the same scale, "
            "so that the models can be compared at a glance."
        )
    )
    registry = ctx.models
    roles = {model: profiles.country_roles(guarantors, registry, model, sources) for model in registry.ids}
    # Outside the filter's fragment: the counts do not change with the chosen countries.
    titles = {
        model: side_title(registry.chart_label(model), len(profiles.guarantor_codes(rows))) for model, rows in roles.items()
    }

    def filtered(view) -> None:
        """Every map highlights the chosen countries (and its legend names them): all of it follows the filter."""
        legend_rows = role_map.small_multiples_legend_rows(roles, highlight=view.countries)
        clicks = {}
        for column, model in zip(grid_columns(len(roles), MAPS_PER_ROW), roles):
            with column:
                clicks[model] = show_chart(
                    recipe(
                        role_map.build_role_map, roles[model], view.countries, small=True, legend_rows=legend_rows,
                        frame=frame,
                    ),
                    ChartSpec(
                        page="map",
                        chart_id=f"role-map-side-{model}",
                        title=titles[model],
                        data=profiles.map_rows(guarantors, model),
                        model=model,
                        countries=view.countries,
                        describe=role_map_hints(registry),
                    ),
                    ctx.ds,
                    on_select=True,
                )
        note_undrawn(guarantors["iso3"])
        offer_profile(view, guarantors["iso3"], clicks)

    ctx.filtered(filtered)


def side_title(model_label: str, n: int) -> str:
    """'Budapest 1994: 5 guarantors' (the noun agrees with the number in Ukrainian)."""
    return n_("{model}: {n} guarantor", "{model}: {n} guarantors", n).format(model=model_label, n=n)


with page(
    "map",
    N_("Map of guarantors"),
    N_(
        "Who stands behind Ukraine under each model, and how firmly. Countries are coloured by their strongest role "
        "and marked with a symbol for it; hover for every role, its date and source. Click a country to open its "
        "profile."
    ),
) as ctx:
    tables = ctx.ds.require("guarantors", "provisions", "comparison", "aid", "sources")
    view_column, frame_column = st.columns(2)
    view = url_choice("view", _("View"), i18n.translated_values(VIEWS), default="single", container=view_column)
    frame = url_choice(
        "frame", _("Map"), i18n.translated_values(FRAMES), default="europe", container=frame_column
    )
    if view == "side":
        side_by_side(ctx, tables, frame)
    else:
        single_map(ctx, tables, frame)
