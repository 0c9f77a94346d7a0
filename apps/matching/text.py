"""Chinese text similarity of a person's wishes and skills against a job's text (jieba
segmentation, TF-IDF, cosine).

A document keeps its TEXT_SLOTS heaviest terms, normalised to unit length, so the index
can hold it in fixed-width columns and the rules can hold it as a small dict; the two give
the same cosine. IDF comes from the open jobs at the time the index is built (smoothed as
log((1 + N) / (1 + df)) + 1); a term never seen weighs as the rarest."""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter

import jieba

jieba.setLogLevel(logging.WARNING)

TEXT_SLOTS = 8
# Words every posting or profile carries that say nothing about the work.
STOPWORDS = frozenset(
    "招聘 诚聘 急聘 岗位 工作 公司 有限公司 有限责任公司 单位 若干 优先 以上 以下 要求 能够 熟练 "
    "相关 经验 负责 人员 须持 持有 证书 我们 欢迎 面议 待遇 福利 良好 具有 具备 能力 一定 "
    "从事 进行 以及 或者 并且 可以 需要 上岗".split()
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_lock = threading.Lock()


def tokens(text: str) -> list[str]:
    """Words of two or more characters (letters, digits or CJK), stopwords and bare
    numbers left out, lower-cased."""
    if not text:
        return []
    with _lock:  # jieba's lazy dictionary load is not thread-safe
        words = jieba.lcut(text)
    out = []
    for word in words:
        word = word.strip().lower()
        if len(word) >= 2 and _WORD.match(word) and not word.isdigit() and word not in STOPWORDS:
            out.append(word)
    return out


class Vocabulary:
    """Term ids and document frequencies of a corpus (the open jobs)."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.df: list[int] = []
        self.docs = 0

    def fit(self, documents) -> Vocabulary:
        for words in documents:
            self.docs += 1
            for term in set(words):
                self.df[self.id(term)] += 1
        return self

    def id(self, term: str) -> int:
        tid = self.ids.get(term)
        if tid is None:
            # terms and df first, the id last: a reader weighing a text without the index's
            # lock never finds an id whose frequency is not there yet
            self.terms.append(term)
            self.df.append(0)
            tid = self.ids[term] = len(self.terms) - 1
        return tid

    def idf(self, term: str) -> float:
        tid = self.ids.get(term)
        df = self.df[tid] if tid is not None else 0
        return math.log((1 + self.docs) / (1 + df)) + 1.0

    def copy(self) -> Vocabulary:
        other = Vocabulary()
        other.ids, other.terms, other.df = dict(self.ids), list(self.terms), list(self.df)
        other.docs = self.docs
        return other

    def vector(self, text: str) -> dict[str, float]:
        """The TF-IDF vector of a text: its TEXT_SLOTS heaviest terms, unit length."""
        return self.vector_of(tokens(text))

    def vector_of(self, words: list[str]) -> dict[str, float]:
        counts = Counter(words)
        weights = sorted(
            ((term, n * self.idf(term)) for term, n in counts.items()),
            key=lambda item: (-item[1], item[0]),
        )[:TEXT_SLOTS]
        norm = math.sqrt(sum(w * w for _, w in weights))
        return {term: w / norm for term, w in weights} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def shared_terms(a: dict[str, float], b: dict[str, float], n: int = 2) -> list[str]:
    """The terms both share that weigh most in the similarity."""
    return sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t))[:n]


def person_text(wished_names, skills: str, major: str) -> str:
    """What a person's text is: the occupations they wish for, their skills, their major."""
    return " ".join([*wished_names, skills or "", major or ""])


def job_text(title: str, skills: str, certificates: str, description: str) -> str:
    return " ".join([title or "", skills or "", certificates or "", description or ""])
