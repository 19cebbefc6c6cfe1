"""What the Methodology page shows, shaped from the data docs and vocabularies (pure)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import vocab
from .citations import citation_list
from .registry import ANY_MODEL, Registry
from .urlstate import view_link

DISAGREEMENT_WORDS = ("disagree", "disputed", "conflict")


@dataclass(frozen=True)
class Section:
    """A ``## `` section of a markdown document: its heading and its text."""

    title: str
    body: str


def read_doc(data_dir: Path, name: str) -> str | None:
    """A text file of the data folder (README.md, CHANGELOG.md), or None if absent."""
    path = data_dir / name
    return path.read_text(encoding="utf-8") if path.exists() else None


def readme_text(data_dir: Path) -> str | None:
    """data/README.md; failing that, the part READMEs (``README.*.md``) joined; else None."""
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
    """Every role a country can hold, model by model, strongest first (the map fills the strongest)."""
    rows = []
    for model_id in [*registry.ids, ANY_MODEL]:
        roles = [role for role in registry.roles if role.model_id == model_id]
        for role in sorted(roles, key=lambda r: -r.strength):
            rows.append(
                {
                    "Model": registry.chart_label(model_id) if model_id else "Any model",
                    "Role": role.label,
                    "What it means": role.description,
                    "Strength": role.strength,
                }
            )
    return pd.DataFrame(rows)


def level_table() -> pd.DataFrame:
    """The binding levels a provision can have, strongest first, with how each was coded."""
    return pd.DataFrame(
        {"Level": list(vocab.LEVELS.values()), "How it was coded": [vocab.LEVEL_DESCRIPTIONS[k] for k in vocab.LEVELS]}
    )


def basis_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"Basis": list(vocab.BASIS_DESCRIPTIONS), "What it means": list(vocab.BASIS_DESCRIPTIONS.values())}
    )


def disputed_rows(provisions: pd.DataFrame, comparison: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Provisions and comparison cells marked ``disputed``, with why and their sources."""
    prov = provisions[provisions["disputed"]]
    comp = comparison[comparison["disputed"]]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "Table": "provisions",
                    "Model": prov["model_id"].map(registry.chart_labels()),
                    "Item": prov["provision"].map(vocab.PROVISIONS),
                    "Coded as": prov["level"].map(vocab.LEVELS),
                    "Why it is disputed": prov["detail"],
                    "source_ids": prov["source_ids"],
                }
            ),
            pd.DataFrame(
                {
                    "Table": "comparison",
                    "Model": comp["model_id"].map(registry.chart_labels()),
                    "Item": comp["dimension"].map(vocab.DIMENSIONS),
                    "Coded as": comp["value"] + " (score " + comp["score"].astype(str) + " of 3)",
                    "Why it is disputed": comp["detail"],
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
