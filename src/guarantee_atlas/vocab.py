"""Controlled vocabularies shared by the schemas, the figures and the pages.

Each vocabulary maps a stable id (as stored in the CSV files and the URL)
to the words shown to people. Order matters: it is the display order.
"""

from __future__ import annotations

from dataclasses import dataclass

MODELS: dict[str, str] = {
    "budapest": "Budapest Memorandum (1994)",
    "ksc": "Kyiv Security Compact (2022)",
    "israel": "Israel-style model (2023–)",
}
MODEL_SHORT: dict[str, str] = {
    "budapest": "Budapest 1994",
    "ksc": "Kyiv Compact 2022",
    "israel": "Israel-style 2023–",
}
TIMELINE_LANES: dict[str, str] = {**MODEL_SHORT, "context": "Context"}


@dataclass(frozen=True)
class Role:
    """A role a country can hold in one model; higher strength wins on the map."""

    model_id: str
    label: str
    strength: int
    guarantor: bool
    description: str


ROLES: dict[str, Role] = {
    "signatory_assurer": Role(
        "budapest", "Signatory giving assurances", 4, True,
        "Signed the memorandum and gave Ukraine the six assurances.",
    ),
    "violator": Role(
        "budapest", "Signatory that broke its assurances", 5, True,
        "Signed the memorandum, then used force against Ukraine (2014, 2022).",
    ),
    "separate_assurance": Role(
        "budapest", "Separate, weaker assurance", 2, True,
        "Gave its own, weaker assurance in a separate document; did not sign.",
    ),
    "core_guarantor": Role(
        "ksc", "Named core guarantor", 4, True,
        "Named by the Compact's text as a possible core guarantor.",
    ),
    "black_sea_partner": Role(
        "ksc", "Black Sea security partner", 3, True,
        "Named for possible regional agreements on Black Sea security.",
    ),
    "named_group_member": Role(
        "ksc", "Member of a named group (inferred)", 2, True,
        "The text names the group (Nordic, Baltic, Central and Eastern European), "
        "not its states: membership is our inference.",
    ),
    "sanctions_group": Role(
        "ksc", "Wanted for the wider sanctions group", 1, True,
        "Reported as a state that supporters want in the wider, sanctions-based group.",
    ),
    "prime_guarantor": Role(
        "israel", "Prime guarantor", 5, True,
        "The US role in the Israel analogy: long-term arms and aid, no treaty to defend.",
    ),
    "core_partner": Role(
        "israel", "Core partner", 4, True,
        "Reported as joining the US in the first group of guarantors.",
    ),
    "bilateral_agreement": Role(
        "israel", "Bilateral security agreement", 3, True,
        "Signed a 10-year bilateral security agreement with Ukraine (2024–2025).",
    ),
    "g7_declaration": Role(
        "israel", "G7 Joint Declaration signatory", 2, True,
        "Signed or joined the G7 Joint Declaration of Support for Ukraine (2023).",
    ),
    "recipient": Role(
        "any", "Recipient (Ukraine)", 0, False,
        "The state the commitments are given to.",
    ),
}


def roles_for_model(model_id: str) -> list[str]:
    """Role ids used by a model, strongest first (recipient last)."""
    ids = [r for r, role in ROLES.items() if role.model_id in (model_id, "any")]
    return sorted(ids, key=lambda r: -ROLES[r].strength)


BASIS = ("sourced", "inferred")

# The five nuclear-weapon states as the NPT defines them (Art. IX(3): states
# that exploded a nuclear device before 1 January 1967). Other nuclear-armed
# states are not "nuclear-weapon states" in the Treaty's sense.
NUCLEAR_WEAPON_STATES: tuple[str, ...] = ("USA", "RUS", "GBR", "FRA", "CHN")

LEVELS: dict[str, str] = {
    "legally_binding": "Legally binding",
    "political_commitment": "Political commitment",
    "proposed": "Proposed",
    "absent": "Absent",
}
# How a provision's level was coded (data/README.md, provisions.csv).
LEVEL_DESCRIPTIONS: dict[str, str] = {
    "legally_binding": "An obligation in an instrument whose legal force is not in dispute.",
    "political_commitment": "Promised in a signed text that is not legally binding, or whose binding force is "
    "disputed (the Budapest Memorandum's rows are also marked disputed).",
    "proposed": "Recommended in a proposal that no state signed (the Kyiv Security Compact).",
    "absent": "Not found in the text as read; the row cites what the text does contain.",
}
BASIS_DESCRIPTIONS: dict[str, str] = {
    "sourced": "A cited source names the country in this role.",
    "inferred": "Our reading: the text names a group (Nordic, Baltic, Central and Eastern European), "
    "not its states.",
}

PROVISIONS: dict[str, str] = {
    "borders_sovereignty": "Respect for borders and sovereignty",
    "non_use_of_force": "Non-use of force",
    "nuclear_non_use": "Nuclear non-use",
    "economic_non_coercion": "Economic non-coercion",
    "unsc_action": "UN Security Council action",
    "consultations": "Consultations and response time",
    "arms_transfers": "Arms transfers",
    "air_missile_defence": "Air and missile defence",
    "intelligence_sharing": "Intelligence sharing",
    "training": "Training",
    "joint_exercises": "Joint exercises",
    "defence_industry": "Defence-industrial investment",
    "financial_support": "Financial and budget support",
    "sanctions": "Sanctions",
    "asset_confiscation": "Confiscation of Russian assets, compensation",
    "reconstruction": "Reconstruction",
    "cyber": "Cyber",
    "nato_eu_path": "NATO and EU path",
    "automatic_defence": "Automatic military defence or troops",
}

DIMENSIONS: dict[str, str] = {
    "legal_form": "Legal form and bindingness",
    "guarantors": "Who guarantees",
    "trigger_response": "Trigger and response time",
    "military": "Military aid and arms",
    "financial": "Financial support",
    "intelligence": "Intelligence",
    "training": "Training and exercises",
    "industry": "Defence industry",
    "sanctions": "Sanctions",
    "assets": "Russian assets and compensation",
    "duration": "Duration",
    "enforcement": "Enforcement",
    "nuclear": "Nuclear dimension",
    "nato_relation": "Relation to NATO membership",
    "status_today": "What happened (status today)",
}

AID_TYPES: dict[str, str] = {
    "military": "Military",
    "financial": "Financial",
    "humanitarian": "Humanitarian",
}

CONSULT_24H: dict[str, str] = {
    "confirmed": "Confirmed in a source for this agreement",
    "template": "Only the general template (urgent consultations)",
    "unknown": "Unknown",
}

EVENT_KINDS = ("event", "span")
DATE_PRECISION = ("day", "month", "year")
SOURCE_KINDS = ("primary", "official", "news", "analysis", "reference", "data", "mirror")
