"""Files people take away: a chart as standalone HTML, all the data as a ZIP.

Pure functions (no Streamlit): figures, frames and folders in, bytes out.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

DATASET_TITLE = "Guarantee Atlas data"
AUTHORS = "Guarantee Atlas contributors"
DATA_LICENCE_ID = "CC-BY-4.0"
LICENCES_MARKDOWN = """\
- **Compiled data** (the tables, their coding and notes): Creative Commons Attribution 4.0
  International (CC BY 4.0), <https://creativecommons.org/licenses/by/4.0/>. Credit
  "Guarantee Atlas contributors" and give the data version (see VERSION and CITATION.cff).
- **Figures and words quoted from other publishers** (treaty texts, news reports, the Kiel
  Ukraine Support Tracker and others) stay under their publishers' terms. Every row names its
  sources in `source_ids`; `sources.csv` gives each source's publisher, title and address.
- **Map geometry** (the app's world map): plotly.js's UN-based world topojson, shipped in the
  plotly.js package under the MIT licence; the UN geodata's own terms are not stated there.
- **Code** of the Guarantee Atlas app: MIT licence.
"""
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


def _sources_html(sources: pd.DataFrame) -> str:
    items = []
    for row in sources.itertuples(index=False):
        url = html.escape(str(row.url), quote=True)
        items.append(
            f'<li>{html.escape(str(row.publisher))}: <a href="{url}">{html.escape(str(row.title))}</a></li>'
        )
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>See the Methodology page of Guarantee Atlas.</p>"


def standalone_html(
    fig: go.Figure,
    *,
    title: str,
    config: dict,
    sources: pd.DataFrame,
    footnote: str,
    topojson_dir: Path,
) -> bytes:
    """A chart as one HTML file that opens offline and still draws, maps included.

    plotly.js and the base maps are inlined; the figure should already carry
    its title and source line (``theme.apply_theme``). Below it: the linked
    sources (``publisher``, ``title``, ``url`` columns) and ``footnote``.
    """
    config = {k: v for k, v in config.items() if k != "topojsonURL"}
    page = fig.to_html(
        include_plotlyjs=True, full_html=True, config=config, default_height=f"{fig.layout.height or 480}px"
    )
    head = (
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>html, body {height: auto; background: #FFFFFF; color: #1A1A1A;"
        " font-family: 'Source Sans Pro', Arial, sans-serif;}"
        " .sources {max-width: 60rem; margin: 1rem; font-size: 0.85rem;}</style>\n"
        f"{geo_assets_script(fig, topojson_dir)}\n"
    )
    body_end = (
        '<div class="sources"><p><strong>Sources</strong></p>'
        f"{_sources_html(sources)}<p>{html.escape(footnote)}</p></div>\n"
    )
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
    """The same citation as one line of text, for the page."""
    year = f" ({released.year})" if released else ""
    return f"{AUTHORS}, {DATASET_TITLE}, version {version}{year}."


def archive_folder_name(version: str) -> str:
    return f"guarantee-atlas-data-{version}"


def data_archive(data_dir: Path, version: str, released: date | None) -> bytes:
    """ZIP of every file in the data folder, plus CITATION.cff and LICENCES.md.

    The folder's tables, README.md (column definitions), CHANGELOG.md and
    VERSION go in as they are; a missing README.md is replaced by the part
    READMEs (``README.*.md``) joined, so the columns are always described.
    """
    root = archive_folder_name(version)
    files = {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file() and not p.name.startswith(".")}
    if "README.md" not in files:
        parts = [files[name] for name in sorted(files) if name.startswith("README.") and name.endswith(".md")]
        if parts:
            files["README.md"] = b"\n\n".join(parts)
    files["CITATION.cff"] = citation_cff(version, released).encode("utf-8")
    files.setdefault("LICENCES.md", LICENCE_FILE.encode("utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(f"{root}/{name}", content)
    return buffer.getvalue()
