"""Models are defined once: data (models.csv, roles.csv) plus one registry entry.

A fictitious, test-only model added to the fixture data (tests/fixtures/extra_model)
must render on every page with no code change, and no module outside the
registry may hold a literal list of model ids.
"""

import ast
import csv

import pytest

from guarantee_atlas.data import load_dataset
from guarantee_atlas.layout import available_pages
from guarantee_atlas.registry import SPARE_STYLES, STYLES
from conftest import ROOT, chart_payloads

EXTRA = "fictitious"
EXTRA_LABEL = "Fictitious 2030"
CODE = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "src").rglob("*.py"))]
REGISTRY_MODULE = ROOT / "src" / "guarantee_atlas" / "registry.py"


def shipped_model_ids() -> set[str]:
    with (ROOT / "data" / "models.csv").open(encoding="utf-8") as handle:
        return {row["model_id"] for row in csv.DictReader(handle)}


def literal_model_lists(source: str, model_ids: set[str]) -> list[int]:
    """Line numbers of list, tuple, set or dict literals in ``source`` that hold two or more model ids."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            items = node.keys
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = node.elts
        else:
            continue
        if len({i.value for i in items if isinstance(i, ast.Constant) and i.value in model_ids}) >= 2:
            found.append(node.lineno)
    return found


def test_no_module_outside_the_registry_lists_model_ids():
    model_ids = shipped_model_ids()
    assert len(model_ids) >= 4
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in CODE
        if path != REGISTRY_MODULE
        for line in literal_model_lists(path.read_text(encoding="utf-8"), model_ids)
    ]
    assert offenders == [], "define models once (data/models.csv + registry.STYLES): " + ", ".join(offenders)


def test_the_check_finds_literal_lists_and_allows_one_id():
    ids = {"budapest", "ksc", "israel"}
    assert literal_model_lists('COLOURS = {"budapest": "#000", "ksc": "#111"}', ids) == [1]
    assert literal_model_lists('ONE = "israel"\nLANES = ("israel", "context")', ids) == []
    assert literal_model_lists('x = 1\nIDS = ["ksc", "israel"]', ids) == [2]


def test_every_shipped_model_has_a_style_of_its_own():
    styles = [STYLES[m] for m in shipped_model_ids()]
    assert len({s.colour for s in styles}) == len(styles)
    assert len({s.symbol for s in styles}) == len(styles) == len({s.glyph for s in styles})


def test_the_extra_model_loads_and_takes_a_spare_style(extra_model_data):
    ds = load_dataset(extra_model_data)
    assert ds.errors == {}, {k: e.problems[:3] for k, e in ds.errors.items()}
    registry = ds.registry
    assert registry.ids[-1] == EXTRA and len(registry) == 4
    assert registry.model(EXTRA).style == SPARE_STYLES[0]
    assert [r.role_id for r in registry.roles_for_model(EXTRA)] == ["fictitious_lead", "fictitious_member", "recipient"]


def test_a_model_without_every_provision_is_named_in_the_error(extra_model_data, tmp_path):
    broken = tmp_path / "data"
    import shutil

    shutil.copytree(extra_model_data, broken)
    lines = (broken / "provisions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (broken / "provisions.csv").write_text("".join(l for l in lines if not l.startswith(f"{EXTRA},cyber,")))
    ds = load_dataset(broken)
    assert "no row for model 'fictitious' and provision 'cyber'" in str(ds.errors["provisions"])


PAGE_CHECKS = {
    "home": lambda at: EXTRA_LABEL in [h.value for h in at.subheader],
    "map": lambda at: any(EXTRA_LABEL in p["label"] for p in chart_payloads(at)),
    "aid": lambda at: any(EXTRA_LABEL in m.value for m in at.markdown),
    "compare": lambda at: any(EXTRA_LABEL in p["label"] or EXTRA_LABEL in str(p["figure"]) for p in chart_payloads(at)),
    "timeline": lambda at: any(EXTRA_LABEL in str(p["figure"]) for p in chart_payloads(at)),
    "country": lambda at: any("Fictitious model" in m.value for m in at.markdown),
    "methodology": lambda at: any("Fictitious test model" in s.value for s in at.subheader),
}
QUERIES = {"map": {"view": "side"}, "country": {"country": "NOR"}}


@pytest.mark.parametrize("info", available_pages(), ids=[p.page_id for p in available_pages()])
def test_every_page_shows_the_extra_model_with_no_code_change(run_page, extra_model_data, info):
    at = run_page(info.path, data_dir=extra_model_data, query=QUERIES.get(info.page_id))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert PAGE_CHECKS[info.page_id](at), f"{info.page_id} does not show the extra model"


def test_side_by_side_draws_one_map_per_model(run_page, extra_model_data):
    at = run_page("pages/1_map.py", data_dir=extra_model_data, query={"view": "side"})
    labels = [p["label"] for p in chart_payloads(at)]
    assert len(labels) == 4 and labels[-1].startswith(EXTRA_LABEL)
