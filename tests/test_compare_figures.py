"""Comparison shaping (cells with source links, only the differences) and the scorecard builder."""

import pandas as pd
import pytest

from guarantee_atlas import comparison, vocab
from guarantee_atlas.data import load_dataset
from guarantee_atlas.figures.compare import build_scorecard
from guarantee_atlas.registry import STYLES
from conftest import FIXTURE_DATA, fixture_registry

REGISTRY = fixture_registry()
CHART_LABELS = REGISTRY.chart_labels()


@pytest.fixture(scope="module")
def cells():
    tables = load_dataset(FIXTURE_DATA).tables
    return comparison.comparison_cells(tables["comparison"], tables["sources"], REGISTRY)


def _sources(rows):
    return pd.DataFrame(rows, columns=["source_id", "publisher", "url"])


def _cells(rows):
    """Cells (dimension, model_id, score, disputed) with the other columns filled in."""
    frame = pd.DataFrame(rows, columns=["dimension", "model_id", "score", "disputed"])
    return frame.assign(
        dimension_label=frame["dimension"].map(vocab.DIMENSIONS),
        model_label=frame["model_id"].map(CHART_LABELS),
        value="v", detail="d", source_ids="s", sources_markdown="[S](https://example.org)",
    )


def test_cells_come_in_display_order_with_a_source_link_each(cells):
    assert len(cells) == 45
    assert list(cells["dimension"].iloc[:3]) == ["legal_form"] * 3
    assert list(cells["model_id"].iloc[:3]) == ["budapest", "ksc", "israel"]
    assert cells["sources_markdown"].str.contains(r"\]\(https://example\.org/").all()
    assert cells.loc[0, "sources_markdown"] == "[Example Publisher](https://example.org/memo)"


def test_source_links_are_safe_short_and_numbered_when_a_publisher_repeats():
    sources = _sources([
        ("a", "National Security Archive (GWU); copy of UN Treaty Series", "https://example.org/a_(b)"),
        ("b", "Ukrainska Pravda", "https://example.org/1"),
        ("c", "Ukrainska Pravda", "https://example.org/2"),
    ])
    text = comparison.sources_markdown("a;b;c;unknown", sources)
    assert text == (
        "[National Security Archive](https://example.org/a_%28b%29) · "
        "[Ukrainska Pravda](https://example.org/1) · [Ukrainska Pravda \\(2\\)](https://example.org/2)"
    )
    assert comparison.short_publisher("x" * 50).endswith("…")


def test_cell_markdown_marks_disputed_and_escapes_data_text(cells):
    cell = cells.iloc[0].copy()
    cell["value"] = "Value with *stars* and [brackets]"
    plain = comparison.cell_markdown(cell)
    assert "**Budapest 1994**" in plain and "score 0 of 3: nothing" in plain
    assert r"\*stars\*" in plain and r"\[brackets\]" in plain
    assert "Disputed" not in plain
    cell["disputed"] = True
    assert ":orange-badge[:material/help: Disputed]" in comparison.cell_markdown(cell)
    assert "Sources: [Example Publisher]" in plain


def test_only_differences_keeps_dimensions_scored_differently():
    cells = _cells([
        ("legal_form", "budapest", 1, False), ("legal_form", "ksc", 3, True), ("legal_form", "israel", 1, False),
        ("duration", "budapest", 2, False), ("duration", "ksc", 2, False), ("duration", "israel", 2, False),
    ])
    pair = comparison.only_differences(cells, "budapest", "ksc")
    kept = list(zip(pair.cells["dimension"], pair.cells["model_id"]))
    assert kept == [("legal_form", "budapest"), ("legal_form", "ksc")]
    assert pair.same_score == ["Duration"]
    same = comparison.only_differences(cells, "budapest", "israel")
    assert same.cells.empty and same.same_score == ["Legal form and bindingness", "Duration"]
    assert comparison.only_differences(cells, "ksc", "ksc").cells.empty


def test_scorecard_has_a_dot_row_per_dimension_and_a_symbol_per_model(cells):
    fig = build_scorecard(cells, REGISTRY)
    models = [t for t in fig.data if t.name in CHART_LABELS.values()]
    assert [t.name for t in models] == list(CHART_LABELS.values())
    # the same shapes as the timeline's lanes: one style per model, from the registry
    assert [t.marker.symbol for t in models] == [STYLES[m].symbol for m in REGISTRY.ids]
    budapest = models[0]
    assert list(budapest.x) == list(cells.loc[cells["model_id"] == "budapest", "score"])
    assert set(budapest.text) == {"Budapest"}
    assert list(fig.layout.yaxis.ticktext)[0] == "Legal form and<br>bindingness"
    assert len(fig.layout.yaxis.tickvals) == 15
    # Models sit at small offsets in their dimension row, so equal scores stay visible.
    assert budapest.y[0] < models[1].y[0] < models[2].y[0] < 0.5


def test_scorecard_rings_disputed_cells_and_says_so_in_the_hover():
    cells = _cells([("legal_form", "budapest", 1, True), ("legal_form", "israel", 3, False)])
    fig = build_scorecard(cells, REGISTRY)
    ring = next(t for t in fig.data if t.name == "Disputed (ring)")
    assert list(ring.x) == [1] and ring.visible is True
    budapest = next(t for t in fig.data if t.name == "Budapest 1994")
    assert "Disputed: sources disagree" in budapest.hovertext[0]
    israel = next(t for t in fig.data if t.name == "Israel-style 2023–")
    assert israel.textposition == ("middle left",)  # the top score's label stays inside the plot
    drawn = [t.name for t in fig.data if t.name in CHART_LABELS.values()]
    assert drawn == ["Budapest 1994", "Israel-style 2023–"]


def test_dimension_blocks_write_html_only_in_their_own_tags():
    """The compare page renders these blocks with HTML allowed: no data text may become a tag."""
    import re

    hostile = "<img src=x onerror=alert(1)> & <script>alert(2)</script> \"quoted\" 'single'"
    sources = _sources([("s", f"Publisher {hostile}", "https://example.org/x")])
    frame = _cells([("legal_form", "budapest", 1, False), ("legal_form", "ksc", 2, True)]).assign(
        value=hostile, detail=hostile, model_label=hostile,
        sources_markdown=comparison.sources_markdown("s", sources),
    )
    (block,) = comparison.dimension_blocks(frame)
    own_tags = re.compile(r'</?(div|details|summary|span)( (class|data-model)="[^"<>]*")*>')
    rest = own_tags.sub("", block)
    assert all(rest[i - 1] == "\\" for i, char in enumerate(rest) if char == "<"), "every other < is escaped text"
    assert not re.search(r"(?<!\\)<(script|img)", block) and "\\<script\\>" in block
    assert block.count('<div class="cmp-cell"') == 2 and block.count("<details>") == 2
