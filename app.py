"""Home: the overview map and the models at a glance."""

import streamlit as st

from guarantee_atlas import i18n, summaries
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.describe import overview_map_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures.maps import FRAMES, build_overview_map, guarantor_counts
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import available_pages, download_all_data, grid_columns, page, url_choice

with page(
    "home",
    N_("Who guarantees Ukraine's security?"),
    N_(
        "The security guarantees offered to Ukraine since 1994, side by side: from the assurances of 1994 to the "
        "guarantees planned for after a ceasefire. Each card says what a model is, who stands behind it and what "
        "became of it; every fact links to its source."
    ),
) as ctx:
    models, guarantors = ctx.ds.require("models", "guarantors")
    registry = ctx.models
    cards = summaries.model_cards(registry, models, guarantors)
    has_map = any(p.page_id == "map" for p in available_pages())
    st.header(_("The models side by side"))
    map_links = {}  # each card's link to the map, drawn with the country filter (its link carries the countries)
    for column, card in zip(grid_columns(len(cards), max_per_row=4), cards):
        with column.container(border=True):
            st.subheader(registry.chart_label(card.model_id))
            st.markdown(f"**{card.name}** · {i18n.format_date(card.date)}")
            st.markdown(f"*{card.legal_form}*")
            st.metric(_("Guarantor countries named"), card.n_guarantors)
            if card.n_inferred:  # a caption: a longer metric value is cut off in a four-card row
                st.caption(
                    n_(
                        "{n} of them inferred from a named group", "{n} of them inferred from a named group",
                        card.n_inferred,
                    ).format(n=card.n_inferred)
                )
            if card.count_note:
                st.caption(f":material/help: {escape_markdown(card.count_note)}")
            st.markdown(_("**Status today:** {status}").format(status=card.status_short))
            st.caption(card.summary)
            if has_map:
                map_links[card.model_id] = st.container()

    counts = guarantor_counts(guarantors, registry)
    n_models = len(registry)

    def filtered(view) -> None:
        """What the country filter changes: the map's highlight and the links that carry the countries."""
        for model_id, box in map_links.items():
            box.page_link(
                "pages/1_map.py", label=_("See the map"), icon=":material/public:",
                query_params=view.link_params(model=model_id),
            )
        frame = url_choice("frame", _("Map"), i18n.translated_values(FRAMES), default="europe")
        show_chart(
            recipe(build_overview_map, counts, n_models, highlight=view.countries, frame=frame),
            ChartSpec(
                page="home",
                chart_id="overview-map",
                title=n_(
                    "How many of the {n} models name each country as a guarantor",
                    "How many of the {n} models name each country as a guarantor",
                    n_models,
                ).format(n=n_models),
                data=guarantors[guarantors["iso3"].isin(counts["iso3"])],
                countries=view.countries,
                # The description's words are marked for the catalogue; describe.py puts them in sentences.
                describe=overview_map_hints(n_models),
            ),
            ctx.ds,
        )

    ctx.filtered(filtered)  # the map's own widget (the frame) is in it; no widget below writes to the link

    st.header(_("All the data"))
    st.caption(_("Every table behind this site, with column definitions, sources, licences and how to cite it."))
    download_all_data(ctx.ds)
