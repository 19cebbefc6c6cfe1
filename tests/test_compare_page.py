"""AppTest: the compare page (scorecard, a sourced cell per model × dimension, only the differences)."""

import pandas as pd

from conftest import plotly_figures

PAGE = "pages/3_compare.py"


def _cells(at) -> list[str]:
    """Each cell's markdown, up to its folded detail (a markdown block holds one dimension's cells)."""
    blocks = [m.value for m in at.markdown if '<div class="cmp-cell"' in m.value]
    parts = [part for block in blocks for part in block.split('<div class="cmp-cell"')[1:]]
    return [part.split("\n\n", 1)[1].split("\n\n<details>")[0] for part in parts]


def _edit_comparison(data_dir, **changes) -> None:
    """Set columns on rows of the fixture's comparison.csv: changes = {(dimension, model): {col: value}}."""
    path = data_dir / "comparison.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for (dimension, model), values in changes["rows"].items():
        mask = (frame["dimension"] == dimension) & (frame["model_id"] == model)
        for column, value in values.items():
            frame.loc[mask, column] = value
    frame.to_csv(path, index=False)


def test_scorecard_and_a_sourced_cell_per_model_and_dimension(run_page):
    at = run_page(PAGE)
    assert not at.exception
    (figure,) = plotly_figures(at)
    assert [t["name"] for t in figure["data"]][:3] == ["Budapest 1994", "Kyiv Compact 2022", "Israel-style 2023–"]
    cells = _cells(at)
    assert len(cells) == 45
    assert all("](https://example.org/" in c for c in cells)
    assert cells[0].startswith("**Budapest 1994** · :gray[score 0 of 3: nothing]")
    assert not any("Disputed" in c for c in cells)


def test_disputed_cells_are_marked(run_page, fixture_data_dir):
    _edit_comparison(fixture_data_dir, rows={("nuclear", "israel"): {"disputed": "true"}})
    at = run_page(PAGE, data_dir=fixture_data_dir)
    marked = [c for c in _cells(at) if "Disputed" in c]
    assert len(marked) == 1 and marked[0].startswith("**Israel-style 2023–**")
    (figure,) = plotly_figures(at)
    ring = next(t for t in figure["data"] if t["name"] == "Disputed (ring)")
    assert ring["x"] == [2]


def test_two_models_show_only_their_differences(run_page, fixture_data_dir):
    _edit_comparison(fixture_data_dir, rows={("duration", "israel"): {"score": "2"}})  # Budapest's score too
    at = run_page(PAGE, data_dir=fixture_data_dir, query={"show": "pair"})
    assert not at.exception
    assert [s.value for s in at.selectbox] == ["budapest", "israel"]
    cells = _cells(at)
    assert len(cells) == 28
    assert "Hidden, because both score the same (the wording may still differ): Duration." in " ".join(
        c.value for c in at.caption
    )
    (figure,) = plotly_figures(at)
    assert [t["name"] for t in figure["data"]] == ["Budapest 1994", "Israel-style 2023–", "Disputed (ring)"]
    assert "Where Budapest 1994 and Israel-style 2023–" in figure["layout"]["title"]["text"].replace("<br>", " ")


def test_the_same_model_twice_asks_for_two_different_ones(run_page):
    at = run_page(PAGE, query={"show": "pair"})
    at.selectbox(key="second").set_value("budapest").run()
    assert not at.exception
    assert "Pick two different models" in " ".join(i.value for i in at.info)
    assert plotly_figures(at) == [] and _cells(at) == []


def test_a_dimension_is_one_block_with_each_cells_detail_folded_and_data_never_read_as_html(run_page, fixture_data_dir):
    _edit_comparison(
        fixture_data_dir,
        rows={("nuclear", "israel"): {"value": "<b>bold</b> claim", "detail": "<script>alert(1)</script> more"}},
    )
    at = run_page(PAGE, data_dir=fixture_data_dir)
    assert not at.exception
    blocks = [m for m in at.markdown if '<div class="cmp-row">' in m.value]
    assert len(blocks) == 15 and all(m.allow_html for m in blocks)
    assert [m.value.split("\n\n", 1)[0] for m in blocks][:2] == ["### Legal form and bindingness", "### Who guarantees"]
    assert all(m.value.count('<div class="cmp-cell"') == 3 and m.value.count("<summary>Detail<span") == 3 for m in blocks)
    assert '<summary>Detail<span class="visually-hidden">: Budapest 1994, Legal form and bindingness</span></summary>' in blocks[0].value
    shown = " ".join(m.value for m in blocks)
    assert "\\<script\\>alert\\(1\\)\\</script\\> more" in shown and "<script>" not in shown
    assert "\\<b\\>bold\\</b\\> claim" in shown
