"""Files people take away: a chart as standalone HTML, all the data as a ZIP.

Pure functions (no Streamlit): figures, frames and folders in, bytes out.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .citations import in_ukrainian_suffix, source_link
from .i18n import N_, _

DATASET_TITLE = "Guarantee Atlas data"
AUTHORS = "Guarantee Atlas contributors"
DATA_LICENCE_ID = "CC-BY-4.0"
# One message per item, so that each is translated whole (``licences_markdown``).
LICENCE_ITEMS = (
    N_(
        "**Compiled data** (the tables, their coding and notes): Creative Commons Attribution 4.0 "
        "International (CC BY 4.0), <https://creativecommons.org/licenses/by/4.0/>. Credit "
        "\"Guarantee Atlas contributors\" and give the data version (see VERSION and CITATION.cff)."
    ),
    N_(
        "**Figures and words quoted from other publishers** (treaty texts, news reports, the Kiel "
        "Ukraine Support Tracker and others) stay under their publishers' terms. Every row names its "
        "sources in `source_ids`; `sources.csv` gives each source's publisher, title and address."
    ),
    N_(
        "**Map geometry** (the app's world map): plotly.js's UN-based world topojson, shipped in the "
        "plotly.js package under the MIT licence; the UN geodata's own terms are not stated there."
    ),
    N_("**Code** of the Guarantee Atlas app: MIT licence."),
)


def licences_markdown() -> str:
    """The licences as a markdown list, in the language in use."""
    return "".join(f"- {_(item)}\n" for item in LICENCE_ITEMS)


LICENCES_MARKDOWN = "".join(f"- {item}\n" for item in LICENCE_ITEMS)  # English: the ZIP's LICENCES.md
LICENCE_FILE = "# Licences\n\n" + LICENCES_MARKDOWN


# --- Standalone HTML --------------------------------------------------------


def topojson_names(fig: go.Figure) -> list[str]:
    """Base-map files plotly.js would fetch for the figure's maps (e.g. ``world_50m``)."""
    names = []
    subplots = dict.fromkeys(trace.geo or "geo" for trace in fig.data if "geo" in trace)
    for subplot in subplots:
        geo = fig.layout[subplot]
        name = f"{(geo.scope or 'world').replace(' ', '-')}_{geo.resolution or 110}m"
        if name not in names:
            names.append(name)
    return names


def _script_json(text: str) -> str:
    """JSON text made safe to sit inside a <script> element."""
    return text.replace("</", "<\\/")


def geo_assets_script(fig: go.Figure, topojson_dir: Path) -> str:
    """A script that hands plotly.js the base maps, so it never fetches them.

    plotly.js reads ``window.PlotlyGeoAssets.topojson[name]`` before fetching
    ``<topojsonURL>/<name>.json``; empty when the figure has no map.
    """
    entries = []
    for name in topojson_names(fig):
        path = topojson_dir / f"{name}.json"
        if path.exists():
            entries.append(f"{json.dumps(name)}: {_script_json(path.read_text(encoding='utf-8'))}")
    if not entries:
        return ""
    return "<script>window.PlotlyGeoAssets = {topojson: {" + ", ".join(entries) + "}};</script>"


def plotly_js_script(static_dir: Path) -> str:
    """The atlas's own plotly.js bundle (the one the app draws with: its traces and the Ukrainian locale), inlined."""
    from .plot_element import PLOTLY_JS

    code = (static_dir / PLOTLY_JS).read_text(encoding="utf-8")
    return '<script type="text/javascript">' + code.replace("</script", "<\\/script") + "</script>"


def _sources_html(sources: pd.DataFrame) -> str:
    items = []
    for row in sources.itertuples(index=False):
        link, ukrainian = source_link(row)
        url = html.escape(link, quote=True)
        title = html.escape(str(row.title) + in_ukrainian_suffix(ukrainian))
        items.append(f'<li>{html.escape(str(row.publisher))}: <a href="{url}">{title}</a></li>')
    if not items:
        return "<p>" + html.escape(_("See the Methodology page of Guarantee Atlas.")) + "</p>"
    return "<ul>" + "".join(items) + "</ul>"


def standalone_html(
    fig: go.Figure,
    *,
    title: str,
    config: dict,
    sources: pd.DataFrame,
    footnote: str,
    topojson_dir: Path,
    lang: str | None = None,
) -> bytes:
    """A chart as one HTML file that opens offline and still draws, maps included.

    plotly.js (the app's bundle, from ``topojson_dir``: the static folder) and the base maps are inlined; the figure should already carry
    its title and source line (``theme.apply_theme``). Below it: the linked
    sources (``publisher``, ``title``, ``url`` columns) and ``footnote``.
    ``<html lang>`` is ``lang`` (default: the language in use), for screen readers
    and the browser's hyphenation and translation offers.
    """
    lang = lang or i18n.current()
    config = {k: v for k, v in config.items() if k != "topojsonURL"}
    page = fig.to_html(
        include_plotlyjs=False, full_html=True, config=config, default_height=f"{fig.layout.height or 480}px"
    )
    head = (
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>html, body {height: auto; background: #FFFFFF; color: #1A1A1A;"
        " font-family: 'Source Sans Pro', Arial, sans-serif;}"
        " .sources {max-width: 60rem; margin: 1rem; font-size: 0.85rem;}</style>\n"
        f"{plotly_js_script(topojson_dir)}\n"
        f"{geo_assets_script(fig, topojson_dir)}\n"
    )
    with i18n.language(lang):
        heading = html.escape(_("Sources"))
        body_end = (
            f'<div class="sources"><p><strong>{heading}</strong></p>'
            f"{_sources_html(sources)}<p>{html.escape(footnote)}</p></div>\n"
        )
    page = re.sub(r"<html[^>]*>", f'<html lang="{html.escape(lang, quote=True)}">', page, count=1)
    page = page.replace("<style>html, body {height: 100%;}</style>", "", 1)
    page = page.replace("</head>", head + "</head>", 1)
    page = page.replace("</body>", body_end + "</body>", 1)
    return page.encode("utf-8")


# --- All the data -----------------------------------------------------------


def citation_cff(version: str, released: date | None) -> str:
    """CITATION.cff text for the dataset (no DOI or repository: none is assigned)."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these data, please cite them as below."',
        "type: dataset",
        f'title: "{DATASET_TITLE}"',
        "authors:",
        f'  - name: "{AUTHORS}"',
        f'version: "{version}"',
    ]
    if released:
        lines.append(f'date-released: "{released.isoformat()}"')
    lines.append(f"license: {DATA_LICENCE_ID}")
    return "\n".join(lines) + "\n"


def citation_text(version: str, released: date | None) -> str:
    """The same citation as one line of text, for the page (the names stay as in CITATION.cff)."""
    if released:
        return _("{authors}, {title}, version {version} ({year}).").format(
            authors=AUTHORS, title=DATASET_TITLE, version=version, year=released.year
        )
    return _("{authors}, {title}, version {version}.").format(authors=AUTHORS, title=DATASET_TITLE, version=version)


def archive_folder_name(version: str, lang: str = i18n.DEFAULT) -> str:
    """``guarantee-atlas-data-<version>``, ``…-uk`` for the archive with the Ukrainian README."""
    name = f"guarantee-atlas-data-{version}"
    return name if lang == i18n.DEFAULT else f"{name}-{lang}"


# What each file of the archive is, for the README in another language than English.
FILE_DESCRIPTIONS = {
    "sources.csv": N_("every source: publisher, title, address, dates and kind; the other tables cite them by id"),
    "models.csv": N_("the models of guarantee compared, one row each"),
    "roles.csv": N_("the roles a country can hold under each model, and their strength"),
    "guarantors.csv": N_("who holds which role under which model, one row per country and role"),
    "provisions.csv": N_("what each model provides on each point, and how binding it is"),
    "comparison.csv": N_("the comparison of the models, dimension by dimension, with their scores"),
    "agreements.csv": N_("the bilateral security agreements with Ukraine: dates, signatories, terms, pledges"),
    "events.csv": N_("the timeline: events and periods from 1991 to today"),
    "aid.csv": N_("aid allocated to Ukraine by donor and type (Kiel Ukraine Support Tracker)"),
    "aid_yearly.csv": N_("the same aid by year (Kiel Ukraine Support Tracker)"),
    "us_israel_mou.csv": N_("the US–Israel understandings on military aid (the Israel benchmark)"),
    "README.md": N_("the full definitions of every table and column, in English"),
    "CHANGELOG.md": N_("what changed in each data version"),
    "README-uk.md": N_("the same definitions of every table and column, in Ukrainian"),
    "CHANGELOG-uk.md": N_("the changelog, in Ukrainian"),
    "VERSION": N_("the data version"),
    "CITATION.cff": N_("how to cite the data, in the Citation File Format"),
    "LICENCES.md": N_("the licences, in English"),
    "SPOTCHECK.md": N_("a spot check of the data against their sources"),
}


def readme_translated(
    file_names: list[str], version: str, released: date | None, lang: str, translated_columns: bool = False
) -> str:
    """A short README in ``lang``: what each file is, the licence, how to cite, and that columns keep English ids.

    ``translated_columns``: some tables have ``<column>_<lang>`` columns (the text in that language), said so.
    """
    with i18n.language(lang):
        lines = [
            "# " + _("Guarantee Atlas data, version {version}").format(version=version),
            "",
            _(
                "Data on the security guarantees offered to Ukraine since 1994, as shown in the Guarantee Atlas. "
                "This file is a short guide in your language; the full documentation is README.md, in English."
            ),
            "",
            "## " + _("Files"),
            "",
        ]
        for name in file_names:
            description = FILE_DESCRIPTIONS.get(name)
            lines.append(f"- `{name}`: {_(description)}" if description else f"- `{name}`")
        lines += [
            "",
            "## " + _("Column names and values"),
            "",
            _(
                "Column names, ids (such as `model_id`, `role`, `level`) and coded values are stable English "
                "ids, the same in every language, so that scripts keep working. Their full definitions, in "
                "English, are in README.md. Dates are YYYY-MM-DD; countries are ISO 3166-1 alpha-3 codes."
            ),
            "",
        ]
        if translated_columns:
            lines += [
                _(
                    "Columns ending in `_{lang}` hold the text of the column of the same name in this language."
                ).format(lang=lang),
                "",
            ]
        lines += [
            "## " + _("Licence"),
            "",
            licences_markdown().rstrip(),
            "",
            "## " + _("How to cite"),
            "",
            citation_text(version, released),
            "",
            _("The same citation is in CITATION.cff."),
            "",
        ]
    return "\n".join(lines)


def data_archive(data_dir: Path, version: str, released: date | None, lang: str = i18n.DEFAULT) -> bytes:
    """ZIP of every file in the data folder, plus CITATION.cff and LICENCES.md.

    The folder's tables, README.md (column definitions), CHANGELOG.md and
    VERSION go in as they are; a missing README.md is replaced by the part
    READMEs (``README.*.md``) joined, so the columns are always described.
    In another language than English (``lang``) a short ``README.<lang>.md``
    in that language is added (``readme_translated``).
    """
    root = archive_folder_name(version, lang)
    files = {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file() and not p.name.startswith(".")}
    if "README.md" not in files:
        parts = [files[name] for name in sorted(files) if name.startswith("README.") and name.endswith(".md")]
        if parts:
            files["README.md"] = b"\n\n".join(parts)
    files["CITATION.cff"] = citation_cff(version, released).encode("utf-8")
    files.setdefault("LICENCES.md", LICENCE_FILE.encode("utf-8"))
    if lang != i18n.DEFAULT:
        names = sorted(files, key=lambda n: (not n.endswith(".csv"), n))
        translated = any(
            column.strip().strip('"').endswith(f"_{lang}")
            for name in names
            if name.endswith(".csv")
            for column in files[name].split(b"\n", 1)[0].decode("utf-8", "replace").split(",")
        )
        files[f"README.{lang}.md"] = readme_translated(names, version, released, lang, translated).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(f"{root}/{name}", content)
    return buffer.getvalue()
