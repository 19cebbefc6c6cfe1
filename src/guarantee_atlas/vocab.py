"""Controlled vocabularies shared by the schemas, the figures and the pages.

Each vocabulary maps a stable id (as stored in the CSV files and the URL)
to the words shown to people. Order matters: it is the display order.
"""

from __future__ import annotations

# The models and their roles are data (data/models.csv, data/roles.csv),
# read into registry.Registry; the vocabularies below are the same for every model.

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
