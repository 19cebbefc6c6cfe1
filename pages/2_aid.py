"""Aid and promises: what each model promises, what guarantors gave and pledged, the Israel benchmark."""

import streamlit as st

from guarantee_atlas import i18n, summaries, vocab
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.describe import aid_bars_hints, benchmark_hints, pledge_hints, provisions_hints
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import aid
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import page, url_choice

SECTIONS = {
    "promises": N_("What each model promises"),
    "given": N_("What guarantors gave and pledged"),
    "israel": N_("The Israel benchmark"),
}
# "%\u00a0of": a no-break space after the per cent sign, which also keeps gettext tools from reading
# "% o" as a Python format directive (and rejecting the Ukrainian "% ВВП").
UNITS = {"eur": N_("€ billion"), "gdp": N_("%\u00a0of GDP")}
SCOPES = {"model": N_("Guarantors of a model"), "countries": N_("Countries in the filter"), "all": N_("All donors")}
# The US–Israel memoranda are the benchmark of the model named after them.
BENCHMARK_MODEL = "israel"


def promises(ctx) -> None:
    provisions, sources = ctx.ds.require("provisions", "sources")
    st.header(_("What each model promises"))
    counts = aid.level_counts(provisions, ctx.models)
    chart_column, text_column = st.columns([5, 2])
    with chart_column:
        show_chart(
            recipe(aid.build_provisions_matrix, provisions, sources, ctx.models),
            ChartSpec(
                page="aid",
                chart_id="provisions-matrix",
                title=n_(
                    "What each model promises: {n} provision by how binding it is",
                    "What each model promises: {n} provisions by how binding they are",
                    len(vocab.PROVISIONS),
                ).format(n=len(vocab.PROVISIONS)),
                data=provisions,
                describe=provisions_hints(),
                note=_(
                    "Symbols, colours and the word under each dot give the level; a ring marks a disputed coding. "
                    "Hover for what the text says and its source."
                ),
            ),
            ctx.ds,
            heading=3,
        )
    with text_column:
        st.markdown(_("**In numbers**"))
        for model_id in counts.index:
            st.markdown(f"**{escape_markdown(ctx.models.chart_label(model_id))}**: {aid.level_summary(counts, model_id)}.")
        if not counts["legally_binding"].any():
            st.caption(_("None of the models contains a provision coded as legally binding."))


def donor_scope(ctx, guarantors) -> tuple[list[str] | None, str, str | None]:
    """The donors to show: (ISO3 codes or None for all, words for the title, model id or None)."""
    # The words for the title follow "Aid allocated to Ukraine by …" and "No bilateral security agreement
    # with …": in Ukrainian both take the instrumental case, which the translations give.
    scope = url_choice(
        "donors", _("Donors"), i18n.translated_values(SCOPES), default="countries" if ctx.countries else "model"
    )
    if scope == "model":
        model = ctx.select_model()
        codes = list(summaries.guarantor_rows(guarantors, ctx.models, model)["iso3"].unique())
        return codes, _("the guarantors of the {model}").format(model=ctx.models.label(model)), model
    if scope == "countries":
        if ctx.countries:
            return list(ctx.countries), aid.country_list(ctx.countries), None
        st.info(
            _("No countries are chosen in the sidebar filter, so every donor is shown."), icon=":material/filter_alt:"
        )
    return None, _("all donors in the Kiel tracker"), None


def filtered_countries(codes, model) -> list[str]:
    """The countries a chart was narrowed to, for its file names: only when the filter chose the donors."""
    return list(codes) if codes and model is None else []


def what_guarantors_gave(ctx, aid_table, codes, scope_words, model) -> None:
    unit = url_choice("unit", _("Unit"), i18n.translated_values(UNITS), default="eur")
    view = aid.donor_view(aid_table, unit, codes)
    # One slot for what only some choices show: the chart below keeps its place on the page,
    # so a change updates it where it is instead of moving it (it blinked out for ~150 ms).
    notes = st.container()
    show_all = n_("Show all {n} donors", "Show all {n} donors", view.n_donors).format(n=view.n_donors)
    if view.n_donors > aid.TOP_N and notes.toggle(show_all, key="aid_show_all"):
        view = aid.donor_view(aid_table, unit, codes, limit=None)
    if view.not_tracked:
        notes.caption(
            _("Not among the tracker's donors: {countries}.").format(
                countries=escape_markdown(", ".join(view.not_tracked))
            )
        )
    if view.without_gdp:
        notes.caption(
            _("Left out in %\u00a0of GDP (no GDP figure): {countries}.").format(
                countries=escape_markdown(", ".join(view.without_gdp))
            )
        )
    if view.rows.empty:
        st.info(_("The tracker has no aid for these donors."), icon=":material/info:")
        return
    cutoff = aid_table["cutoff_date"].iloc[0]
    shown = view.rows["iso3"].nunique()
    show_chart(
        recipe(aid.build_aid_bars, view.rows, unit),
        ChartSpec(
            page="aid",
            chart_id=f"aid-by-donor-{unit}",
            title=aid.aid_title(unit, cutoff, scope_words, shown, view.n_donors),
            data=view.rows,
            as_of=cutoff.date(),
            model=model,
            countries=filtered_countries(codes, model),
            note=_(aid.GDP_NOTE) if unit == "gdp" else _("Financial aid includes loans."),
            describe=aid_bars_hints(unit),
        ),
        ctx.ds,
        heading=3,
    )


def what_agreements_pledge(ctx, agreements, sources, codes, scope_words, model) -> None:
    st.header(_("What the agreements pledge"))
    st.caption(
        _(
            "Amounts stated when the bilateral security agreements were signed, each in its own currency and for "
            "its own period. They are not converted: each currency has its own chart."
        )
    )
    stated, unstated = aid.pledge_rows(agreements, codes)
    if stated.empty and unstated.empty:
        st.info(
            _("No bilateral security agreement with {donors}.").format(donors=escape_markdown(scope_words)),
            icon=":material/info:",
        )
        return
    if not stated.empty:
        show_chart(
            recipe(aid.build_pledge_panels, stated),
            ChartSpec(
                page="aid",
                chart_id="agreement-pledges",
                title=_("What the bilateral security agreements pledge, by currency"),
                data=stated,
                model=model,
                countries=filtered_countries(codes, model),
                note=_("Periods differ (one year or several): hover for each agreement's wording."),
                describe=pledge_hints(),
            ),
            ctx.ds,
            heading=3,
        )
    if not unstated.empty:
        total = len(stated) + len(unstated)
        st.markdown(
            n_(
                "**No amount stated** in {n} of {total} agreement:",
                "**No amount stated** in {n} of {total} agreements:",
                total,
            ).format(n=len(unstated), total=total)
        )
        st.markdown(aid.unstated_pledges_markdown(unstated, sources))


def israel_benchmark(ctx) -> None:
    aid_table, guarantors, mou = ctx.ds.require("aid", "guarantors", "us_israel_mou")
    st.header(_("The Israel benchmark"))
    st.caption(
        _(
            "Under its 2016 memorandum the US gives Israel a fixed amount of military aid every year for ten years. "
            "Beside it: what Ukraine's biggest guarantors under the Israel-style model allocated a year."
        )
    )
    codes = summaries.guarantor_rows(guarantors, ctx.models, BENCHMARK_MODEL)["iso3"].unique()
    yearly = ctx.ds.tables.get("aid_yearly")
    ukraine = aid.ukraine_per_year(aid_table, yearly, codes)
    mou_year = aid.mou_per_year(mou)
    cutoff = aid_table["cutoff_date"].iloc[0]
    basis = (
        _("Only totals are available: each donor's total over {period}, shown as an average a year.").format(
            period=ukraine.period
        )
        if ukraine.averaged
        else _(
            "Yearly amounts are summed from the tracker's monthly rows, a slightly different version of its data "
            "file than the totals above (see the Methodology page)."
        )
    )
    show_chart(
        recipe(aid.build_israel_benchmark, mou_year, ukraine),
        ChartSpec(
            page="aid",
            chart_id="israel-benchmark",
            title=_(
                "What Israel-style means in money: US aid to Israel a year beside aid to Ukraine a year, to {date}"
            ).format(date=i18n.format_date(cutoff, "medium")),
            data=aid.benchmark_table(mou_year, ukraine),
            as_of=cutoff.date(),
            note=_("US$ and € are not converted: each panel has its own scale. {basis}").format(basis=basis),
            describe=benchmark_hints(),
        ),
        ctx.ds,
        heading=3,
    )


def given_and_pledged(ctx) -> None:
    guarantors, aid_table, agreements, sources = ctx.ds.require("guarantors", "aid", "agreements", "sources")
    st.header(_("What guarantors gave"))
    st.caption(
        _(
            "Aid allocated (delivered or earmarked) by governments, from the Kiel Institute's Ukraine Support "
            "Tracker. The EU institutions are a donor of their own and are never added to their member states. "
            "The donors chosen here also limit the pledges below."
        )
    )
    codes, scope_words, model = donor_scope(ctx, guarantors)
    what_guarantors_gave(ctx, aid_table, codes, scope_words, model)
    st.divider()
    what_agreements_pledge(ctx, agreements, sources, codes, scope_words, model)


with page(
    "aid",
    N_("Aid and promises"),
    N_(
        "What each model **promises** on paper, what the guarantors **gave** (Kiel Ukraine Support Tracker) and "
        "what the bilateral agreements **pledge**, and what an **Israel-style** guarantee would mean in money. "
        "Each part has its own link."
    ),
) as ctx:
    section = url_choice("section", _("Show"), i18n.translated_values(SECTIONS), default="promises")
    if section == "given":
        ctx.filtered(given_and_pledged)  # the donors, the unit and the model picker are in it too
    else:
        ctx.uses_countries = False  # the promises and the benchmark show every country
        (promises if section == "promises" else israel_benchmark)(ctx)
