"""Shared page set-up: config, sidebar (country filter, page links), footer.

Every page, home included, runs inside ``with page("map") as ctx:``. The
context catches a missing or broken table and shows which file and what is
wrong, so a page never ends in a traceback, and always draws the footer.
What depends on the country filter is drawn by ``ctx.filtered(draw)``, one
fragment with the sidebar's filter: a change of the filter reruns it alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, wraps
from pathlib import Path
from typing import Callable, Iterator

import streamlit as st

from . import download_grace, export, i18n, reconnect, theme, urlstate
from .countries import country_name, sorted_by_name
from .data import Dataset, DataUnavailable, current_data_dir, load_dataset
from .i18n import N_, _
from .memo import memoized
from .registry import Registry

ROOT = Path(__file__).resolve().parents[2]

# Clicked downloads' files survive other readers' runs (Streamlit 1.67 deletes them too early).
download_grace.install()
APP_NAME = "Guarantee Atlas"


@dataclass(frozen=True)
class PageInfo:
    page_id: str
    path: str
    label: str
    icon: str

    @property
    def url_path(self) -> str:
        """The page's address in the app: ``/`` for home, ``/map`` for pages/1_map.py."""
        if self.page_id == "home":
            return "/"
        return "/" + Path(self.path).stem.split("_", 1)[1]


PAGES = (
    PageInfo("home", "app.py", N_("Overview"), ":material/home:"),
    PageInfo("map", "pages/1_map.py", N_("Map of guarantors"), ":material/public:"),
    PageInfo("aid", "pages/2_aid.py", N_("Aid and promises"), ":material/bar_chart:"),
    PageInfo("compare", "pages/3_compare.py", N_("Compare the models"), ":material/compare_arrows:"),
    PageInfo("timeline", "pages/4_timeline.py", N_("Timeline 1991–today"), ":material/timeline:"),
    PageInfo("country", "pages/5_country.py", N_("Country profile"), ":material/flag:"),
    PageInfo("methodology", "pages/6_methodology.py", N_("Methodology and data"), ":material/menu_book:"),
)


@cache
def available_pages() -> tuple[PageInfo, ...]:
    """Pages whose script exists (pages not built yet are not linked); looked up once per process."""
    return tuple(p for p in PAGES if (ROOT / p.path).exists())


@st.cache_resource(show_spinner=False)
def _load_dataset() -> Dataset:
    return load_dataset()


def dataset() -> Dataset:
    """The validated dataset, loaded once per server process (the spinner says so in the reader's language)."""
    with st.spinner(_("Loading and checking the data…")):
        return _load_dataset()


dataset.clear = _load_dataset.clear  # tests clear the cache between data folders


@dataclass
class PageContext:
    """What a page gets from the shared set-up."""

    page_id: str
    ds: Dataset
    countries: list[str]
    notices: list[str] = field(default_factory=list)
    embedded: bool = False
    # False: nothing on the page depends on the country filter (a part of a page may set it, as the aid page's
    # promises do), so a change of it reruns the sidebar's filter part alone.
    uses_countries: bool = True
    filter_drawn: bool = False  # the sidebar's filter came with ``filtered`` (else ``page`` draws it at the end)

    @property
    def models(self) -> Registry:
        """The models in display order (raises DataUnavailable if models.csv or roles.csv is broken)."""
        return self.ds.registry

    def select_model(self, container=None, label: str | None = None) -> str:
        """A model picker bound to ``?model=`` (the first model by default); returns the model id."""
        models = self.models
        return url_choice(
            "model", label or _("Model"), models.labels(), models.ids[0], container=container, default_in_url=True
        )

    def link_params(self, **extra) -> dict[str, str]:
        """Query params that carry the current view to another page."""
        return link_params(self.ds, self.countries, **extra)

    def filtered(self, draw: Callable[["PageContext"], None]) -> None:
        """Draw what depends on the country filter, and the filter with the sidebar's links, as one fragment.

        A change of the filter, or of a widget ``draw`` makes, reruns ``draw`` and the
        sidebar's filter, page links and copy-link box alone, not the whole page.
        ``draw`` gets this context with the countries of its own run: it must not
        use the page's ``ctx.countries``, and nothing outside it may depend on them.
        Call it last, after every widget outside it that writes to the link (the
        copy-link box is drawn at its end).
        """
        if self.embedded:  # no sidebar, no filter: the countries come from the link
            draw(self)
            return
        self.filter_drawn = True
        _filtered_fragment(self, draw)


def link_params(ds: Dataset, countries: list[str], **extra) -> dict[str, str]:
    """Query params that carry the countries, the model in use and ``extra`` to another page."""
    params: dict[str, object] = {"lang": i18n.current(), "countries": countries}
    carried = st.session_state.get("model") or st.query_params.get("model")
    known = ds.registry.ids if ds.has("models") and ds.has("roles") else []
    model = urlstate.parse_choice([carried] if carried else [], known, default=None).values
    if model:
        params["model"] = model[0]
    params.update(extra)
    return urlstate.encode(params)


def on_request(label: str, key: str, draw: Callable[[], None], icon: str = ":material/table:") -> None:
    """An expander whose content is drawn only once a reader opens it (a change reruns the page or fragment).

    For the sortable tables: the rows and the data grid's code reach the
    browser only when asked for, not on every first render.
    """
    box = st.expander(label, key=key, on_change="rerun", icon=icon)
    if box.open:
        with box:
            draw()


def grid_columns(n: int, max_per_row: int) -> list:
    """Columns for ``n`` items (one per model), in balanced rows of at most ``max_per_row`` (phones stack them)."""
    rows = max(1, -(-n // max_per_row))
    per_row = -(-n // rows) if n else 1
    columns: list = []
    while len(columns) < n:
        columns += st.columns(per_row)
    return columns[:n]


@memoized(maxsize=8)
def filter_options(ds: Dataset) -> list[str]:
    """ISO3 codes offered in the country filter: every country in the data, by name (read-only, shared)."""
    codes: set[str] = set()
    for name in ("guarantors", "agreements", "aid"):
        if ds.has(name):
            codes |= set(ds.tables[name]["iso3"])
    return sorted_by_name(codes)


def show_url_notice(param: str, ignored: list[str]) -> None:
    """Warn about ignored values of a URL parameter (e.g. ``?countries=``, ``?view=``)."""
    text = urlstate.notice_text(param, ignored)
    if text:
        st.warning(text, icon=":material/link_off:")


WIDGETS = {"segmented": "segmented_control", "select": "selectbox", "multi": "multiselect"}


def url_choice(
    key: str,
    label: str,
    options: dict[str, str],
    default,
    *,
    widget: str = "segmented",
    container=None,
    default_in_url: bool = False,
    link_values=None,
    **widget_args,
):
    """The one way a widget is bound to the link: ``?<key>=`` seeds it, and it writes its value back.

    ``options`` maps ids to the words shown; ``widget`` is "segmented", "select"
    or "multi" (a list of ids, comma-separated in the link). The default stays
    out of the link unless ``default_in_url``. ``link_values`` are the ids a
    link may set beyond ``options`` (a country with no role in the data); an
    unknown value in the link is ignored with a notice.
    """
    container = container or st
    multi = widget == "multi"
    ids = list(options)
    accepted = list(link_values) if link_values is not None else ids
    if multi:
        parse = lambda raw: urlstate.parse_choices(raw, accepted, default=default)  # noqa: E731
    else:
        parse = lambda raw: urlstate.parse_choice(raw, accepted, default=default)  # noqa: E731

    def encode(value):
        if not default_in_url and (set(value or []) == set(default) if multi else value == default):
            return None
        return ",".join(value or []) if multi else value

    def render():
        current = st.session_state.get(key)
        shown = ids + ([current] if isinstance(current, str) and current not in ids else [])
        label_of = lambda v: options.get(v) or country_name(v)  # noqa: E731  (a code outside options is a country)
        kwargs = {"required": True} if widget == "segmented" else {}
        return getattr(container, WIDGETS[widget])(label, shown, format_func=label_of, key=key, **kwargs, **widget_args)

    value, ignored = urlstate.synced_widget(st, key, parse=parse, render=render, encode_value=encode, multi=multi)
    show_url_notice(key, ignored)
    if multi:
        return [v for v in accepted if v in (value or [])]
    return value if value is not None else default


def _seed_country_filter(ds: Dataset) -> list[str]:
    """The country filter's value for this run (from the link when the link is new to this session).

    The widget itself is drawn at the end of the page, in the sidebar: its
    value is in session state before the script runs.
    """
    ignored = urlstate.seed_from_url(
        st, "countries", parse=lambda raw: urlstate.parse_codes(raw, filter_options(ds)), multi=True
    )
    show_url_notice("countries", ignored)
    return list(st.session_state.get("countries") or [])


def _country_filter(ds: Dataset, used_here: bool) -> list[str]:
    countries = st.multiselect(
        _("Countries"),
        filter_options(ds),
        format_func=country_name,
        key="countries",
        placeholder=_("All countries"),
        help=_("Highlight countries on every page. The choice is kept in the link (?countries=POL,DEU)."),
    )
    urlstate.write_to_url(st, "countries", countries, encode_value=lambda v: ",".join(v) if v else None)
    if not used_here:
        st.caption(_("This page shows every country; the choice is kept for the other pages."))
    return countries


def _countries_from_url(ds: Dataset) -> list[str]:
    """The country filter read from the link alone (embed mode has no sidebar widget)."""
    parsed = urlstate.parse_codes(st.query_params.get_all("countries"), filter_options(ds))
    show_url_notice("countries", parsed.ignored)
    return parsed.values


def is_embedded() -> bool:
    """True under ``?embed=true`` (an iframe). Streamlit keeps that flag out of st.query_params."""
    return bool(st.context.is_embedded)


def share_link(page_id: str) -> str:
    """The link of the current view: this page with every filter now in the URL."""
    info = next((p for p in PAGES if p.page_id == page_id), None)
    base = st.context.url or (info.url_path if info else "/")
    # Only the parameters the app reads (each synced widget leaves a _url_<key>
    # marker): unknown ones from a pasted link (10 KB junk, tracking tags) are not passed on.
    known = [key for key in st.query_params if f"_url_{key}" in st.session_state]
    return urlstate.view_link(base, {key: st.query_params.get_all(key) for key in known})


def _share_box(page_id: str) -> None:
    # In a popover: its code box (and the 1.5 MB code highlighter the browser
    # loads for it) is drawn only when opened, not on every first render.
    st.divider()
    with st.popover(_("Copy link to this view"), icon=":material/link:", width="stretch"):
        st.code(share_link(page_id), language=None, wrap_lines=True)
        st.caption(
            _("Copy it with the button at its right. It keeps the countries, the model and every other choice.")
        )


def _sidebar_head(ds: Dataset) -> None:
    """The top of the sidebar, drawn first: language switch, app name, what the atlas compares."""
    _language_switch()
    st.markdown(f"**{APP_NAME}**")  # not a heading: the page's h1 is the first heading a screen reader meets
    if ds.has("models") and ds.has("roles"):
        years = ", ".join(label.rsplit(" ", 1)[-1] for label in ds.registry.chart_labels().values())
        st.caption(_("Security guarantees for Ukraine, compared: {years}.").format(years=years))


def _sidebar_filter(page_id: str, ds: Dataset, uses_countries: bool) -> None:
    """The rest of the sidebar: country filter, page links, data problems, copy-link box.

    Drawn after the page's widgets, so the link holds what they wrote.
    """
    countries = _country_filter(ds, uses_countries)
    st.divider()
    params = link_params(ds, countries) or None
    for info in available_pages():
        st.page_link(info.path, label=i18n.translate(info.label), icon=info.icon, query_params=params)
    _data_problems(ds)
    _share_box(page_id)


def _fragment(function: Callable) -> Callable:
    """``function`` as a fragment that runs in the session's language.

    A fragment's rerun starts outside ``page``'s language block: without one of
    its own, every message and country name would look the language up in
    session state again (about 190 lookups in a rerun of the sidebar's filter).
    """

    @wraps(function)
    def run(*args, **kwargs):
        with i18n.language(i18n.current()):
            return function(*args, **kwargs)

    return st.fragment(run)


# On a page that does not use the country filter, a change of it reruns this
# part of the sidebar alone (links, copy-link box), not the page.
_sidebar_filter_fragment = _fragment(_sidebar_filter)


def _explaining_data_errors(function: Callable) -> Callable:
    """``function``, showing a missing or broken table as ``page`` does: a fragment's errors never reach ``page``."""

    @wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DataUnavailable as exc:
            show_data_error(exc)

    return run


def view_fragment(function: Callable) -> Callable:
    """``function`` as a fragment (a change of a widget in it reruns it, not the page) that shows a missing
    or broken table as ``page`` does."""
    return _fragment(_explaining_data_errors(function))


@_fragment
def _filtered_fragment(ctx: PageContext, draw: Callable[[PageContext], None]) -> None:
    """``PageContext.filtered``: the page's filter-dependent part, then the sidebar's filter (one fragment)."""
    _explaining_data_errors(draw)(replace(ctx, countries=list(st.session_state.get("countries") or [])))
    with st.sidebar:  # a fragment's write to the sidebar keeps its place there (Streamlit ≥ 1.67)
        _sidebar_filter(ctx.page_id, ctx.ds, True)


def _data_problems(ds: Dataset) -> None:
    if ds.errors:
        files = ", ".join(e.file_name for e in ds.errors.values())
        st.error(_("Some data could not be loaded: {files}. Pages that need it say what is wrong.").format(files=files))


def show_data_error(exc: DataUnavailable) -> None:
    """A clear message naming each broken file and its problems."""
    for error in exc.errors:
        problems = "\n".join(f"- {p}" for p in error.problems[:10])
        # The frame sentences in the reader's language; the problems found by validation stay as they are.
        headline = _("**This view needs `{file}`, which could not be loaded.**").format(file=error.file_name)
        st.error(
            f"{headline}\n\n{problems}\n\n" + _("Fix the file (see data/README.md) and reload."),
            icon=":material/error:",
        )


def download_all_data(ds: Dataset) -> None:
    """'Download all data': every table in one ZIP with README, licences, version and citation."""
    lang = i18n.current()
    st.download_button(
        _("Download all data (ZIP)"),
        data=lambda: export.data_archive(current_data_dir(), ds.version, ds.checked_on, lang=lang),
        file_name=f"{export.archive_folder_name(ds.version, lang)}.zip",
        mime="application/zip",
        on_click="ignore",
        key="download_all_data",
        icon=":material/folder_zip:",
        help=_(
            "Every table as CSV, the README that defines each column, the changelog, the licences, "
            "the data version and a CITATION.cff file."
        ),
    )


def footer(ds: Dataset) -> None:
    """Data version, licences and where to report a correction."""
    st.divider()
    cols = st.columns([3, 2])
    cols[0].caption(
        _(
            "{app} · data version {version} · code MIT licence · compiled data CC BY 4.0; "
            "figures quoted from other publishers stay under their terms."
        ).format(app=APP_NAME, version=ds.version)
    )
    if (ROOT / "pages/6_methodology.py").exists():
        cols[1].page_link(
            "pages/6_methodology.py", label=_("Report a correction"), icon=":material/edit_note:",
            query_params={"lang": i18n.current()},
        )
    with cols[1]:
        reconnect.watch()  # a reader moved to another replica gets a fresh run (see reconnect.py)


# Screen readers pick their voice from <html lang>; Streamlit writes "en" whatever the page says.
PAGE_JS = """export default function ({ data }) {
  if (data && data.lang) document.documentElement.lang = data.lang;
}"""


@cache
def _page_style():
    """The app's few style rules (contrast: theme.PAGE_CSS) and ``<html lang>``, as a component: no raw HTML."""
    return st.components.v2.component(
        "guarantee_atlas_page_style", css=theme.PAGE_CSS, js=PAGE_JS, isolate_styles=False
    )


def _seed_language() -> str:
    """The language of this run: from ``?lang=``, else the one already chosen, else the browser's (uk or en)."""
    browser = i18n.preferred(st.context.locale or st.context.headers.get("Accept-Language"))
    default = st.session_state.get("lang") or browser
    ignored = urlstate.seed_from_url(
        st, "lang", parse=lambda raw: urlstate.parse_choice(raw, i18n.LANGUAGES, default=default)
    )
    if st.session_state.get("lang") not in i18n.LANGUAGES:
        st.session_state["lang"] = default
    # Always in the link, so that a copied link opens in the language it was read in.
    urlstate.write_to_url(st, "lang", st.session_state["lang"], encode_value=lambda v: v)
    previous = st.session_state.get("_lang_drawn")
    if previous is not None and previous != st.session_state["lang"]:
        # A widget hands back the words it showed ("Польща"), which mean nothing in the other language:
        # after a switch every widget bound to the link starts again from the link (which holds ids).
        urlstate.reseed_all(st, keep=("lang",))
    st.session_state["_lang_drawn"] = st.session_state["lang"]
    return ignored


def _language_switch() -> None:
    """Українська | English at the top of the sidebar, bound to ``?lang=``; a switch redraws the whole page."""
    lang = st.segmented_control(
        "Мова · Language",
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="lang",
        required=True,
    )
    urlstate.write_to_url(st, "lang", lang, encode_value=lambda v: v)


@contextmanager
def page(page_id: str, title: str, intro: str | None = None, uses_countries: bool = True) -> Iterator[PageContext]:
    """Set up a page; yields the context; always ends with the sidebar and the footer.

    ``uses_countries=False``: the page does not depend on the country filter,
    so changing it reruns the sidebar only.
    """
    urlstate.reseed_on_page_switch(st, page_id)
    ignored_languages = _seed_language()
    # The language is read from session state once per run, not by every message (``i18n.current``).
    with i18n.language(st.session_state["lang"]):
        st.set_page_config(
            page_title=f"{i18n.translate(title)} · {APP_NAME}",
            page_icon=str(ROOT / "static" / "favicon.png"),
            layout="wide",
            initial_sidebar_state="auto",
        )
        ds = dataset().in_language(i18n.current())
        # Embedded in an iframe (?embed=true): no sidebar, the filters come from the link.
        embedded = is_embedded()
        if embedded:
            countries = _countries_from_url(ds)
        else:
            countries = _seed_country_filter(ds)
        show_url_notice("lang", ignored_languages)
        ctx = PageContext(page_id=page_id, ds=ds, countries=countries, embedded=embedded, uses_countries=uses_countries)
        if not embedded:
            with st.sidebar:
                _sidebar_head(ds)
        st.title(i18n.translate(title))
        if intro:
            st.markdown(i18n.translate(intro))
        try:
            yield ctx
        except DataUnavailable as exc:
            show_data_error(exc)
        finally:
            if not embedded and not ctx.filter_drawn:
                with st.sidebar:
                    if ctx.uses_countries:
                        _sidebar_filter(page_id, ds, True)
                    else:
                        _sidebar_filter_fragment(page_id, ds, False)
            footer(ds)
            _page_style()(key="page_style", data={"lang": i18n.current()})
