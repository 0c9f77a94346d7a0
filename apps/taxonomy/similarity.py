"""Occupations whose work overlaps (相近职业): what a person who wishes one would likely
take in another, beyond the code's prefix.

Each current 职业 is a document of the words of its definition and its main tasks
(jieba, words of two or more Chinese characters, without the words every description
carries: 从事, 使用, 进行 …), weighted by TF-IDF (1 + ln tf) · ln(N / df) and normalised;
the similarity of two occupations is the cosine of their documents. Each occupation keeps
its ``KEEP`` most similar with a cosine of at least ``MIN_SIMILARITY``, and the pairs are
kept both ways (a pair that is among one side's most similar counts for both), so a job's
neighbours are also the wishes it is a neighbour of.

Examples from the 2022 edition: 养老护理员 ~ 医疗护理员 0.33 (another 中类), 电工 ~ 船舶电气
装配工 0.37, 快递员 ~ 快件处理员 0.30, 中式烹调师 ~ 西式烹调师 0.37. The names and aliases
are left out on purpose: names share words across unrelated trades (…工程技术人员,
…员), the tasks say what the work is."""

from __future__ import annotations

import collections
import math
import re
import uuid

import numpy as np
import scipy.sparse as sp
from django.core.cache import cache
from django.db import transaction

from .models import Occupation, OccupationNeighbour

KEEP = 8
# Set anew in the shared cache when the neighbours are derived again (after the commit):
# processes that keep them (matching's related_table) read them again when it moves.
# Several processes need a shared cache (CACHE_URL) for it, as the matching indexes do.
STAMP_KEY = "taxonomy:neighbours:stamp"
MIN_SIMILARITY = 0.12
CHUNK = 512  # rows of the similarity table computed at once
HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
ENUMERATION = re.compile(r"\d+[.、．]")
STOP = frozenset(
    "从事 使用 进行 人员 工作 设备 工具 相关 负责 操作 主要 技术 以及 及其 按照 根据 要求 "
    "组织 实施 管理 检查 记录 维护 保养 开展 提供 参与 处理 完成 制定 编制 相应 有关 各种 "
    "工作任务".split()
)


def words(text: str) -> list[str]:
    import jieba

    from .mapping import _lock

    text = ENUMERATION.sub(" ", text or "")
    with _lock:  # jieba's lazy dictionary load is not thread-safe
        cut = jieba.lcut(text)
    return [w for w in cut if HAN_WORD.fullmatch(w) and w not in STOP]


def similar_pairs(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, float]]:
    """rows: (code, definition, tasks) → (code, neighbour, cosine), both ways, each code
    with at most its KEEP nearest of at least MIN_SIMILARITY (plus those that chose it)."""
    docs = [words(f"{definition} {tasks}") for _, definition, tasks in rows]
    df = collections.Counter(w for doc in docs for w in set(doc))
    n = len(docs)
    vocabulary: dict[str, int] = {}
    data, row_ix, col_ix = [], [], []
    for i, doc in enumerate(docs):
        for word, tf in collections.Counter(doc).items():
            row_ix.append(i)
            col_ix.append(vocabulary.setdefault(word, len(vocabulary)))
            data.append((1 + math.log(tf)) * math.log(n / df[word]))
    if not data:
        return []
    m = sp.csr_matrix((data, (row_ix, col_ix)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = (sp.diags(1 / np.maximum(norms, 1e-12)) @ m).tocsr()
    kept: dict[tuple[int, int], float] = {}
    # a block of rows at a time: the whole table would grow with the square of the rows
    for start in range(0, n, CHUNK):
        cosine = (m[start : start + CHUNK] @ m.T).toarray()
        for r in range(cosine.shape[0]):
            i = start + r
            cosine[r, i] = 0.0
            best = np.argsort(-cosine[r], kind="stable")[:KEEP]
            for j in best:
                if cosine[r, j] >= MIN_SIMILARITY:
                    value = round(float(cosine[r, j]), 4)
                    kept[(i, int(j))] = kept[(int(j), i)] = value
    return [(rows[i][0], rows[j][0], value) for (i, j), value in sorted(kept.items())]


def rebuild_neighbours() -> int:
    """Derive the neighbours again from the classification as stored (current 职业 with a
    definition or tasks); returns how many pairs are kept."""
    rows = list(
        Occupation.objects.filter(level=Occupation.Level.OCCUPATION, replaced_by__isnull=True)
        .exclude(definition="", tasks="")
        .order_by("code")
        .values_list("code", "definition", "tasks")
    )
    pairs = similar_pairs(rows)
    with transaction.atomic():
        OccupationNeighbour.objects.all().delete()
        OccupationNeighbour.objects.bulk_create(
            [
                OccupationNeighbour(occupation_id=a, neighbour_id=b, similarity=s)
                for a, b, s in pairs
            ],
            batch_size=2000,
        )
    transaction.on_commit(lambda: cache.set(STAMP_KEY, uuid.uuid4().hex, None))
    return len(pairs)


def stamp() -> str | None:
    """The neighbours' current stamp (None until first derived in this cache's life)."""
    return cache.get(STAMP_KEY)


def neighbours_of(code: str) -> list[tuple[str, str, float]]:
    """(code, name, similarity) of an occupation's neighbours, most similar first."""
    return list(
        OccupationNeighbour.objects.filter(occupation_id=code)
        .order_by("-similarity", "neighbour_id")
        .values_list("neighbour_id", "neighbour__name", "similarity")
    )
