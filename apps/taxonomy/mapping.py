"""Free text → occupation (岗位名称/描述 → 职业分类代码): what a job title or a typed wish
means in the classification, with a confidence.

Each 职业 (and each 小类, for text too vague for one 职业) is a document of its name and
aliases (counted three times: they are what people write) and its definition and tasks.
Text is cut into jieba's words and, so that a word jieba does not know still matches
("氩弧焊" in "氩弧焊工"), into the character pairs of every run of Chinese characters.
Okapi BM25 (``rank_bm25``) ranks the documents for the text; words every posting carries
(招聘, 诚聘, 急招 …) are dropped first. A name or alias written out whole in the text
wins outright. The confidence of the first answer is its share of the first five
scores' sum: near 1 when one occupation stands out, low when several tie.

No network and no model: the classification is the whole of what it knows."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import jieba
from rank_bm25 import BM25Okapi

from .models import Occupation

NOISE = re.compile(
    r"招聘|诚聘|急招|高薪|直招|长期|包吃住|包住|五险一金|若干|名|人员?$|岗位?|职位|工作|"
    r"普工/|（.*?）|\(.*?\)|[0-9]+|[\s,，。、;；:：/|·\-]+"
)
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Everyday words for what the classification names otherwise (its aliases do not hold
# them): replaced by the classification's words before the search, unless the
# classification itself has the everyday word as a name or alias. Hand-kept, short.
COLLOQUIAL = {
    "大货车": "货运",
    "货车": "货运",
    "卡车": "货运",
    "司机": "驾驶员",
    "外卖员": "网约配送员",
    "外卖骑手": "网约配送员",
    "外卖": "网约配送员",
    "骑手": "网约配送员",
    "送餐员": "网约配送员",
    "幼师": "幼儿园教师",
    "业务员": "营销员",
}
NAME_WEIGHT = 3
_lock = threading.Lock()


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    confidence: float  # 0–1: the answer's share of the first five scores
    exact: bool = False  # a name or alias found whole in the text


def _terms(text: str) -> list[str]:
    text = (text or "").lower()
    with _lock:  # jieba's lazy dictionary load is not thread-safe
        words = [w.strip() for w in jieba.lcut_for_search(text)]
    out = [w for w in words if len(w) >= 2 or HAN_RUN.fullmatch(w or "-")]
    for run in HAN_RUN.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return [w for w in out if w.strip()]


class OccupationMapper:
    def __init__(self, rows: list[tuple[str, str, int, str, str, str]]):
        """rows: (code, name, level, aliases, definition, tasks)."""
        self.codes, self.names, docs = [], [], []
        self.whole: list[tuple[str, int]] = []  # (name or alias, row), longest first
        for code, name, _level, aliases, definition, tasks in rows:
            words = [name, *(a for a in aliases.split(",") if a)]
            docs.append(
                [t for w in words for t in _terms(w)] * NAME_WEIGHT
                + _terms(definition)
                + _terms(tasks)
            )
            self.whole += [(w, len(self.codes)) for w in set(words) if len(w) >= 2]
            self.codes.append(code)
            self.names.append(name)
        self.whole.sort(key=lambda item: -len(item[0]))
        named = {w for w, _ in self.whole}
        self.colloquial = [
            (word, formal)
            for word, formal in sorted(COLLOQUIAL.items(), key=lambda item: -len(item[0]))
            if word not in named
        ]
        self.bm25 = BM25Okapi(docs)

    def suggest(self, text: str, k: int = 5) -> list[Suggestion]:
        """The k likeliest occupations for the text, best first."""
        cleaned = NOISE.sub(" ", text or "").strip()
        if not cleaned:
            return []
        for word, formal in self.colloquial:
            cleaned = cleaned.replace(word, formal)
        # a name or alias written out whole, and most of what was written (司机 inside
        # 货车司机 is not the answer: too little of it)
        exact = next(
            (row for w, row in self.whole if w in cleaned and len(w) >= 0.6 * len(cleaned)),
            None,
        )
        scores = self.bm25.get_scores(_terms(cleaned))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[: max(k, 5)]
        if exact is not None:
            order = [exact] + [i for i in order if i != exact]
        top = [scores[i] for i in order[:5]]
        total = sum(top) or 1.0
        out = []
        for i in order[:k]:
            if scores[i] <= 0 and i != exact:
                break
            share = 1.0 if i == exact else float(scores[i]) / total
            out.append(Suggestion(self.codes[i], self.names[i], round(share, 3), i == exact))
        return out


@lru_cache(maxsize=1)
def _mapper(version: tuple) -> OccupationMapper:
    rows = Occupation.objects.filter(
        level__in=(Occupation.Level.MINOR, Occupation.Level.OCCUPATION),
        replaced_by__isnull=True,
    ).values_list("code", "name", "level", "aliases", "definition", "tasks")
    # a 职业 before its 小类 of the same name: the more specific answer on ties
    return OccupationMapper(sorted(rows, key=lambda r: (-r[2], r[0])))


def mapper() -> OccupationMapper:
    """The mapper over the classification as stored (rebuilt when it changes)."""
    from django.db.models import Count, Max

    version = tuple(Occupation.objects.aggregate(n=Count("code"), m=Max("code")).values())
    return _mapper(version)


_MEMO_SIZE = 4096


def suggest(text: str, k: int = 5) -> list[Suggestion]:
    """The mapper's suggestions, remembered per text while the classification stays the
    same (a search for the same words again, as the job search and the API see all day)."""
    found = mapper()
    memo = found.__dict__.setdefault("memo", {})
    key = (text, k)
    if key not in memo:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = found.suggest(text, k)
    return list(memo[key])
