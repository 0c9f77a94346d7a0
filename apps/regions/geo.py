"""Coordinates: H3 cells for indexed proximity, haversine for exact distance."""

from __future__ import annotations

import math

import h3
from django.conf import settings

EARTH_RADIUS_KM = 6371.0088


def h3_cell(lat: float | None, lng: float | None) -> str:
    """The H3 cell (settings.H3_RESOLUTION) of a point, or '' without coordinates."""
    if lat is None or lng is None:
        return ""
    return h3.latlng_to_cell(lat, lng, settings.H3_RESOLUTION)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def unit_vector(lat: float | None, lng: float | None) -> tuple[float, float, float]:
    """The point on the unit sphere (x, y, z), NaN without coordinates. The chord c
    between two such points gives the great-circle distance 2R·asin(c/2), the value of
    the haversine formula without a sine per pair."""
    if lat is None or lng is None or math.isnan(lat) or math.isnan(lng):
        return math.nan, math.nan, math.nan
    phi, lam = math.radians(lat), math.radians(lng)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def offset_km(lat: float, lng: float, north_km: float, east_km: float) -> tuple[float, float]:
    """The point north_km north and east_km east of (lat, lng); fine for city distances."""
    dlat = north_km / 110.574
    dlng = east_km / (111.320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lng + dlng, 6)


def validate_china_point(lat: float, lng: float) -> None:
    """Reject coordinates outside China's bounding box (a swapped lat/lng is the usual cause)."""
    if not (3.0 <= lat <= 54.0 and 73.0 <= lng <= 136.0):
        raise ValueError(f"坐标({lat}, {lng})不在中国境内,经纬度是否颠倒?")
