"""The model registry: the models the atlas compares and the roles countries hold in them.

A model is defined once. What it *is* lives in the data: its row in
``data/models.csv`` (id, order, names, date, legal form, status, summary,
sources) and its roles in ``data/roles.csv``. The only thing about a model
that lives in code is how it is drawn, in ``STYLES`` below: a colour, a
marker symbol and the same shape as a text glyph, used alike by the
timeline, the scorecard and every legend. A model with no entry there (a
new one, or the test fixture's fictitious fifth model) takes the next spare
style, so adding a model needs no code change to render; give it an entry
to choose its look.

Every page, figure and download iterates ``Registry.ids``: nothing else
names the models or assumes how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .i18n import N_, _
from .theme import CONTEXT_COLOUR, OKABE_ITO


@dataclass(frozen=True)
class ModelStyle:
    """How a model is drawn: colour, plotly marker symbol, the same shape as text."""

    colour: str
    symbol: str
    glyph: str


# Presentation keyed by model id: the one place in the code that names the models.
STYLES: dict[str, ModelStyle] = {
    "budapest": ModelStyle(OKABE_ITO["orange"], "diamond", "◆"),
    "ksc": ModelStyle(OKABE_ITO["sky_blue"], "square", "■"),
    "israel": ModelStyle(OKABE_ITO["blue"], "circle", "●"),
    "coalition": ModelStyle(OKABE_ITO["green"], "triangle-down", "▼"),
}
# For models without an entry in STYLES, in model order.
SPARE_STYLES: tuple[ModelStyle, ...] = (
    ModelStyle(OKABE_ITO["purple"], "x", "✕"),
    ModelStyle(OKABE_ITO["vermillion"], "cross", "✚"),
    ModelStyle(OKABE_ITO["black"], "star", "★"),
)
# The timeline's lane for events that belong to no model.
CONTEXT = "context"
CONTEXT_STYLE = ModelStyle(CONTEXT_COLOUR, "triangle-up", "▲")
CONTEXT_LABEL = N_("Context")  # translated where shown (lane_label)
# A role whose model_id is blank in roles.csv belongs to every model (Ukraine, the recipient).
ANY_MODEL = ""


@dataclass(frozen=True)
class Model:
    """One model, from its row in models.csv, with its style."""

    model_id: str
    order: int
    name: str
    label: str  # short_name: menus and headings, 'Budapest Memorandum (1994)'
    chart_label: str  # axes and legends, 'Budapest 1994'
    style: ModelStyle
    count_note: str = ""  # where sources disagree on who takes part (shown beside the count)


@dataclass(frozen=True)
class Role:
    """A role a country can hold in one model (or in any); higher strength wins on the map."""

    role_id: str
    model_id: str  # ANY_MODEL for a role every model has
    label: str
    strength: int
    guarantor: bool
    description: str


@dataclass(frozen=True)
class Registry:
    """The models in display order and their roles; hashable, so memoized functions can key on it."""

    models: tuple[Model, ...]
    roles: tuple[Role, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [m.model_id for m in self.models]

    def __len__(self) -> int:
        return len(self.models)

    def __contains__(self, model_id: object) -> bool:
        return any(m.model_id == model_id for m in self.models)

    def model(self, model_id: str) -> Model:
        for m in self.models:
            if m.model_id == model_id:
                return m
        raise KeyError(model_id)

    def label(self, model_id: str) -> str:
        return self.model(model_id).label

    def chart_label(self, model_id: str) -> str:
        return self.model(model_id).chart_label

    def labels(self) -> dict[str, str]:
        """Model id → menu label, in order (for pickers)."""
        return {m.model_id: m.label for m in self.models}

    def chart_labels(self) -> dict[str, str]:
        return {m.model_id: m.chart_label for m in self.models}

    # Timeline lanes: one per model, then the context lane.
    @property
    def lanes(self) -> list[str]:
        return [*self.ids, CONTEXT]

    def lane_label(self, lane: str) -> str:
        return _(CONTEXT_LABEL) if lane == CONTEXT else self.chart_label(lane)

    def lane_labels(self) -> dict[str, str]:
        return {lane: self.lane_label(lane) for lane in self.lanes}

    def style(self, lane: str) -> ModelStyle:
        return CONTEXT_STYLE if lane == CONTEXT else self.model(lane).style

    # Roles
    def role(self, role_id: str) -> Role:
        for r in self.roles:
            if r.role_id == role_id:
                return r
        raise KeyError(role_id)

    def role_ids(self) -> list[str]:
        return [r.role_id for r in self.roles]

    def roles_for_model(self, model_id: str) -> list[Role]:
        """Roles a model uses, strongest first (roles of any model last among equals)."""
        mine = [r for r in self.roles if r.model_id in (model_id, ANY_MODEL)]
        return sorted(mine, key=lambda r: (-r.strength, r.model_id == ANY_MODEL))

    def is_guarantor(self, role_id: str) -> bool:
        return self.role(role_id).guarantor

    def strength(self, role_id: str) -> int:
        return self.role(role_id).strength


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def build_registry(models: pd.DataFrame, roles: pd.DataFrame | None = None) -> Registry:
    """The registry from the validated models and roles tables (models sorted by ``order``)."""
    ordered = models.sort_values(["order", "model_id"], kind="stable")
    spare = iter(SPARE_STYLES * (1 + len(ordered)))
    entries = tuple(
        Model(
            model_id=row.model_id,
            order=int(row.order),
            name=row.name,
            label=row.short_name,
            chart_label=row.chart_label,
            style=STYLES[row.model_id] if row.model_id in STYLES else next(spare),
            count_note=_text(getattr(row, "count_note", None)),
        )
        for row in ordered.itertuples(index=False)
    )
    role_entries: tuple[Role, ...] = ()
    if roles is not None:
        role_entries = tuple(
            Role(
                role_id=row.role_id,
                model_id=_text(row.model_id),
                label=row.label,
                strength=int(row.strength),
                guarantor=bool(row.guarantor),
                description=row.description,
            )
            for row in roles.itertuples(index=False)
        )
    return Registry(models=entries, roles=role_entries)
