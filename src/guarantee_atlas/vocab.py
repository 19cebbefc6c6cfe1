"""Controlled vocabularies shared by the schemas, the figures and the pages.

Each vocabulary maps a stable id (as stored in the CSV files and the URL)
to the words shown to people. Order matters: it is the display order.

The words are English, marked ``N_`` for the catalogue: translate them where
they are shown, with ``_()`` one at a time or with the accessors at the end
(``levels()``, ``provisions()``…, i.e. ``i18n.translated_values(vocab.LEVELS)``).
Never translate the ids.
"""

from __future__ import annotations

from .i18n import N_, n_, translated_values

# The models and their roles are data (data/models.csv, data/roles.csv),
# read into registry.Registry; the vocabularies below are the same for every model.

BASIS = ("sourced", "inferred")

# The five nuclear-weapon states as the NPT defines them (Art. IX(3): states
# that exploded a nuclear device before 1 January 1967). Other nuclear-armed
# states are not "nuclear-weapon states" in the Treaty's sense.
NUCLEAR_WEAPON_STATES: tuple[str, ...] = ("USA", "RUS", "GBR", "FRA", "CHN")

LEVELS: dict[str, str] = {
    "legally_binding": N_("Legally binding"),
    "political_commitment": N_("Political commitment"),
    "proposed": N_("Proposed"),
    "absent": N_("Absent"),
}
# How a provision's level was coded (data/README.md, provisions.csv).
LEVEL_DESCRIPTIONS: dict[str, str] = {
    "legally_binding": N_("An obligation in an instrument whose legal force is not in dispute."),
    "political_commitment": N_(
        "Promised in a signed text that is not legally binding, or whose binding force is "
        "disputed (the Budapest Memorandum's rows are also marked disputed)."
    ),
    "proposed": N_("Recommended in a proposal that no state signed (the Kyiv Security Compact)."),
    "absent": N_("Not found in the text as read; the row cites what the text does contain."),
}
BASIS_DESCRIPTIONS: dict[str, str] = {
    "sourced": N_("A cited source names the country in this role."),
    "inferred": N_(
        "Our reading: the text names a group (Nordic, Baltic, Central and Eastern European), not its states."
    ),
}

PROVISIONS: dict[str, str] = {
    "borders_sovereignty": N_("Respect for borders and sovereignty"),
    "non_use_of_force": N_("Non-use of force"),
    "nuclear_non_use": N_("Nuclear non-use"),
    "economic_non_coercion": N_("Economic non-coercion"),
    "unsc_action": N_("UN Security Council action"),
    "consultations": N_("Consultations and response time"),
    "arms_transfers": N_("Arms transfers"),
    "air_missile_defence": N_("Air and missile defence"),
    "intelligence_sharing": N_("Intelligence sharing"),
    "training": N_("Training"),
    "joint_exercises": N_("Joint exercises"),
    "defence_industry": N_("Defence-industrial investment"),
    "financial_support": N_("Financial and budget support"),
    "sanctions": N_("Sanctions"),
    "asset_confiscation": N_("Confiscation of Russian assets, compensation"),
    "reconstruction": N_("Reconstruction"),
    "cyber": N_("Cyber"),
    "nato_eu_path": N_("NATO and EU path"),
    "automatic_defence": N_("Automatic military defence or troops"),
}

DIMENSIONS: dict[str, str] = {
    "legal_form": N_("Legal form and bindingness"),
    "guarantors": N_("Who guarantees"),
    "trigger_response": N_("Trigger and response time"),
    "military": N_("Military aid and arms"),
    "financial": N_("Financial support"),
    "intelligence": N_("Intelligence"),
    "training": N_("Training and exercises"),
    "industry": N_("Defence industry"),
    "sanctions": N_("Sanctions"),
    "assets": N_("Russian assets and compensation"),
    "duration": N_("Duration"),
    "enforcement": N_("Enforcement"),
    "nuclear": N_("Nuclear dimension"),
    "nato_relation": N_("Relation to NATO membership"),
    "status_today": N_("What happened (status today)"),
}

AID_TYPES: dict[str, str] = {
    "military": N_("Military"),
    "financial": N_("Financial"),
    "humanitarian": N_("Humanitarian"),
}

CONSULT_24H: dict[str, str] = {
    "confirmed": N_("Confirmed in a source for this agreement"),
    "template": N_("Only the general template (urgent consultations)"),
    "unknown": N_("Unknown"),
}

EVENT_KINDS = ("event", "span")
DATE_PRECISION = ("day", "month", "year")
SOURCE_KINDS = ("primary", "official", "news", "analysis", "reference", "data", "mirror")


# --- The vocabularies in the language in use (id → words, in display order) ---


def levels() -> dict[str, str]:
    return translated_values(LEVELS)


def level_descriptions() -> dict[str, str]:
    return translated_values(LEVEL_DESCRIPTIONS)


def basis_descriptions() -> dict[str, str]:
    return translated_values(BASIS_DESCRIPTIONS)


def provisions() -> dict[str, str]:
    return translated_values(PROVISIONS)


def dimensions() -> dict[str, str]:
    return translated_values(DIMENSIONS)


def aid_types() -> dict[str, str]:
    return translated_values(AID_TYPES)


def consult_24h() -> dict[str, str]:
    return translated_values(CONSULT_24H)


# The bases as words (the ids "sourced" and "inferred" stay in the data and the URL).
BASIS_LABELS: dict[str, str] = {"sourced": N_("sourced"), "inferred": N_("inferred")}


def basis_labels() -> dict[str, str]:
    return translated_values(BASIS_LABELS)


def level_count(level: str, n: int) -> str:
    """A count of provisions at a level, as a list shows it: '6 political commitments', '13 absent'."""
    counted = {
        "legally_binding": lambda: n_("{n} legally binding", "{n} legally binding", n),
        "political_commitment": lambda: n_("{n} political commitment", "{n} political commitments", n),
        "proposed": lambda: n_("{n} proposed", "{n} proposed", n),
        "absent": lambda: n_("{n} absent", "{n} absent", n),
    }
    return counted[level]().format(n=n) if level in counted else f"{n} {level.replace('_', ' ')}"
