"""Signing up on one's own: a worker with mobile, name and resident ID and a one-time
code (a known ID only through the phone on file); an employer verified by staff of its
region before it publishes; a worker's profile reaching the matching at once."""

import datetime as dt
import re

import pytest
from django.test import override_settings

from apps.accounts.models import PhoneCode, User
from apps.employers.models import Employer, EmployerRegistration
from apps.people.models import Person
from apps.people.tests.factories import EmployerFactory, PersonFactory, seeker
from jiuye.identifiers import make_credit_code, make_resident_id

A1 = "341282001001"
NEW_ID = make_resident_id("341282", dt.date(1995, 5, 5), 123)


def worker_form(**changes):
    data = {
        "name": "赵六",
        "id_number": NEW_ID,
        "phone": "13900001111",
        "community": A1,
        "labour_status": "unemployed",
        "password1": "a-strong-pw-2026",
        "password2": "a-strong-pw-2026",
    }
    data.update(changes)
    return data


def code_from(client) -> str:
    page = client.get("/accounts/signup/verify/").content.decode()
    return re.search(r"验证码为 (\d{6})", page).group(1)


@override_settings(SHOW_CODES=True)
def test_a_worker_signs_up_confirms_the_code_and_fills_in_their_wishes(client, db):
    response = client.post("/accounts/signup/", worker_form())
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/verify/"
    assert not User.objects.filter(username="13900001111").exists()  # not before the code
    wrong = client.post("/accounts/signup/verify/", {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    done = client.post("/accounts/signup/verify/", {"code": code_from(client)})
    assert done["Location"] == "/my/profile/"
    user = User.objects.get(username="13900001111")
    person = user.person
    assert (person.name, person.community_id, person.gender) == ("赵六", A1, "M")
    assert person.status_history.get().status == "unemployed"
    assert PhoneCode.objects.get().code_hash != code_from  # only a hash is kept
    # The wizard: wishes found by typing, saved, and the matching offers by them at once.
    from apps.matching.services import jobs_for_person
    from apps.people.tests.factories import JobFactory

    job = JobFactory(valid_from=dt.date.today(), valid_to=dt.date.today() + dt.timedelta(days=30))
    client.post(
        "/my/profile/",
        {
            "education": "60",
            "wish_1": "6-18-02-04",
            "wish_min_wage": "4000",
            "certificate": "6-18-02-04",
            "certificate_level": "4",
        },
    )
    person.refresh_from_db()
    assert list(person.wish_occupations.values_list("code", flat=True)) == ["6-18-02-04"]
    assert person.certificates.get().level == 4
    from apps.matching.index import bump_generation

    bump_generation()
    assert job.pk in [r.obj.pk for r in jobs_for_person(person=person)]


@override_settings(SHOW_CODES=True)
def test_a_known_id_is_linked_only_through_the_phone_on_file(client, db):
    known = PersonFactory(id_number=NEW_ID, name="赵六", phone="13812345678")
    client.post("/accounts/signup/", worker_form(phone="13900009999"))
    page = client.get("/accounts/signup/verify/").content.decode()
    # the code went to the registry's phone, not the typed one, and the page says neither
    assert PhoneCode.objects.get().phone == "13812345678"
    assert "5678" not in page and "9999" not in page
    assert not PhoneCode.objects.filter(phone="13900009999").exists()
    client.post("/accounts/signup/verify/", {"code": code_from(client)})
    user = User.objects.get(username="13812345678")
    assert user.person == known and Person.objects.count() == 1


@override_settings(SHOW_CODES=True)
def test_sign_up_does_not_tell_whether_an_id_is_in_the_registry(client, db, caplog):
    """Unknown ID, known ID without a phone, known ID with an account: the same answer
    and the same code page; only the first gets a code that works."""

    def answer(**changes):
        client.cookies.clear()
        response = client.post("/accounts/signup/", worker_form(**changes))
        page = client.get("/accounts/signup/verify/").content.decode()
        return response.status_code, response.get("Location"), "收不到验证码" in page

    unknown = answer(phone="13900000001")
    PersonFactory(id_number=NEW_ID, phone="")  # known, no phone on file
    no_phone = answer(phone="13900000002")
    assert unknown == no_phone == (302, "/accounts/signup/verify/", True)
    assert not PhoneCode.objects.exclude(phone="13900000001").exists()
    for _ in range(5):
        page = client.post("/accounts/signup/verify/", {"code": "123456"}).content.decode()
        assert "验证码不正确" in page
    assert "次数过多" in client.post("/accounts/signup/verify/", {"code": "1"}).content.decode()

    other = make_resident_id("341282", dt.date(1990, 2, 2), 45)
    owner = PersonFactory(id_number=other, phone="13700000003")
    User.objects.create_user("13700000003", password="x", role="worker", person=owner)
    with caplog.at_level("INFO", logger="apps.accounts.codes"):
        has_account = answer(id_number=other, phone="13900000004")
    assert has_account == unknown
    assert "有人正在用您的身份证号注册" in caplog.text  # the owner is told, once an hour
    caplog.clear()
    with caplog.at_level("INFO", logger="apps.accounts.codes"):
        answer(id_number=other, phone="13900000005")
    assert "有人正在用您的身份证号注册" not in caplog.text

    # A typed phone that has an account: the same refusal whatever the ID.
    User.objects.create_user("13900000006", password="x", role="worker")
    for id_number in (NEW_ID, other, make_resident_id("341282", dt.date(1991, 1, 1), 7)):
        client.cookies.clear()
        page = client.post(
            "/accounts/signup/", worker_form(id_number=id_number, phone="13900000006")
        )
        assert "这个手机号已注册" in page.content.decode()

    # The phone on file's own limits show nowhere: the same ID twice in a minute with
    # two typed phones goes through twice (the second sends nothing new) ...
    with_phone = make_resident_id("341282", dt.date(1992, 3, 3), 9)
    PersonFactory(id_number=with_phone, phone="13700000010")
    assert answer(id_number=with_phone, phone="13900000011")[:2] == unknown[:2]
    assert answer(id_number=with_phone, phone="13900000012")[:2] == unknown[:2]
    # ... and a typed phone's limits are the same for every ID.
    for id_number in (with_phone, make_resident_id("341282", dt.date(1993, 4, 4), 3)):
        client.cookies.clear()
        client.post("/accounts/signup/", worker_form(id_number=id_number, phone="13900000013"))
    client.cookies.clear()
    page = client.post("/accounts/signup/", worker_form(id_number=with_phone, phone="13900000014"))
    client.cookies.clear()
    again = client.post("/accounts/signup/", worker_form(id_number=NEW_ID, phone="13900000014"))
    assert "一分钟" in again.content.decode() and page.status_code == 302


@override_settings(SHOW_CODES=True)
def test_a_code_page_without_a_code_expires_like_one_with(client, db):
    from apps.accounts.signup import SESSION_KEY

    PersonFactory(id_number=NEW_ID, phone="")  # known, no phone: no code is sent
    client.post("/accounts/signup/", worker_form())
    session = client.session
    session[SESSION_KEY]["started"] -= 11 * 60
    session.save()
    page = client.post("/accounts/signup/verify/", {"code": "123456"}).content.decode()
    assert "验证码已失效" in page


def test_bad_sign_ups_name_their_field(client, db):
    cases = [
        ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "id_number", "校验"),
        ({"phone": "12345"}, "phone", ""),
        ({"password2": "other-pw-2026"}, "password2", "不一致"),
        ({"password1": "123", "password2": "123"}, "password1", ""),
        ({"community": ""}, "community", ""),
    ]
    for change, field, words in cases:
        response = client.post("/accounts/signup/", worker_form(**change))
        errors = response.context["form"].errors
        assert field in errors and any(words in e for e in errors[field]), (change, errors)
    assert not PhoneCode.objects.exists()


def test_codes_are_rate_limited_and_expire_after_wrong_tries(client, db):
    from apps.accounts.codes import CodeError, check_code, send_code

    send_code("13900002222", "signup")
    with pytest.raises(CodeError, match="一分钟"):
        send_code("13900002222", "signup")
    for _ in range(5):
        with pytest.raises(CodeError):
            check_code("13900002222", "signup", "000000")
    with pytest.raises(CodeError, match="次数过多"):
        check_code("13900002222", "signup", "000000")


@override_settings(SHOW_CODES=True)
def test_an_employer_signs_up_and_publishes_once_verified_by_its_region(client, staff, db):
    code = make_credit_code("9", "1", "341282", "MA2TXT01")
    client.post(
        "/accounts/signup/employer/",
        {
            "credit_code": code,
            "name": "东城新开饭店",
            "industry": "62",
            "size": "micro",
            "region": A1,
            "contact_name": "钱七",
            "contact_phone": "13900003333",
            "password1": "a-strong-pw-2026",
            "password2": "a-strong-pw-2026",
        },
    )
    client.post("/accounts/signup/verify/", {"code": code_from(client)})
    owner = User.objects.get(username="13900003333")
    assert owner.role == "employer" and owner.employer is None
    assert "待核验" in client.get("/").content.decode()
    assert client.get("/my/postings/new/").status_code == 403  # not before verification
    # Another street's clerk cannot verify it; its own street's can.
    client.force_login(staff("township_staff", "341282002"))
    registration = EmployerRegistration.objects.get()
    assert "东城新开饭店" not in client.get("/employers/registrations/").content.decode()
    approve = {"registration": registration.pk, "approve": "1"}
    assert client.post("/employers/registrations/", approve).status_code == 404
    client.force_login(staff("township_staff", "341282001"))
    client.post("/employers/registrations/", approve)
    owner.refresh_from_db()
    assert owner.employer == Employer.objects.get(credit_code=code)
    client.force_login(owner)
    assert client.get("/my/postings/new/").status_code == 200


def test_a_registered_employer_is_linked_not_duplicated(staff, db):
    from apps.employers.registration import VerificationError, decide, submit

    existing = EmployerFactory(region_id=A1)
    user = User.objects.create_user("13900004444", password="x", role="employer")
    registration = submit(
        user=user,
        credit_code=existing.credit_code,
        name=existing.name,
        industry_id="42",
        size="small",
        region_id=A1,
        contact_name="孙八",
        contact_phone="13900004444",
    )
    clerk = staff("county_staff", "341282")
    # same name, no account yet: still the papers (a credit code and a name are public)
    with pytest.raises(VerificationError, match="授权书"):
        decide(user=clerk, registration=registration, approve=True)
    decide(user=clerk, registration=registration, approve=True, confirmed=True)
    user.refresh_from_db()
    assert user.employer == existing and Employer.objects.count() == 1


def test_a_worker_edits_only_their_own_profile(client, db):
    person = seeker("钱九", dt.date(1990, 1, 1))
    other = seeker("李十", dt.date(1991, 1, 1), seq=22)
    user = User.objects.create_user("w", password="x", role="worker", person=person)
    client.force_login(user)
    client.post("/my/profile/", {"major": "焊接技术"})
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.major == "焊接技术" and other.major != "焊接技术"
    bad = client.post("/my/profile/", {"wish_1": "焊工"})
    assert "请从列表中选择职业" in bad.content.decode()


def test_staff_home_shows_what_waits_in_their_region(client, staff, db):
    from apps.employers.registration import submit

    user = User.objects.create_user("13900005555", password="x", role="employer")
    submit(
        user=user,
        credit_code=make_credit_code("9", "1", "341282", "MA2TXT02"),
        name="待核验单位",
        industry_id="42",
        size="small",
        region_id=A1,
        contact_name="周",
        contact_phone="13900005555",
    )
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/").content.decode()
    due = re.search(r'id="due">(.*?)</div>', page, re.S).group(1)
    assert re.search(r"<b>1</b>待核验的单位注册", due)
    client.force_login(staff("township_staff", "341282002"))
    due = re.search(r'id="due">(.*?)</div>', client.get("/").content.decode(), re.S).group(1)
    assert re.search(r"<b>0</b>待核验的单位注册", due)


def test_the_wished_place_of_work_moves_where_distances_count_from(client, db):
    from apps.matching.index import bump_generation
    from apps.matching.services import candidates_for_job, jobs_for_person
    from apps.people.tests.factories import JobFactory
    from apps.regions.geo import offset_km
    from apps.regions.models import Region

    person = seeker("钱九", dt.date(1990, 1, 1), wishes=["6-18-02-04"])
    client.force_login(User.objects.create_user("w", password="x", role="worker", person=person))
    lat, lng = offset_km(person.lat, person.lng, 20.0, 0)  # 20 km north of home
    job = JobFactory(
        lat=lat,
        lng=lng,
        valid_from=dt.date.today(),
        valid_to=dt.date.today() + dt.timedelta(days=30),
    )
    bump_generation()

    def within_3_km():
        person.refresh_from_db()
        found = job.pk in [r.obj.pk for r in jobs_for_person(person=person, radius_km=3)]
        # The job's side sees the same (the seeker index reads the place too).
        assert found == (person.pk in [r.obj.pk for r in candidates_for_job(job=job, radius_km=3)])
        return found

    assert not within_3_km()
    client.post("/my/profile/", {"work_place": "map", "work_lat": lat, "work_lng": lng})
    assert within_3_km()  # the matching counts from the picked point, at once
    reasons = jobs_for_person(person=person)[0].match.reasons
    assert any(r.startswith("距意向工作地点") for r in reasons)  # not "距家"
    person.refresh_from_db()
    assert person.work_place == "地图选点" and (person.lat, person.lng) != (lat, lng)  # home kept
    page = client.get("/my/profile/").content.decode()
    assert 'id="place-data"' in page and 'value="map" selected' in page

    # A community by name: its centre.
    b1 = Region.objects.get(code="341282002001")
    client.post("/my/profile/", {"work_place": b1.code})
    person.refresh_from_db()
    assert (person.work_lat, person.work_lng) == (b1.lat, b1.lng) and b1.name in person.work_place
    # A point far away, or none, is refused by the field; "" goes back to home.
    for bad in ({"work_lat": 39.9, "work_lng": 116.4}, {}):
        page = client.post("/my/profile/", {"work_place": "map", **bad}).content.decode()
        assert "意向工作地点" in page and ("公里" in page or "请在地图上点选" in page)
    person.refresh_from_db()
    assert person.work_lat == b1.lat  # nothing changed by the refused posts
    client.post("/my/profile/", {"work_place": ""})
    person.refresh_from_db()
    assert (person.work_lat, person.work_lng, person.work_place) == (None, None, "")
    assert not within_3_km()


@override_settings(SHOW_CODES=True)
def test_a_worker_who_signs_up_to_apply_comes_back_to_the_job(client, db):
    job = "/board/123/"
    login = client.get(f"/accounts/login/?next={job}").content.decode()
    assert "/accounts/signup/?next=/board/123/" in login
    client.get(f"/accounts/signup/?next={job}")
    client.post("/accounts/signup/", worker_form())
    client.post("/accounts/signup/verify/", {"code": code_from(client)})
    assert "保存后将回到您刚才查看的岗位" in client.get("/my/profile/").content.decode()
    assert client.post("/my/profile/", {"major": "焊接"})["Location"] == job
    # once: the next save goes to the recommendations
    assert client.post("/my/profile/", {"major": "焊接"})["Location"] == "/my/jobs/"


def test_a_next_page_elsewhere_is_not_kept(client, db):
    client.get("/accounts/signup/?next=https://evil.example/")
    assert "after_signup" not in client.session


@override_settings(SHOW_CODES=True)
def test_wrong_codes_through_the_page_use_up_the_code(client, db):
    """Each wrong try counts even though the sign-up's transaction is undone: after five,
    even the right code is refused (a 6-digit code cannot be guessed at leisure)."""
    client.post("/accounts/signup/", worker_form())
    right = code_from(client)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        assert (
            "验证码不正确"
            in client.post("/accounts/signup/verify/", {"code": wrong}).content.decode()
        )
    page = client.post("/accounts/signup/verify/", {"code": right}).content.decode()
    assert "次数过多" in page
    assert not User.objects.filter(username="13900001111").exists()


def test_one_address_cannot_make_the_bureau_text_without_end(client, db, settings):
    from apps.accounts import views

    for n in range(views.CODES_PER_ADDRESS_HOUR):
        client.cookies.clear()
        client.post("/accounts/signup/", worker_form(phone=f"139000{n:05d}"))
    client.cookies.clear()
    page = client.post("/accounts/signup/", worker_form(phone="13911111111")).content.decode()
    assert "注册次数过多" in page
    assert PhoneCode.objects.count() == views.CODES_PER_ADDRESS_HOUR


def test_a_stranger_typing_a_known_credit_code_needs_staff_to_check_papers(
    client, staff, db, caplog
):
    """A credit code is public: a sign-up under another name, or for an employer that has
    an account, is approved only once staff confirm they saw the licence and the letter of
    authorisation, and the employer's contact on file is told."""
    from apps.employers.registration import VerificationError, decide, submit

    existing = EmployerFactory(region_id=A1, name="真实公司", contact_phone="13600000001")
    User.objects.create_user("13600000001", password="x", role="employer", employer=existing)
    stranger = User.objects.create_user("13900006666", password="x", role="employer")
    registration = submit(
        user=stranger,
        credit_code=existing.credit_code,
        name="冒名公司",
        industry_id="42",
        size="small",
        region_id=A1,
        contact_name="王",
        contact_phone="13900006666",
    )
    clerk = staff("county_staff", "341282")
    client.force_login(clerk)
    page = client.get("/employers/registrations/").content.decode()
    assert "真实公司" in page and "名称与登记库不一致" in page and "已有 1 个平台账号" in page
    client.post("/employers/registrations/", {"registration": registration.pk, "approve": "1"})
    stranger.refresh_from_db()
    assert stranger.employer is None  # not without the check
    with pytest.raises(VerificationError, match="授权书"):
        decide(user=clerk, registration=registration, approve=True)
    with caplog.at_level("INFO", logger="apps.accounts.codes"):
        client.post(
            "/employers/registrations/",
            {"registration": registration.pk, "approve": "1", "confirmed": "1"},
        )
    stranger.refresh_from_db()
    assert stranger.employer == existing
    assert "新增了账号" in caplog.text and "136****0001" in caplog.text


@override_settings(SHOW_CODES=True)
def test_a_send_skipped_at_the_phones_limit_reads_as_any_wrong_code(client, db):
    """Five codes to the phone on file this hour, all expired: a sixth sign-up sends
    nothing, and its code page says "wrong", as for an ID not in the registry, not
    "expired" before its ten minutes."""
    import datetime as dt_

    from django.utils import timezone

    PersonFactory(id_number=NEW_ID, phone="13700000020")
    for _ in range(5):
        PhoneCode.objects.create(
            phone="13700000020",
            purpose="signup",
            code_hash="x",
            expires_at=timezone.now() - dt_.timedelta(minutes=1),
        )
    client.post("/accounts/signup/", worker_form(phone="13900000021"))
    assert PhoneCode.objects.count() == 5  # nothing sent
    page = client.post("/accounts/signup/verify/", {"code": "123456"}).content.decode()
    assert "验证码不正确" in page and "失效" not in page
