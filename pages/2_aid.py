"""Aid and promises: what each model promises, what guarantors gave and pledged, the Israel benchmark."""

import streamlit as st

from guarantee_atlas import summaries, vocab
from guarantee_atlas.chart import ChartSpec, recipe, show_chart
from guarantee_atlas.describe import Describe, in_sentence
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.figures import aid
from guarantee_atlas.layout import page, url_choice

SECTIONS = {
    "promises": "What each model promises",
    "given": "What guarantors gave and pledged",
    "israel": "The Israel benchmark",
}
UNITS = {"eur": "€ billion", "gdp": "% of GDP"}
SCOPES = {"model": "Guarantors of a model", "countries": "Countries in the filter", "all": "All donors"}
# The US–Israel memoranda are the benchmark of the model named after them.
BENCHMARK_MODEL = "israel"


def promises(ctx) -> None:
    provisions, sources = ctx.ds.require("provisions", "sources")
    st.header("What each model promises")
    counts = aid.level_counts(provisions, ctx.models)
    chart_column, text_column = st.columns([5, 2])
    with chart_column:
        show_chart(
            recipe(aid.build_provisions_matrix, provisions, sources, ctx.models),
            ChartSpec(
                page="aid",
                chart_id="provisions-matrix",
                title=f"What each model promises: {len(vocab.PROVISIONS)} provisions by how binding they are"
                f"",
                data=provisions,
                describe=Describe(
                    kind="Dot matrix", item="provision", key="provision", label="provision",
                    extra_counts=(("model_id", "models"),), breakdown="level", breakdown_name="how binding",
                    breakdown_labels=tuple((k, in_sentence(v)) for k, v in vocab.LEVELS.items()),
                ),
                note="Symbols, colours and the word under each dot give the level; a ring marks a disputed coding. "
                "Hover for what the text says and its source.",
            ),
            ctx.ds,
            heading=3,
        )
    with text_column:
        st.markdown("**In numbers**")
        for model_id in counts.index:
            st.markdown(f"**{escape_markdown(ctx.models.chart_label(model_id))}**: {aid.level_summary(counts, model_id)}.")
        if not counts["legally_binding"].any():
            st.caption("None of the models contains a provision coded as legally binding.")


def donor_scope(ctx, guarantors) -> tuple[list[str] | None, str, str | None]:
    """The donors to show: (ISO3 codes or None for all, words for the title, model id or None)."""
    scope = url_choice("donors", "Donors", SCOPES, default="countries" if ctx.countries else "model")
    if scope == "model":
        model = ctx.select_model()
        codes = list(summaries.guarantor_rows(guarantors, ctx.models, model)["iso3"].unique())
        return codes, f"the guarantors of the {ctx.models.label(model)}", model
    if scope == "countries":
        if ctx.countries:
            return list(ctx.countries), aid.country_list(ctx.countries), None
        st.info("No countries are chosen in the sidebar filter, so every donor is shown.", icon=":material/filter_alt:")
    return None, "all donors in the Kiel tracker", None


def filtered_countries(codes, model) -> list[str]:
    """The countries a chart was narrowed to, for its file names: only when the filter chose the donors."""
    return list(codes) if codes and model is None else []


def what_guarantors_gave(ctx, aid_table, codes, scope_words, model) -> None:
    unit = url_choice("unit", "Unit", UNITS, default="eur")
    view = aid.donor_view(aid_table, unit, codes)
    # One slot for what only some choices show: the chart below keeps its place on the page,
    # so a change updates it where it is instead of moving it (it blinked out for ~150 ms).
    notes = st.container()
    if view.n_donors > aid.TOP_N and notes.toggle(f"Show all {view.n_donors} donors", key="aid_show_all"):
        view = aid.donor_view(aid_table, unit, codes, limit=None)
    if view.not_tracked:
        notes.caption(f"Not among the tracker's donors: {escape_markdown(', '.join(view.not_tracked))}.")
    if view.without_gdp:
        notes.caption(
            f"Left out in % of GDP (no GDP figure): {escape_markdown(', '.join(view.without_gdp))}."
        )
    if view.rows.empty:
        st.info("The tracker has no aid for these donors.", icon=":material/info:")
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
            note=aid.GDP_NOTE if unit == "gdp" else "Financial aid includes loans.",
            describe=Describe(
                kind="Bar chart", item="donor", key="iso3", label="donor", value="value",
                value_format="{:.2f}% of GDP" if unit == "gdp" else "€{:,.2f}bn",
                breakdown="aid_type", breakdown_name="type of aid (bar segments)",
                breakdown_labels=tuple((k, in_sentence(v)) for k, v in vocab.AID_TYPES.items()),
            ),
        ),
        ctx.ds,
        heading=3,
    )


def what_agreements_pledge(ctx, agreements, sources, codes, scope_words, model) -> None:
    st.header("What the agreements pledge")
    st.caption(
        "Amounts stated when the bilateral security agreements were signed, each in its own currency and for its "
        "own period. They are not converted: each currency has its own chart."
    )
    stated, unstated = aid.pledge_rows(agreements, codes)
    if stated.empty and unstated.empty:
        st.info(f"No bilateral security agreement with {escape_markdown(scope_words)}.", icon=":material/info:")
        return
    if not stated.empty:
        show_chart(
            recipe(aid.build_pledge_panels, stated),
            ChartSpec(
                page="aid",
                chart_id="agreement-pledges",
                title="What the bilateral security agreements pledge, by currency",
                data=stated,
                model=model,
                countries=filtered_countries(codes, model),
                note="Periods differ (one year or several): hover for each agreement's wording.",
                describe=Describe(
                    kind="Bar chart", item="agreement", key="iso3", label="partner", value="pledge_amount",
                    value_per="pledge_currency", value_format="{:,.2f}bn", breakdown="pledge_currency",
                    breakdown_name="currency (one panel each)",
                ),
            ),
            ctx.ds,
            heading=3,
        )
    if not unstated.empty:
        total = len(stated) + len(unstated)
        st.markdown(f"**No amount stated** in {len(unstated)} of {total} agreement{'s' if total > 1 else ''}:")
        st.markdown(aid.unstated_pledges_markdown(unstated, sources))


def israel_benchmark(ctx) -> None:
    aid_table, guarantors, mou = ctx.ds.require("aid", "guarantors", "us_israel_mou")
    st.header("The Israel benchmark")
    st.caption(
        "Under its 2016 memorandum the US gives Israel a fixed amount of military aid every year for ten years. "
        "Beside it: what Ukraine's biggest guarantors under the Israel-style model allocated a year."
    )
    codes = summaries.guarantor_rows(guarantors, ctx.models, BENCHMARK_MODEL)["iso3"].unique()
    yearly = ctx.ds.tables.get("aid_yearly")
    ukraine = aid.ukraine_per_year(aid_table, yearly, codes)
    mou_year = aid.mou_per_year(mou)
    cutoff = aid_table["cutoff_date"].iloc[0]
    basis = (
        f"Only totals are available: each donor's total over {ukraine.period}, shown as an average a year."
        if ukraine.averaged
        else "Yearly amounts are summed from the tracker's monthly rows, a slightly different version of its data "
        "file than the totals above (see the Methodology page)."
    )
    show_chart(
        recipe(aid.build_israel_benchmark, mou_year, ukraine),
        ChartSpec(
            page="aid",
            chart_id="israel-benchmark",
            title=f"What Israel-style means in money: US aid to Israel a year beside aid to Ukraine a year, "
            f"to {cutoff:%-d %b %Y}",
            data=aid.benchmark_table(mou_year, ukraine),
            as_of=cutoff.date(),
            note=f"US$ and € are not converted: each panel has its own scale. {basis}",
            describe=Describe(
                kind="Line chart", item="yearly amount", label=("donor", "year"),
                value="per_year_bn", value_agg="max", value_per="currency", value_format="{:,.2f}bn a year",
                extra_counts=(("donor", "donors"),),
            ),
        ),
        ctx.ds,
        heading=3,
    )


def given_and_pledged(ctx) -> None:
    guarantors, aid_table, agreements, sources = ctx.ds.require("guarantors", "aid", "agreements", "sources")
    st.header("What guarantors gave")
    st.caption(
        "Aid allocated (delivered or earmarked) by governments, from the Kiel Institute's Ukraine Support Tracker. "
        "The EU institutions are a donor of their own and are never added to their member states. "
        "The donors chosen here also limit the pledges below."
    )
    codes, scope_words, model = donor_scope(ctx, guarantors)
    what_guarantors_gave(ctx, aid_table, codes, scope_words, model)
    st.divider()
    what_agreements_pledge(ctx, agreements, sources, codes, scope_words, model)


with page(
    "aid",
    "Aid and promises",
    "What each model **promises** on paper, what the guarantors **gave** (Kiel Ukraine Support Tracker) and what "
    "the bilateral agreements **pledge**, and what an **Israel-style** guarantee would mean in money. "
    "Each part has its own link.",
) as ctx:
    section = url_choice("section", "Show", SECTIONS, default="promises")
    if section == "promises":
        promises(ctx)
    elif section == "given":
        given_and_pledged(ctx)
    else:
        israel_benchmark(ctx)
