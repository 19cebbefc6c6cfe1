"""What the Methodology page shows, shaped from the data docs and vocabularies (pure)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import i18n, vocab
from .citations import citation_list
from .downloads import escape_markdown
from .i18n import _
from .registry import ANY_MODEL, Registry
from .urlstate import view_link

DISAGREEMENT_WORDS = ("disagree", "disputed", "conflict", "розбіжн", "спірн")


@dataclass(frozen=True)
class Section:
    """A ``## `` section of a markdown document: its heading and its text."""

    title: str
    body: str


def translated_doc_name(name: str, lang: str) -> str:
    """The file that holds ``name`` (README.md, CHANGELOG.md) in ``lang``: README-uk.md (not README.uk.md,
    which would read as one of the part READMEs)."""
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}-{lang}.{suffix}"


def read_doc(data_dir: Path, name: str, lang: str | None = None) -> str | None:
    """A text file of the data folder (README.md, CHANGELOG.md) in ``lang`` where it is translated
    (default: the language in use), else as it is; None if absent."""
    lang = lang or i18n.current()
    if lang != i18n.DEFAULT and (data_dir / translated_doc_name(name, lang)).exists():
        name = translated_doc_name(name, lang)
    path = data_dir / name
    return path.read_text(encoding="utf-8") if path.exists() else None


def readme_text(data_dir: Path) -> str | None:
    """data/README.md (in the language in use where translated); failing that, the part READMEs
    (``README.*.md``) joined; else None."""
    full = read_doc(data_dir, "README.md")
    if full is not None:
        return full
    parts = [p.read_text(encoding="utf-8") for p in sorted(data_dir.glob("README.*.md"))]
    return "\n\n".join(parts) or None


def for_streamlit(markdown: str) -> str:
    """Markdown from the docs, with ``$`` escaped so amounts (US$, C$) are not read as maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", markdown)


def _plain_heading(text: str) -> str:
    return re.sub(r"[`*]", "", text).strip()


def sections(markdown: str, depth: int = 2) -> list[Section]:
    """Split on headings of up to ``depth`` levels (outside code blocks).

    Text before the first heading, if any, comes first with an empty title.
    """
    found: list[Section] = []
    title, lines, in_code = "", [], False
    heading = re.compile(rf"^#{{1,{depth}}}\s+(.*)$")
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else heading.match(line)
        if match:
            if title or "\n".join(lines).strip():
                found.append(Section(title, "\n".join(lines).strip()))
            title, lines = _plain_heading(match.group(1)), []
        else:
            lines.append(line)
    if title or "\n".join(lines).strip():
        found.append(Section(title, "\n".join(lines).strip()))
    return found


def is_disagreements(section: Section) -> bool:
    """True for a section about known disagreements between sources."""
    return any(word in section.title.lower() for word in DISAGREEMENT_WORDS)


def role_table(registry: Registry) -> pd.DataFrame:
    """Every role a country can hold, model by model, strongest first (the map fills the strongest).

    The columns are headed in the language in use; the roles' words are data.
    """
    model, role_name, meaning, strength = _("Model"), _("Role"), _("What it means"), _("Strength")
    rows = []
    for model_id in [*registry.ids, ANY_MODEL]:
        roles = [role for role in registry.roles if role.model_id == model_id]
        for role in sorted(roles, key=lambda r: -r.strength):
            rows.append(
                {
                    model: registry.chart_label(model_id) if model_id else _("Any model"),
                    role_name: role.label,
                    meaning: role.description,
                    strength: role.strength,
                }
            )
    return pd.DataFrame(rows, columns=[model, role_name, meaning, strength])


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a markdown table, every cell escaped: drawn with the page's text, without the code that
    ``st.table`` loads in the browser (700 KB for three small tables)."""

    def cell(value) -> str:
        return escape_markdown(" ".join(str(value).split()))

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def level_table() -> pd.DataFrame:
    """The binding levels a provision can have, strongest first, with how each was coded."""
    return pd.DataFrame(
        {_("Level"): list(vocab.levels().values()), _("How it was coded"): list(vocab.level_descriptions().values())}
    )


def basis_table() -> pd.DataFrame:
    """The two bases of a role (sourced, inferred) and what each means."""
    labels = vocab.basis_labels()
    return pd.DataFrame(
        {
            _("Basis"): [labels[b] for b in vocab.BASIS_DESCRIPTIONS],
            _("What it means"): list(vocab.basis_descriptions().values()),
        }
    )


def disputed_rows(provisions: pd.DataFrame, comparison: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Provisions and comparison cells marked ``disputed``, with why and their sources.

    Columns headed in the language in use ("Table" names the file, ``source_ids`` stays as in the data).
    """
    prov = provisions[provisions["disputed"]]
    comp = comparison[comparison["disputed"]]
    table, model, item, coded, why = _("Table"), _("Model"), _("Item"), _("Coded as"), _("Why it is disputed")
    scored = [
        _("{value} (score {score} of 3)").format(value=value, score=score)
        for value, score in zip(comp["value"], comp["score"])
    ]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    table: "provisions",
                    model: prov["model_id"].map(registry.chart_labels()),
                    item: prov["provision"].map(vocab.provisions()),
                    coded: prov["level"].map(vocab.levels()),
                    why: prov["detail"],
                    "source_ids": prov["source_ids"],
                }
            ),
            pd.DataFrame(
                {
                    table: "comparison",
                    model: comp["model_id"].map(registry.chart_labels()),
                    item: comp["dimension"].map(vocab.dimensions()),
                    coded: pd.Series(scored, index=comp.index, dtype=object),
                    why: comp["detail"],
                    "source_ids": comp["source_ids"],
                }
            ),
        ],
        ignore_index=True,
    )


def app_root(page_url: str, page_path: str) -> str:
    """The app's address from a page's URL: ``http://host/methodology`` → ``http://host/``."""
    base = page_url.split("?", 1)[0].rstrip("/")
    suffix = page_path.rstrip("/")
    if suffix and base.endswith(suffix):
        base = base[: -len(suffix)]
    return base + "/"


def embed_snippet(app_url: str, page_path: str, params: dict[str, str], title: str) -> str:
    """An <iframe> that shows one page of the app in embed mode (no sidebar, no toolbar)."""
    src = view_link(app_url.rstrip("/") + page_path, {**{k: [v] for k, v in params.items()}, "embed": ["true"]})
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}"\n'
        '        width="100%" height="900" style="border:0" loading="lazy"></iframe>'
    )


def source_links(sources: pd.DataFrame) -> str:
    """Markdown links 'publisher: title' for rows of sources.csv, separated by semicolons."""
    return citation_list(sources, empty="")
