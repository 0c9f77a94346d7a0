from django.core.management import call_command

from apps.regions.models import Region
from apps.taxonomy.models import Industry, Occupation


def test_the_whole_country_is_loaded_from_the_official_list(db):
    assert Region.objects.filter(level=1).count() == 33  # 台湾省 has no published code
    assert Region.objects.filter(level=4).count() == 38723
    jieshou = Region.objects.get(code="341282")
    assert (jieshou.name, jieshou.parent_id, jieshou.parent.parent_id) == (
        "界首市",
        "341200",
        "340000",
    )
    assert round(jieshou.lat, 2) == 33.26 and jieshou.h3  # cpca county centroid
    assert Region.objects.get(code="341282001").name == "东城街道"
    assert jieshou.children.filter(level=4).count() == 18  # 3 街道, 14 镇, 1 乡


def test_classifications_are_loaded_with_their_hierarchy(db):
    assert Industry.objects.filter(section__isnull=True).count() == 20  # 门类 A–T
    assert Industry.objects.filter(section__isnull=False).count() == 97  # 大类 01–97
    assert Industry.objects.get(code="42").section_id == "C"
    assert Occupation.objects.filter(level=1).count() == 8
    welder = Occupation.objects.get(code="6-18-02-04")
    assert (welder.name, welder.parent_id, welder.parent.parent_id) == ("焊工", "6-18-02", "6-18")
    # Transcribed, not yet checked against the official table: said so in the data.
    assert not Occupation.objects.filter(verified=True).exists()


def test_loading_again_changes_nothing(db):
    before = Region.objects.filter(level__lte=4).count()
    call_command("load_reference", "--no-communities", stdout=open("/dev/null", "w"))
    assert Region.objects.filter(level__lte=4).count() == before
    assert Region.objects.get(code="341282001").lat is not None  # placed coordinates are kept


def test_statistical_communities_load_under_their_townships(db):
    """The 2023 statistical communities (村级) of 颍上县 (another county than the tests'
    small city): real codes and names, village or residents' committee by the code, no
    coordinates until a bureau gives them; loading again changes nothing, and a community
    the demo generated on a real code takes the real name."""
    from apps.regions.models import RegionLevel
    from apps.regions.services import load_communities, statistical_communities

    rows = statistical_communities(("341226",))
    assert len(rows) > 300 and all(len(code) == 12 for code, _ in rows)
    townships = set(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", flat=True)
    )
    first_code, first_name = next((c, n) for c, n in rows if c[:9] in townships)
    Region.objects.create(
        code=first_code,
        name="演示生成社区",
        level=RegionLevel.COMMUNITY,
        parent_id=first_code[:9],
        generated=True,
    )
    result = load_communities(("341226",))
    loaded = Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith="341226")
    kept = [code for code, _ in rows if code[:9] in townships]
    assert loaded.count() == len(kept) and result.updated == 1
    renamed = Region.objects.get(code=first_code)
    assert renamed.name == first_name and not renamed.generated
    village = loaded.filter(code__regex=r"^\d{9}2\d\d$").first()
    assert village is not None and village.is_village and village.lat is None
    assert loaded.filter(is_village=False).exists()
    again = load_communities(("341226",))
    assert (again.created, again.updated) == (0, 0)
