from django.core.management.base import BaseCommand

from apps.policies.fidelity import END, START, render


class Command(BaseCommand):
    help = "Write the fidelity table into docs/policies.md (between its markers)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default="docs/policies.md")

    def handle(self, path, **options):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        with open(path, "w", encoding="utf-8") as f:
            f.write(head + render() + tail)
        self.stdout.write(f"{path}: fidelity table written")
