"""Occupations whose work overlaps (相近职业), derived from the classification's tasks:
loaded with it, kept both ways, the same when loaded again, none for a moved code."""

from django.core.management import call_command

from apps.taxonomy.models import Occupation, OccupationNeighbour
from apps.taxonomy.similarity import KEEP, MIN_SIMILARITY, neighbours_of, rebuild_neighbours


def pairs():
    return set(
        OccupationNeighbour.objects.values_list("occupation_id", "neighbour_id", "similarity")
    )


def test_neighbours_come_from_the_tasks_and_cross_the_codes(db):
    # care of the elderly and nursing in a hospital: another 中类, the same work
    elderly = [code for code, _, _ in neighbours_of("4-10-01-05")]
    assert "4-14-01-02" in elderly[:3]  # 医疗护理员
    assert [c for c, _, _ in neighbours_of("4-03-02-01")][0] == "4-03-02-03"  # 西式烹调师
    assert "4-02-07-09" in [c for c, _, _ in neighbours_of("4-02-07-08")][:2]  # 快件处理员
    # a welder's neighbours do not include the cook
    assert "4-03-02-01" not in [c for c, _, _ in neighbours_of("6-18-02-04")]


def test_neighbours_are_kept_both_ways_within_their_bounds(db):
    stored = pairs()
    assert len(stored) > 5_000
    by_pair = {(a, b): s for a, b, s in stored}
    assert all(by_pair.get((b, a)) == s for (a, b), s in by_pair.items())
    # 1.0 only where the package lists one text twice (甘油制造工 6-11-08-25 and -26)
    assert min(s for *_, s in stored) >= MIN_SIMILARITY and max(s for *_, s in stored) <= 1
    # each keeps at most KEEP of its own choosing; more only where others chose it
    assert all(a != b for a, b, _ in stored)
    assert len(stored) <= 2 * KEEP * Occupation.objects.filter(level=4).count()


def test_loading_again_gives_the_same_neighbours_and_a_moved_code_none(db):
    before = pairs()
    call_command("load_reference", "--no-communities", stdout=open("/dev/null", "w"))
    assert pairs() == before
    moved = Occupation.objects.filter(replaced_by__isnull=False).values_list("code", flat=True)
    assert moved and not OccupationNeighbour.objects.filter(occupation_id__in=moved).exists()
    assert rebuild_neighbours() == len(before)


def test_neighbours_derived_anew_reach_a_running_matching(db, django_capture_on_commit_callbacks):
    """Another process loads the classification again (here: 养老护理员 loses its text):
    after the commit its stamp moves, and the next matching query reads the new pairs."""
    from apps.matching.features import forget_related, occupation_levels, related_table
    from apps.matching.index import job_index

    job_index()
    care = occupation_levels("4-10-01-05")[3]
    assert care in related_table()
    Occupation.objects.filter(code="4-10-01-05").update(definition="", tasks="")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rebuild_neighbours()
        assert care in related_table()  # read once; nothing asked it to look again yet
        job_index()  # a matching query looks at the stamp
        assert care not in related_table()
    finally:
        forget_related()  # the rows are rolled back after the test: read them again
