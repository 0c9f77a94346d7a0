"""Helpers shared by the formulas: month arithmetic on date arrays, and the amount of
certificates at the training subsidy's standard for each level."""

from __future__ import annotations

import datetime

import numpy

NO_DATE = datetime.date(1970, 1, 1)  # the default of date inputs: "no such date"
_NO_DATE = numpy.datetime64(NO_DATE, "D")


def has_date(dates) -> numpy.ndarray:
    return dates > _NO_DATE


def month_index(dates) -> numpy.ndarray:
    """Months since January 1970 (0 = 1970-01)."""
    return numpy.asarray(dates).astype("datetime64[M]").astype(numpy.int64)


def months_in_period(start, stop, period, max_months=None) -> numpy.ndarray:
    """Calendar months of `period` (partial months count) in which a spell from `start` to
    `stop` (inclusive; NO_DATE = still running) was under way, counting only its first
    `max_months` months. Zero where there is no start."""
    start = numpy.asarray(start, dtype="datetime64[D]")
    stop = numpy.broadcast_to(numpy.asarray(stop, dtype="datetime64[D]"), start.shape)
    first = month_index(start)
    last = numpy.where(has_date(stop), month_index(stop), numpy.iinfo(numpy.int64).max // 2)
    if max_months is not None:
        last = numpy.minimum(last, first + int(max_months) - 1)
    p0 = month_index(numpy.datetime64(period.start.date, "D"))
    p1 = month_index(numpy.datetime64(period.stop.date, "D"))
    months = numpy.minimum(last, p1) - numpy.maximum(first, p0) + 1
    return numpy.where(has_date(start), numpy.clip(months, 0, None), 0)


def year_of(dates) -> numpy.ndarray:
    return numpy.asarray(dates).astype("datetime64[Y]").astype(numpy.int64) + 1970


def at_training_standard(entity, counts: str, period, parameters):
    """Σ over levels 1–5 of the entity's ``{counts}_{k}`` certificates × the training
    subsidy's standard for level k (职业培训补贴, paid to persons or to enterprises)."""
    by_level = parameters(period).training_subsidy.amount_by_level
    return sum(entity(f"{counts}_{k}", period) * by_level[f"level_{k}"] for k in range(1, 6))
