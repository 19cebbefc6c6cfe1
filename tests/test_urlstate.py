"""URL parsing: hostile or sloppy query strings never pass through unchecked."""

from guarantee_atlas import urlstate

ALLOWED = {"POL", "DEU", "USA", "EUU"}


def test_codes_from_commas_repeats_and_case():
    parsed = urlstate.parse_codes(["POL,deu", "USA", "POL"], ALLOWED)
    assert parsed.values == ["POL", "DEU", "USA"]
    assert parsed.ignored == []


def test_unknown_and_hostile_values_are_ignored_and_sanitised():
    parsed = urlstate.parse_codes(["XXX,<script>alert(1)</script>,POL"], ALLOWED)
    assert parsed.values == ["POL"]
    assert parsed.ignored == ["XXX", "scriptalert1scri"]
    assert all("<" not in text for text in parsed.ignored)


def test_huge_value_is_cut_and_reported():
    parsed = urlstate.parse_codes(["POL," + "A" * 10_000], ALLOWED)
    assert parsed.values == ["POL"]
    assert parsed.ignored[0] == "a value of 10,004 characters"


def test_choice_defaults_and_reports():
    assert urlstate.parse_choice(["KSC"], ["budapest", "ksc"], "budapest").values == ["ksc"]
    parsed = urlstate.parse_choice(["nato"], ["budapest", "ksc"], "budapest")
    assert parsed.values == ["budapest"] and parsed.ignored == ["nato"]


def test_notice_and_encode():
    assert urlstate.notice_text("countries", []) is None
    text = urlstate.notice_text("countries", list("ABCDEFG"))
    assert text.endswith("A, B, C, D, E and 2 more.")
    assert urlstate.encode({"countries": ["POL", "DEU"], "model": None, "view": ""}) == {"countries": "POL,DEU"}
