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
