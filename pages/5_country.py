"""Country profile: one country's roles in each model, its agreement, aid and events."""

import pandas as pd
import streamlit as st

from guarantee_atlas import i18n, profiles, vocab
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.countries import all_codes, country_name
from guarantee_atlas.describe import country_aid_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import aid as aid_figures
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import filter_options, grid_columns, page, url_choice

MAP_PAGE = "pages/1_map.py"


def select_country(options: list[str]) -> str | None:
    """The country, bound to ``?country=ISO3``; a valid code outside the data is kept (no-role page)."""
    return url_choice(
        "country", _("Country"), {code: country_name(code) for code in options}, None, widget="select",
        link_values=sorted(all_codes()), index=None, placeholder=_("Choose a country"),
    )


def cite(ds, ids) -> None:
    st.caption(_("Sources: {sources}").format(sources=profiles.sources_markdown(ds.sources_for(ids))))


def text(value) -> str:
    return escape_markdown(value) if isinstance(value, str) else "—"


def show_roles(ctx, roles: dict[str, pd.DataFrame]) -> dict:
    """Each model's card; returns the place of each card's link to the map (drawn with the country filter)."""
    st.subheader(_("Role in each model"))
    map_links = {}
    for column, (model_id, rows) in zip(grid_columns(len(roles), max_per_row=4), roles.items()):
        with column.container(border=True):
            st.markdown(f"**{text(ctx.models.label(model_id))}**")
            if rows.empty:
                st.markdown(_("No role in this model."))
                continue
            for _index, row in rows.iterrows():
                st.markdown(f"**{text(profiles.role_line(row, ctx.models))}**")
                if isinstance(row["commitment"], str):
                    st.markdown(_("Commitment: {commitment}").format(commitment=text(row["commitment"])))
                if isinstance(row["note"], str):
                    st.caption(text(row["note"]))
                cite(ctx.ds, [row["source_ids"]])
            map_links[model_id] = st.container()
    return map_links


def show_map_links(view, map_links: dict) -> None:
    """'See on the map' in each card: the link carries the countries of the sidebar filter."""
    for model_id, box in map_links.items():
        box.page_link(
            MAP_PAGE, label=_("See on the map"), icon=":material/public:", query_params=view.link_params(model=model_id)
        )


def show_agreement(ctx, agreement: pd.Series | None, name: str) -> None:
    st.subheader(_("Bilateral security agreement with Ukraine"))
    if agreement is None:
        st.markdown(
            _("No bilateral security agreement between {country} and Ukraine is in the data.").format(
                country=text(name)
            )
        )
        return
    duration = duration_words(agreement["duration_years"])
    consultation = vocab.CONSULT_24H[agreement["consult_24h"]]
    official = _("yes") if agreement["in_official_list"] else _("no")
    facts = [
        (_("Signed"), i18n.format_date(agreement["date_signed"])),
        (_("Place"), text(agreement["place"])),
        (_("Signatories"), text(agreement["signatories"])),
        (_("Duration"), duration),
        (_("Pledge"), text(profiles.pledge_words(agreement))),
        (_("24-hour consultation clause"), escape_markdown(_(consultation))),
        (_("In Ukraine's official list"), official),
        (_("Notable"), text(agreement["notable"])),
        (_("Note"), text(agreement["note"])),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in facts if value != "—"))
    cite(ctx.ds, [agreement["source_ids"]])


def duration_words(years) -> str:
    """'10 years' (the noun agrees with the number in Ukrainian), or '—' when not stated."""
    if pd.isna(years):
        return "—"
    shown = f"{years:g}"
    # A whole number picks the plural form; a fraction of a year takes the form for many.
    return n_("{n} year", "{n} years", int(years) if float(years).is_integer() else 5).format(
        n=i18n.format_number(years, 0 if float(years).is_integer() else len(shown.split(".")[-1]))
    )


# Each type's metric, as a whole phrase (the adjective agrees with "aid" in Ukrainian).
AID_TYPE_METRICS = {
    "military": N_("Military aid"),
    "financial": N_("Financial aid"),
    "humanitarian": N_("Humanitarian aid"),
}


def aid_type_label(aid_type: str, label: str) -> str:
    """'Military aid' for a type of aid; a type added to the vocabulary later: '<its label> aid'."""
    if aid_type in AID_TYPE_METRICS:
        return _(AID_TYPE_METRICS[aid_type])
    return _("{type} aid").format(type=_(label))


def rank_words(rank: int, n: int) -> str:
    return n_("Rank {rank} of {n} donor", "Rank {rank} of {n} donors", n).format(rank=rank, n=n)


def euros(amount_bn: float) -> str:
    """An amount in € billion, two decimals, in the reader's format ('€4.45B', '4,45 млрд €')."""
    return i18n.format_money(amount_bn * 1e9, "EUR", 2)


def show_aid_numbers(aid: profiles.AidProfile) -> None:
    """Total, share of GDP and each type, with the rank among donors: two to a row."""
    items = [(_("Total"), euros(aid.total_eur_bn), rank_words(aid.total_rank, aid.n_donors))]
    gdp_label = _("Bilateral aid, %\u00a0of 2021 GDP")  # no-break space: see UNITS on the aid page
    if aid.pct_gdp is None:
        items.append((gdp_label, _("not given"), None))
    else:
        items.append(
            (gdp_label, i18n.format_percent(aid.pct_gdp / 100, 2),
             n_(
                 "Rank {rank} of {n} donor with a GDP share", "Rank {rank} of {n} donors with a GDP share",
                 aid.n_donors_with_gdp,
             ).format(rank=aid.pct_gdp_rank, n=aid.n_donors_with_gdp))
        )
    items += [
        (aid_type_label(row.aid_type, row.label), euros(row.eur_bn), rank_words(row.rank, row.n_donors))
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
            _(
                "The yearly table (aid_yearly.csv) could not be read, so the chart by year is left out; "
                "the totals are not affected."
            ),
            icon=":material/info:",
        )
        return
    yearly = ctx.ds.tables.get("aid_yearly")
    if yearly is None:
        st.markdown(_("This data has no yearly table of the tracker (aid_yearly.csv): only the totals are shown."))
        return
    rows = profiles.aid_by_year(yearly, code)
    if rows.empty:
        st.markdown(_("The tracker's yearly table lists no allocations from {country} by year.").format(country=text(name)))
        return
    cutoff = rows["cutoff_date"].iloc[0]
    show_chart(
        recipe(aid_figures.build_country_aid_by_year, rows),
        ChartSpec(
            page="country",
            chart_id="aid-by-year",
            title=_("{country}: aid allocated to Ukraine by year and type, € billion, to {date}").format(
                country=name, date=i18n.format_date(cutoff, "medium")
            ),
            data=rows,
            as_of=cutoff.date(),
            countries=[code],
            note=_(
                "{year} covers January to {month} only. Yearly amounts are summed from the "
                "tracker's monthly rows (see the Methodology page)."
            ).format(year=cutoff.year, month=i18n.month_name(cutoff, in_date=True)),
            describe=country_aid_hints(),
        ),
        ctx.ds,
        heading=4,
    )


def show_aid(ctx, aid: profiles.AidProfile | None, code: str, name: str) -> None:
    st.subheader(_("Aid to Ukraine (Kiel Ukraine Support Tracker)"))
    if aid is None:
        st.markdown(_("The Kiel tracker in this data lists no aid from {country}.").format(country=text(name)))
        return
    numbers, by_year = st.columns([2, 3], gap="large")  # side by side on a desktop, stacked on a phone
    with numbers:
        show_aid_numbers(aid)
    with by_year:
        show_aid_by_year(ctx, code, name)
    st.caption(
        _(
            "Allocated aid to {date} (Kiel release {release}). Kiel gives the share of GDP "
            "for a donor's total bilateral aid, not per type."
        ).format(date=i18n.format_date(aid.cutoff), release=text(aid.release))
    )
    cite(ctx.ds, [aid.source_ids])


def show_events(ctx, events: pd.DataFrame, name: str) -> None:
    st.subheader(_("On the timeline"))
    if events.empty:
        st.markdown(_("No event on the timeline names {country}.").format(country=text(name)))
        return
    for _index, event in events.iterrows():
        st.markdown(f"**{profiles.event_date(event)}** — **{text(event['title'])}**. {text(event['detail'])}")
        cite(ctx.ds, [event["source_ids"]])


with page(
    "country",
    N_("Country profile"),
    N_(
        "One country's place in each model, side by side: its roles, its bilateral security agreement, "
        "the aid it gave and the events that name it, each with its sources."
    ),
) as ctx:
    guarantors, agreements, aid, events = ctx.ds.require("guarantors", "agreements", "aid", "events")
    code = select_country(profiles.country_choices(filter_options(ctx.ds), events))
    map_links = {}
    if code is None:
        st.info(_("Choose a country above, or click one on the map."), icon=":material/flag:")
    else:
        name = country_name(code)
        st.header(name)
        roles = profiles.roles_by_model(guarantors, ctx.models, code)
        if all(rows.empty for rows in roles.values()):
            models = ", ".join(ctx.models.chart_label(m) for m in ctx.models.ids)
            st.info(
                n_(
                    "{country} has no role in any of the {n} models in this data ({models}): "
                    "no source recorded here names it as a guarantor, assurer, partner or member.",
                    "{country} has no role in any of the {n} models in this data ({models}): "
                    "no source recorded here names it as a guarantor, assurer, partner or member.",
                    len(ctx.models),
                ).format(country=text(name), n=len(ctx.models), models=text(models)),
                icon=":material/info:",
            )
        else:
            map_links = show_roles(ctx, roles)
        show_agreement(ctx, profiles.agreement_for(agreements, code), name)
        show_aid(ctx, profiles.aid_profile(aid, code), code, name)
        show_events(ctx, profiles.events_for(events, code), name)
    # A change of the country filter redraws these links (and the sidebar) alone.
    ctx.filtered(lambda view: show_map_links(view, map_links))
