"""The learned re-ranker (学习排序): gradient-boosted trees with a ranking objective
(LightGBM lambdarank) over the criteria components of the rule-retrieved shortlist. The
rules retrieve and explain; the model only re-orders what they retrieved, and the reasons
shown to people stay the criteria that held. Without a trained model the rule order is
used. Models are trained and saved by ``python manage.py evaluate_matching --save``."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

# Features of a (seeker, job) pair, from the rule components (ranking._best's parts).
FEATURES = (
    "score",
    "occupation",
    "depth",
    "certificate",
    "wage",
    "distance",
    "distance_km",
    "recency",
    "days",
    "text",
)
DIRECTIONS = {"jobs": "worker→jobs", "candidates": "job→candidates"}

_lock = threading.Lock()
_loaded: dict[str, tuple[tuple[str, float], object]] = {}


def feature_matrix(parts: dict) -> np.ndarray:
    """(n, len(FEATURES)) from the components of n ranked rows; unknown distance stays NaN
    (the trees learn where to send it)."""
    if not parts:
        return np.zeros((0, len(FEATURES)))
    return np.column_stack([np.asarray(parts[name], dtype=np.float64) for name in FEATURES])


def model_path(direction: str) -> Path:
    return Path(settings.MATCHING_MODEL_DIR) / f"reranker-{direction}.txt"


def save_model(direction: str, booster, meta: dict) -> Path:
    path = model_path(direction)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    booster.save_model(str(tmp))
    os.replace(tmp, path)  # a reader never sees half a model
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    return path


def load_model(direction: str):
    """The saved booster for a direction, reloaded when its file changes; None without one
    or when re-ranking is switched off."""
    if not settings.MATCHING.get("rerank", True):
        return None
    path = model_path(direction)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    version = (str(path), mtime)
    with _lock:
        cached = _loaded.get(direction)
        if cached and cached[0] == version:
            return cached[1]
        import lightgbm

        booster = lightgbm.Booster(model_file=str(path))
        if booster.feature_name() != list(FEATURES):
            # trained on other features (an older version): the rule order until retrained
            log.warning("re-ranker %s ignored: trained on %s", path, booster.feature_name())
            booster = None
        _loaded[direction] = (version, booster)
        return booster


def rerank_order(model, parts: dict) -> np.ndarray:
    """Positions of the shortlist in the model's order (best first; ties keep the rule
    order)."""
    n = len(parts.get("score", ()))
    if model is None or n == 0:
        return np.arange(n)
    predicted = model.predict(feature_matrix(parts))
    return np.lexsort((np.arange(n), -predicted))


def take(parts: dict, order: np.ndarray) -> dict:
    return {name: np.asarray(values)[order] for name, values in parts.items()}
