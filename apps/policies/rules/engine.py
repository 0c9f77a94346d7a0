"""Evaluate the policies over whole populations at once (vectorised), or one subject.

A `Population` is plain arrays: persons with their inputs, enterprises and communities with
theirs, and each person's enterprise and community (an index; one past the end for none).
Nothing here touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from openfisca_core import periods
from openfisca_core.simulations import Simulation

from .catalog import PolicySpec

KINDS = ("person", "enterprise", "community")


@dataclass
class Population:
    ids: dict[str, numpy.ndarray]  # kind → subject ids (database keys)
    inputs: dict[str, dict[str, numpy.ndarray]] = field(default_factory=dict)  # kind → var → array
    person_enterprise: numpy.ndarray | None = None  # index into enterprises, len = none
    person_community: numpy.ndarray | None = None
    regions: dict[str, numpy.ndarray] = field(default_factory=dict)  # kind → region codes
    residents: numpy.ndarray | None = None  # persons whose own results are wanted

    def count(self, kind: str) -> int:
        return len(self.ids[kind])


@dataclass
class Outcome:
    amount: numpy.ndarray
    conditions: dict[str, numpy.ndarray]
    figures: dict[str, numpy.ndarray]


def simulation(system, population: Population, year: int) -> Simulation:
    entities = system.instantiate_entities()
    n = population.count("person")
    persons = entities["person"]
    persons.ids = numpy.asarray(population.ids["person"])
    persons.count = n
    for kind, link in (
        ("enterprise", population.person_enterprise),
        ("community", population.person_community),
    ):
        group = entities[kind]
        count = population.count(kind)
        group.ids = numpy.arange(count + 1)  # the last one holds the persons without any
        group.count = count + 1
        members = numpy.full(n, count, dtype=numpy.int64) if link is None else link
        group.members_entity_id = numpy.asarray(members, dtype=numpy.int64)
        role = group.entity.flattened_roles[0]
        group.members_role = numpy.full(n, role, dtype=object)
    sim = Simulation(system, entities)
    period = periods.period(str(year))
    for kind, inputs in population.inputs.items():
        pad = 0 if kind == "person" else 1
        for name, values in inputs.items():
            variable = system.variables[name]
            values = numpy.asarray(values)
            if pad:
                values = numpy.concatenate([values, numpy.zeros(1, dtype=values.dtype)])
            at = periods.period("eternity") if variable.definition_period == "eternity" else period
            sim.set_input(name, at, values.astype(variable.dtype, copy=False))
    return sim


def evaluate(
    system, population: Population, year: int, specs: list[PolicySpec]
) -> dict[str, Outcome]:
    """Each policy's amount per subject of its kind, with its conditions and figures."""
    sim = simulation(system, population, year)
    period = str(year)
    out = {}
    for spec in specs:
        size = population.count(spec.entity)

        def calc(name, size=size):
            return sim.calculate(name, period)[:size]

        out[spec.code] = Outcome(
            amount=calc(spec.code),
            conditions={name: calc(name) for name in spec.conditions},
            figures={name: calc(name) for name in spec.figures},
        )
    return out
