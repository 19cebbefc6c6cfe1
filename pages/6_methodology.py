"""Methodology and data: the models, the coding, the tables and their sources, versions, licences."""

import streamlit as st

from guarantee_atlas import export, i18n, methodology, vocab
from guarantee_atlas.data import DataUnavailable, current_data_dir
from guarantee_atlas.downloads import escape_markdown
from guarantee_atlas.i18n import N_, _, n_
from guarantee_atlas.layout import APP_NAME, PAGES, download_all_data, on_request, page, show_data_error

EMBED_EXAMPLE = next(p for p in PAGES if p.page_id == "map")


def show_section(render, *args) -> None:
    """Draw one section; a broken table it needs is named there, and the page goes on."""
    try:
        render(*args)
    except DataUnavailable as exc:
        show_data_error(exc)


def show_download_and_citation(ds) -> None:
    st.header(_("Download and cite"))
    download_all_data(ds)
    citation_text = export.citation_text(ds.version, ds.checked_on)
    st.markdown(_("Cite the data as:") + "\n\n*" + escape_markdown(citation_text) + "*")
    # Code boxes in popovers: their copy button's 1.5 MB of browser code loads when one is opened.
    with st.popover(_("Copy the citation"), icon=":material/content_copy:"):
        st.code(citation_text, language=None, wrap_lines=True)
    st.caption(
        _(
            "The ZIP holds the same citation as CITATION.cff. Each chart also has its own CSV, HTML and image "
            "downloads."
        )
    )


def show_models(ds) -> None:
    (models,) = ds.require("models")
    st.header(n_("The {n} model", "The {n} models", len(ds.registry)).format(n=len(ds.registry)))
    for model in models.set_index("model_id").loc[ds.registry.ids].reset_index().itertuples(index=False):
        with st.container(border=True):
            st.subheader(escape_markdown(model.name))
            st.markdown(f"**{i18n.format_date(model.date)}** · *{escape_markdown(model.legal_form)}*")
            st.markdown(escape_markdown(model.summary))
            st.markdown(_("**What became of it:** {status}").format(status=escape_markdown(model.status)))
            st.caption(
                _("Sources: {sources}").format(sources=methodology.source_links(ds.sources_for([model.source_ids])))
            )


def show_coding(ds) -> None:
    st.header(_("How roles and binding levels were coded"))
    st.markdown(
        _(
            "**Roles.** Each row of `guarantors.csv` gives a country one role in one model. A country can hold "
            "several roles; maps fill it with its strongest (the highest strength) and list every role on hover."
        )
    )
    st.markdown(methodology.markdown_table(methodology.role_table(ds.registry)))
    st.markdown(
        _(
            "**Basis.** Every role is either named by a source or inferred by us; "
            "maps draw inferred roles lighter, with open symbols."
        )
    )
    st.markdown(methodology.markdown_table(methodology.basis_table()))
    st.markdown(
        n_(
            "**Binding levels.** Each of the {n} provisions in `provisions.csv` has one level "
            "per model, coded on the texts as signed or proposed, the same way for every model.",
            "**Binding levels.** Each of the {n} provisions in `provisions.csv` has one level "
            "per model, coded on the texts as signed or proposed, the same way for every model.",
            len(vocab.PROVISIONS),
        ).format(n=len(vocab.PROVISIONS))
    )
    st.markdown(methodology.markdown_table(methodology.level_table()))


def show_tables(readme) -> None:
    st.header(_("Where each table comes from"))
    if readme is None:
        st.warning(
            _(
                "The data README (data/README.md) is not in this copy of the data yet: "
                "table descriptions will appear here."
            ),
            icon=":material/description:",
        )
        return
    with st.container(key="atlas_doc_tables"):  # the data README, translated as a file (README-uk.md)
        for section in methodology.sections(readme):
            if methodology.is_disagreements(section):
                continue
            if section.title.endswith(".csv"):
                with st.expander(section.title):
                    st.markdown(methodology.for_streamlit(section.body))
            else:
                st.markdown(methodology.for_streamlit(section.body))


def show_sources(ds) -> None:
    (sources,) = ds.require("sources")
    st.subheader(_("Every source ({n})").format(n=i18n.format_number(len(sources))))
    on_request(
        _("**Every source, as a sortable table**"),
        "methodology_sources_table",
        lambda: st.dataframe(
            sources,
            hide_index=True,
            width="stretch",
            column_config={
                "url": st.column_config.LinkColumn("url"),
                "url_uk": st.column_config.LinkColumn("url_uk"),
                "published": st.column_config.DateColumn("published", format="YYYY-MM-DD"),
                "accessed": st.column_config.DateColumn("accessed", format="YYYY-MM-DD"),
            },
        ),
    )


def show_disagreements(ds, readme) -> None:
    st.header(_("Known disagreements between sources"))
    st.markdown(
        _(
            "Where sources disagree, one value is kept and the row's note gives the other; "
            "the lists below come from data/README.md."
        )
    )
    found = [s for s in methodology.sections(readme or "") if methodology.is_disagreements(s)]
    if not found:
        st.info(_("data/README.md holds no list of disagreements yet."), icon=":material/info:")
    with st.container(key="atlas_doc_disagreements"):
        for part in found:
            for sub in methodology.sections(part.body, depth=3):
                if sub.title:
                    with st.expander(sub.title):
                        st.markdown(methodology.for_streamlit(sub.body))
                else:
                    st.markdown(methodology.for_streamlit(sub.body))
    provisions, comparison = ds.require("provisions", "comparison")
    disputed = methodology.disputed_rows(provisions, comparison, ds.registry)
    st.subheader(_("Codings marked disputed ({n})").format(n=len(disputed)))
    on_request(
        _("**Every disputed coding, as a sortable table**"),
        "methodology_disputed_table",
        lambda: st.dataframe(disputed, hide_index=True, width="stretch"),
    )


def show_version(ds, changelog) -> None:
    st.header(_("Data version and changelog"))
    st.markdown(_("This app shows data version **{version}**.").format(version=escape_markdown(ds.version)))
    if changelog is None:
        st.warning(
            _("The changelog (data/CHANGELOG.md) is not in this copy of the data yet."), icon=":material/history:"
        )
    else:
        with st.container(border=True, key="atlas_doc_changelog"):
            for number, part in enumerate(methodology.sections(changelog)):
                if number and part.title:  # the first is the document's own title and intro
                    st.markdown(f"**{escape_markdown(part.title)}**")
                st.markdown(methodology.for_streamlit(part.body))


def show_licences() -> None:
    st.header(_("Licences"))
    st.markdown(methodology.for_streamlit(export.licences_markdown()))


def show_sharing() -> None:
    st.header(_("Share and embed"))
    st.markdown(
        _(
            "Every filter and the model choice live in the page's address, so a link opens the same view. "
            "The sidebar's **Copy link to this view** button shows that link for the page you are on."
        )
    )
    st.markdown(
        _(
            "To put a page in another site, add `embed=true` to its link: the page then shows without the "
            "sidebar, navigation and toolbar, with the filters from the link. For example, the map of the "
            "Israel-style model:"
        )
    )
    app_url = methodology.app_root(st.context.url or "", "/methodology")
    # The embedded page opens in the language this page is read in (``lang`` in its link).
    snippet = methodology.embed_snippet(
        app_url,
        EMBED_EXAMPLE.url_path,
        {"lang": i18n.current(), "model": "israel"},
        _("{app}: map of guarantors").format(app=APP_NAME),
    )
    with st.popover(_("Show the embed code"), icon=":material/code:"):
        st.code(snippet, language="html", wrap_lines=True)


def show_corrections() -> None:
    st.header(_("Report a correction"))
    st.markdown(
        _(
            "Found a wrong date, role, amount or source? In the project's repository, either\n"
            "- **open an issue** naming the table, the row (for example `guarantors.csv`, model `ksc`, country "
            "`POL`), what is wrong and a source that shows it; or\n"
            "- **open a pull request** that edits the row in its CSV file in `data/` and adds or fixes its source "
            "in `data/sources.csv` (one row per source: publisher, title, url, published, accessed, kind), "
            "with the new source id in the row's `source_ids`.\n\n"
            "Accepted corrections are listed in the changelog under a new data version."
        )
    )


with page(
    "methodology",
    N_("Methodology and data"),
    N_(
        "How the models were coded, where every table comes from, "
        "and how to download, cite, share and correct the data."
    ),
    uses_countries=False,
) as ctx:
    data_dir = current_data_dir()
    readme = methodology.readme_text(data_dir)
    show_download_and_citation(ctx.ds)
    show_section(show_models, ctx.ds)
    show_section(show_coding, ctx.ds)
    show_tables(readme)
    show_section(show_sources, ctx.ds)
    show_section(show_disagreements, ctx.ds, readme)
    show_version(ctx.ds, methodology.read_doc(data_dir, "CHANGELOG.md"))
    show_licences()
    show_sharing()
    show_corrections()
