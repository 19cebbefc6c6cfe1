"""Country profile: one country's roles in each model, its agreement, aid and events."""

import pandas as pd
import streamlit as st

from guarantee_atlas import profiles, vocab
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.countries import all_codes, country_name
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import aid as aid_figures
from guarantee_atlas.layout import filter_options, grid_columns, page, url_choice

MAP_PAGE = "pages/1_map.py"


def select_country(options: list[str]) -> str | None:
    """The country, bound to ``?country=ISO3``; a valid code outside the data is kept (no-role page)."""
    return url_choice(
        "country", "Country", {code: country_name(code) for code in options}, None, widget="select",
        link_values=sorted(all_codes()), index=None, placeholder="Choose a country",
    )


def cite(ds, ids) -> None:
    st.caption("Sources: " + profiles.sources_markdown(ds.sources_for(ids)))


def text(value) -> str:
    return escape_markdown(value) if isinstance(value, str) else "—"


def show_roles(ctx, roles: dict[str, pd.DataFrame]) -> None:
    st.subheader("Role in each model")
    for column, (model_id, rows) in zip(grid_columns(len(roles), max_per_row=4), roles.items()):
        with column.container(border=True):
            st.markdown(f"**{text(ctx.models.label(model_id))}**")
            if rows.empty:
                st.markdown("No role in this model.")
                continue
            for _, row in rows.iterrows():
                st.markdown(f"**{text(profiles.role_line(row, ctx.models))}**")
                if isinstance(row["commitment"], str):
                    st.markdown(f"Commitment: {text(row['commitment'])}")
                if isinstance(row["note"], str):
                    st.caption(text(row["note"]))
                cite(ctx.ds, [row["source_ids"]])
            st.page_link(
                MAP_PAGE, label="See on the map", icon=":material/public:",
                query_params=ctx.link_params(model=model_id),
            )


def show_agreement(ctx, agreement: pd.Series | None, name: str) -> None:
    st.subheader("Bilateral security agreement with Ukraine")
    if agreement is None:
        st.markdown(f"No bilateral security agreement between {text(name)} and Ukraine is in the data.")
        return
    duration = f"{agreement['duration_years']:g} years" if pd.notna(agreement["duration_years"]) else "—"
    official = "yes" if agreement["in_official_list"] else "no"
    facts = [
        ("Signed", f"{agreement['date_signed']:%-d %B %Y}"),
        ("Place", text(agreement["place"])),
        ("Signatories", text(agreement["signatories"])),
        ("Duration", duration),
        ("Pledge", text(profiles.pledge_words(agreement))),
        ("24-hour consultation clause", escape_markdown(vocab.CONSULT_24H[agreement["consult_24h"]])),
        ("In Ukraine's official list", official),
        ("Notable", text(agreement["notable"])),
        ("Note", text(agreement["note"])),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in facts if value != "—"))
    cite(ctx.ds, [agreement["source_ids"]])


def show_aid_numbers(aid: profiles.AidProfile) -> None:
    """Total, share of GDP and each type, with the rank among donors: two to a row."""
    items = [("Total", f"€{aid.total_eur_bn:,.2f}bn", f"Rank {aid.total_rank} of {aid.n_donors} donors")]
    if aid.pct_gdp is None:
        items.append(("Bilateral aid, % of 2021 GDP", "not given", None))
    else:
        items.append(
            ("Bilateral aid, % of 2021 GDP", f"{aid.pct_gdp:.2f}%",
             f"Rank {aid.pct_gdp_rank} of {aid.n_donors_with_gdp} donors with a GDP share")
        )
    items += [
        (f"{row.label} aid", f"€{row.eur_bn:,.2f}bn", f"Rank {row.rank} of {row.n_donors} donors")
        for row in aid.by_type.itertuples(index=False)
    ]
    for start in range(0, len(items), 2):
        for column, (label, value, rank) in zip(st.columns(2), items[start : start + 2]):
            column.metric(label, value)
            if rank:
                column.caption(rank)


def show_aid_by_year(ctx, code: str, name: str) -> None:
    """The country's allocations by year and type, or a sentence saying why there is no chart.

    The yearly table is optional: missing or broken, it takes only this chart away.
    """
    if "aid_yearly" in ctx.ds.errors:
        st.info(
            "The yearly table (aid_yearly.csv) could not be read, so the chart by year is left out; "
            "the totals are not affected.",
            icon=":material/info:",
        )
        return
    yearly = ctx.ds.tables.get("aid_yearly")
    if yearly is None:
        st.markdown("This data has no yearly table of the tracker (aid_yearly.csv): only the totals are shown.")
        return
    rows = profiles.aid_by_year(yearly, code)
    if rows.empty:
        st.markdown(f"The tracker's yearly table lists no allocations from {text(name)} by year.")
        return
    cutoff = rows["cutoff_date"].iloc[0]
    show_chart(
        recipe(aid_figures.build_country_aid_by_year, rows),
        ChartSpec(
            page="country",
            chart_id="aid-by-year",
            title=f"{name}: aid allocated to Ukraine by year and type, € billion, to {cutoff:%-d %b %Y}",
            data=rows,
            as_of=cutoff.date(),
            countries=[code],
            note=f"{cutoff.year} covers January to {cutoff:%B} only. Yearly amounts are summed from the "
            "tracker's monthly rows (see the Methodology page).",
        ),
        ctx.ds,
        heading=4,
    )


def show_aid(ctx, aid: profiles.AidProfile | None, code: str, name: str) -> None:
    st.subheader("Aid to Ukraine (Kiel Ukraine Support Tracker)")
    if aid is None:
        st.markdown(f"The Kiel tracker in this data lists no aid from {text(name)}.")
        return
    numbers, by_year = st.columns([2, 3], gap="large")  # side by side on a desktop, stacked on a phone
    with numbers:
        show_aid_numbers(aid)
    with by_year:
        show_aid_by_year(ctx, code, name)
    st.caption(
        f"Allocated aid to {aid.cutoff:%-d %B %Y} (Kiel release {text(aid.release)}). Kiel gives the share of GDP "
        "for a donor's total bilateral aid, not per type."
    )
    cite(ctx.ds, [aid.source_ids])


def show_events(ctx, events: pd.DataFrame, name: str) -> None:
    st.subheader("On the timeline")
    if events.empty:
        st.markdown(f"No event on the timeline names {text(name)}.")
        return
    for _, event in events.iterrows():
        st.markdown(f"**{profiles.event_date(event)}** — **{text(event['title'])}**. {text(event['detail'])}")
        cite(ctx.ds, [event["source_ids"]])


with page(
    "country",
    "Country profile",
    "One country's place in each model, side by side: its roles, its bilateral security agreement, "
    "the aid it gave and the events that name it, each with its sources.",
) as ctx:
    guarantors, agreements, aid, events = ctx.ds.require("guarantors", "agreements", "aid", "events")
    code = select_country(profiles.country_choices(filter_options(ctx.ds), events))
    if code is None:
        st.info("Choose a country above, or click one on the map.", icon=":material/flag:")
    else:
        name = country_name(code)
        st.header(name)
        roles = profiles.roles_by_model(guarantors, ctx.models, code)
        if all(rows.empty for rows in roles.values()):
            models = ", ".join(ctx.models.chart_label(m) for m in ctx.models.ids)
            st.info(
                f"{text(name)} has no role in any of the {len(ctx.models)} models in this data ({text(models)}): "
                "no source recorded here names it as a guarantor, assurer, partner or member.",
                icon=":material/info:",
            )
        else:
            show_roles(ctx, roles)
        show_agreement(ctx, profiles.agreement_for(agreements, code), name)
        show_aid(ctx, profiles.aid_profile(aid, code), code, name)
        show_events(ctx, profiles.events_for(events, code), name)
