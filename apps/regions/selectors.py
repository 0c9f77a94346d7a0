"""Reads of regions shared by the registries."""

from __future__ import annotations

from .models import Region, RegionLevel


def placeable_regions() -> dict[str, tuple[float | None, float | None]]:
    """Code → (lat, lng) of every township/street and community: where a person lives,
    an employer sits or a job is done."""
    return {
        code: (lat, lng)
        for code, lat, lng in Region.objects.filter(level__gte=RegionLevel.TOWNSHIP)
        .values_list("code", "lat", "lng")
        .iterator(chunk_size=10000)
    }


def city_prefix(code: str) -> str:
    """The prefecture-level prefix of any code (4 digits): jobs stay in their employer's city."""
    return code[:4]


class UnknownPlace(LookupError):
    """A place given by a code the division list lacks, or by a name that names no place
    (or several): the message says which, in Chinese; ``english`` in English."""

    def __init__(self, message: str, english: str):
        super().__init__(message)
        self.english = english


def place(value: str, within: str = "") -> Region:
    """The region a client names by its code ("341226") or its name ("颍上县", "慎城镇"),
    looked for among the regions whose codes start with ``within`` (a name is unique
    only within a city or province: many provinces have a 城关镇)."""
    value = value.strip()
    if value.isdigit():
        found = Region.objects.filter(code=value).first()
        if found is None:
            raise UnknownPlace(f"未知的区划代码“{value}”", f"Unknown division code '{value}'")
        return found
    named = list(Region.objects.filter(name=value, code__startswith=within).order_by("code")[:6])
    if not named:
        raise UnknownPlace(f"没有名为“{value}”的地方", f"No place is named '{value}'")
    if len(named) > 1:
        codes = "、".join(r.code for r in named[:5])
        raise UnknownPlace(
            f"“{value}”不止一处({codes}),请用区划代码",
            f"'{value}' names several places ({codes.replace('、', ', ')}): give the code",
        )
    return named[0]
