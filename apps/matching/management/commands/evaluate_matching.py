import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from apps.jobs.models import Job
from apps.matching.evaluation import EvaluationError, evaluate, save_improving_models
from apps.matching.rerank import DIRECTIONS
from apps.people.models import Person

METRICS = ("NDCG@10", "recall@10", "MRR")


class Command(BaseCommand):
    help = (
        "Evaluate the matching against held-out hires on a time split (train on the earlier "
        "months, test on the latest): NDCG@10, recall@10 and MRR of the rule order and of the "
        "learned re-ranker, both directions, side by side. --save keeps a re-ranker that "
        "beats the rule order."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--test-from", type=dt.date.fromisoformat, help="first day of the test period"
        )
        parser.add_argument("--shortlist", type=int, help="rule shortlist re-ranked (50)")
        parser.add_argument("--examples", type=int, default=2)
        parser.add_argument("--save", action="store_true", help="save improving models")
        parser.add_argument("--json", action="store_true", help="print one JSON line too")

    def handle(self, **options):
        try:
            report = evaluate(options["test_from"], options["shortlist"], options["examples"])
        except EvaluationError as exc:
            raise CommandError(str(exc)) from None
        out = self.stdout.write
        out(
            f"测试期: {report.test_from} 起 · 测试录用 {report.test_hires} 条 · 训练期录用 "
            f"{report.train_hires} 条 · 岗位池 {report.jobs_pool} · 人员池 {report.people_pool}"
        )
        for side in report.sides:
            out(f"\n== {DIRECTIONS[side.direction]} ==")
            out(
                f"训练查询 {side.train_queries} · 测试查询 {side.test_queries} · "
                f"录用对象在规则候选名单(前{report.shortlist}名)中: "
                f"{side.retrieved}/{side.test_queries}"
            )
            out(f"{'':12}{'规则排序':>12}{'学习重排':>12}")
            for i, name in enumerate(METRICS):
                reranked = "—" if side.reranked is None else f"{side.reranked[i]:.3f}"
                out(f"{name:12}{side.rule[i]:>12.3f}{reranked:>12}")
            if side.note:
                out(side.note)
            for example in side.examples:
                out(self._example(side.direction, example))
        if options["save"]:
            saved = save_improving_models(report)
            for side in report.sides:
                if side.direction in saved:
                    out(f"已保存{DIRECTIONS[side.direction]}重排模型(优于规则排序)")
                else:
                    out(f"未保存{DIRECTIONS[side.direction]}重排模型(未优于规则排序或数据不足)")
        if options["json"]:
            out(
                json.dumps(
                    {
                        side.direction: {
                            "rule": dict(zip(METRICS, side.rule, strict=True)),
                            "reranked": (
                                dict(zip(METRICS, side.reranked, strict=True))
                                if side.reranked
                                else None
                            ),
                        }
                        for side in report.sides
                    },
                    ensure_ascii=False,
                )
            )

    def _example(self, direction: str, example: dict) -> str:
        """The rule order and the re-ranked order of one query, hires starred; people's
        names masked (this goes to a terminal and a log)."""
        if direction == "jobs":
            head = Person.objects.get(pk=example["query"]).name[:1] + "**"
            names = dict(
                Job.objects.filter(pk__in=example["rule"] + example["reranked"]).values_list(
                    "pk", "title"
                )
            )
        else:
            head = Job.objects.get(pk=example["query"]).title
            names = {
                pk: name[:1] + "**"
                for pk, name in Person.objects.filter(
                    pk__in=example["rule"] + example["reranked"]
                ).values_list("pk", "name")
            }
        hired = set(example["hired"])
        lines = [f"\n  例: {head}(★ 实际录用)", f"  {'名次':<4}{'规则排序':<24}学习重排"]
        for i in range(max(len(example["rule"]), len(example["reranked"]))):
            cells = []
            for column in (example["rule"], example["reranked"]):
                pk = column[i] if i < len(column) else None
                cells.append("" if pk is None else ("★" if pk in hired else "") + names[pk])
            lines.append(f"  {i + 1:<4}{cells[0]:<24}{cells[1]}")
        return "\n".join(lines)
