"""Deterministic generation of a demo city's registries, in the import templates' format.

Everything here is invented (marked ``generated`` where it lands in the database) except
the region codes and names, which come from the official list. The shares below are
plausible for a county-level city of Anhui (age pyramid close to the 2020 census, a large
migrant-worker share, recycling and textiles as leading industries, as in 界首市); they
are demo parameters, not statistics."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from jiuye.identifiers import make_credit_code, make_resident_id

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文斌海波飞宇浩然俊峰"
    "欣怡佳琪子涵梓轩雨泽一诺思远晨阳丹梅兰凤云霞春生德林永福庆祥光荣利民新成龙凯旭东子豪晓婷雪莉"
)
COMMUNITY_NAMES = (
    "人民路",
    "文化路",
    "建设路",
    "胜利路",
    "光明",
    "幸福",
    "和平",
    "振兴",
    "团结",
    "新华",
    "民主",
    "东风",
    "花园",
    "锦绣",
    "阳光",
    "滨河",
    "北关",
    "南关",
    "东关",
    "西关",
    "朝阳",
    "育才",
    "健康",
    "解放路",
    "中心",
    "兴业",
    "颍河",
    "向阳",
    "明珠",
    "双龙",
)
VILLAGE_PREFIX = (
    "张",
    "王",
    "李",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "高",
    "林",
    "何",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
    "程",
)
VILLAGE_SUFFIX = (
    "庄",
    "集",
    "营",
    "楼",
    "寨",
    "湖",
    "岗",
    "桥",
    "店",
    "园",
    "圩",
    "寺",
    "洼",
    "台",
)
FIRM_WORDS = (
    "华宇",
    "鑫源",
    "恒达",
    "金阳",
    "天润",
    "宏图",
    "永盛",
    "嘉禾",
    "瑞丰",
    "博远",
    "中泰",
    "兴旺",
    "丰源",
    "新锐",
    "东方",
    "腾飞",
    "汇通",
    "宝丰",
    "正大",
    "安康",
    "德信",
    "明辉",
    "百川",
    "盛世",
    "顺达",
    "同创",
    "九州",
    "皖北",
    "颍淮",
    "光武",
)

# Industry (GB/T 4754 大类) → weight, name suffix, occupations offered (occupation code, wage).
INDUSTRIES = {
    "42": (
        14,
        "再生资源科技有限公司",
        [("6-18-02-04", 5500), ("6-31-01-03", 5200), ("6-18-01-01", 5000)],
    ),
    "29": (10, "塑业有限公司", [("6-18-01-01", 4800), ("6-31-01-03", 5000), ("4-01-02-01", 4500)]),
    "32": (5, "金属材料有限公司", [("6-18-02-04", 6000), ("6-31-01-03", 5600)]),
    "38": (
        6,
        "电源科技有限公司",
        [("6-31-01-03", 5400), ("6-18-02-04", 5800), ("4-01-02-01", 5000)],
    ),
    "17": (6, "纺织有限公司", [("6-05-01-03", 4200), ("6-31-01-03", 4800)]),
    "18": (9, "服饰有限公司", [("6-05-01-03", 4300), ("4-01-06-01", 4600)]),
    "13": (6, "食品有限公司", [("4-01-02-01", 4200), ("4-02-02-02", 5500)]),
    "33": (4, "机械制造有限公司", [("6-18-01-01", 5200), ("6-18-02-04", 5600)]),
    "52": (10, "商贸有限公司", [("4-01-02-01", 3800), ("4-01-06-01", 4200)]),
    "62": (8, "餐饮管理有限公司", [("4-03-02-01", 4500), ("4-03-02-05", 3200)]),
    "54": (5, "物流有限公司", [("4-02-02-02", 6000), ("4-02-07-08", 5000)]),
    "47": (
        6,
        "建筑工程有限公司",
        [("6-29-01-01", 6500), ("6-29-01-04", 6800), ("6-18-02-04", 6200)],
    ),
    "80": (5, "家政服务有限公司", [("4-10-01-05", 3800), ("4-07-05-01", 3000)]),
    "81": (3, "汽车服务有限公司", [("4-12-01-01", 4800)]),
    "84": (2, "康复医院有限公司", [("4-10-01-05", 4000), ("4-07-05-01", 3100)]),
    "96": (1, "社区服务中心", [("4-07-05-01", 2500), ("4-10-01-05", 2600)]),
}
OCCUPATION_NAMES = {
    "6-18-02-04": "焊工",
    "6-31-01-03": "电工",
    "6-18-01-01": "车工",
    "4-01-02-01": "营销员",
    "4-01-06-01": "电子商务师",
    "6-05-01-03": "缝纫工",
    "4-02-02-02": "道路货运汽车驾驶员",
    "4-02-07-08": "快递员",
    "6-29-01-01": "砌筑工",
    "6-29-01-04": "钢筋工",
    "4-10-01-05": "养老护理员",
    "4-07-05-01": "保安员",
    "4-12-01-01": "汽车维修工",
    "4-03-02-01": "中式烹调师",
    "4-03-02-05": "餐厅服务员",
}
# Skills people list and postings ask for, per occupation (generated demo text; some are
# shared across trades, as in life).
OCCUPATION_SKILLS = {
    "6-18-02-04": ("电焊", "氩弧焊", "二氧化碳保护焊", "气割", "不锈钢焊接", "看图纸"),
    "6-31-01-03": ("低压电工", "高压电工", "电气维修", "配电柜安装", "PLC编程"),
    "6-18-01-01": ("数控车床", "普通车床", "看图纸", "量具使用", "CNC编程"),
    "4-01-02-01": ("客户开发", "电话销售", "市场推广", "商务谈判"),
    "4-01-06-01": ("网店运营", "直播带货", "短视频剪辑", "数据分析", "客服"),
    "6-05-01-03": ("平车", "包缝", "服装制作", "裁剪"),
    "4-02-02-02": ("A2驾照", "B2驾照", "长途运输", "冷链运输", "叉车"),
    "4-02-07-08": ("电动车", "分拣", "派送", "叉车"),
    "6-29-01-01": ("砌墙", "抹灰", "瓷砖铺贴", "看图纸"),
    "6-29-01-04": ("钢筋绑扎", "钢筋下料", "看图纸"),
    "4-10-01-05": ("失能照护", "康复护理", "老年照护", "急救"),
    "4-07-05-01": ("巡逻", "监控", "消防", "门岗"),
    "4-12-01-01": ("发动机维修", "汽车电工", "钣金", "喷漆", "新能源汽车"),
    "4-03-02-01": ("川菜", "徽菜", "面点", "切配", "烹饪"),
    "4-03-02-05": ("点餐", "传菜", "收银", "客服"),
}
CERTIFIED = ("6-18-02-04", "6-31-01-03", "4-12-01-01", "4-03-02-01", "4-10-01-05", "4-02-02-02")
SKILL_LEVELS = ("五级", "四级", "三级", "二级")

# Ages 16–75 in five-year bands with weights close to the 2020 census pyramid.
AGE_BANDS = (
    (16, 4),
    (20, 5),
    (25, 6),
    (30, 8),
    (35, 7),
    (40, 7),
    (45, 8),
    (50, 9),
    (55, 8),
    (60, 6),
    (65, 5),
    (70, 4),
)
EDUCATION_BY_AGE = {  # band start → weights for 20,30,40/50,60,70,80 (bachelor … primary)
    16: (2, 6, 14, 30, 40, 8),
    25: (14, 18, 14, 18, 30, 6),
    40: (5, 8, 10, 17, 45, 15),
    55: (1, 3, 5, 12, 45, 34),
}
EDU_CODES = ("20", "30", "40", "60", "70", "80")


IN_WORK = ("employed", "flexible")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    lat: float
    lng: float
    is_village: bool
    urban: bool


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _jitter(rng: random.Random, lat: float, lng: float, km: float) -> tuple[float, float]:
    from apps.regions.geo import offset_km

    r = km * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    return offset_km(lat, lng, r * math.cos(a), r * math.sin(a))


def firm_name(rng: random.Random, city: str, suffix: str, used: set[str]) -> str:
    """A firm's name not yet used: a trade word, else two different ones (never a word
    twice, never a number)."""
    name = f"{city}{rng.choice(FIRM_WORDS)}{suffix}"
    if name not in used:
        return name
    pairs = [(a, b) for a in FIRM_WORDS for b in FIRM_WORDS if a != b]
    rng.shuffle(pairs)
    for a, b in pairs:
        name = f"{city}{a}{b}{suffix}"
        if name not in used:
            return name
    raise ValueError(f"用尽了{suffix}的演示单位名称")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


class CityGenerator:
    """Rows for one county: people, employers and jobs, in the import templates' columns."""

    def __init__(
        self,
        county_code: str,
        places: list[Place],
        seed: int,
        today: dt.date,
        other_counties: list[str],
        city_name: str = "",
    ):
        self.county = county_code
        self.places = places
        self.rng = random.Random(seed)
        self.today = today
        # Communities where the 3-km full-employment work has taken hold (about half the
        # urban ones, a third of the villages): fewer unemployed, hard-to-employ placed,
        # zero-employment families cleared. The others are where the assessment fails.
        self.served = {
            p.code
            for p in places
            if random.Random(f"{seed}:{p.code}").random() < (0.6 if p.urban else 0.35)
        }
        self.other_counties = other_counties or [county_code]
        self.used_ids: set[str] = set()
        self.city_name = city_name

    # --- people -------------------------------------------------------------------------
    def _age(self) -> int:
        start = self.rng.choices([b for b, _ in AGE_BANDS], weights=[w for _, w in AGE_BANDS])[0]
        return start + self.rng.randrange(4 if start == 16 else 5)

    def _resident_id(self, age: int, male: bool) -> str:
        region = self.county if self.rng.random() < 0.88 else self.rng.choice(self.other_counties)
        while True:
            birth = self.today - dt.timedelta(days=age * 365 + self.rng.randrange(365) + age // 4)
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            value = make_resident_id(region, birth, sequence)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def _education(self, age: int) -> str:
        band = max(b for b in EDUCATION_BY_AGE if b <= age)
        return self.rng.choices(EDU_CODES, weights=EDUCATION_BY_AGE[band])[0]

    def _status(self, age: int, education: str, served: bool) -> str:
        rng = self.rng
        if age < 23 and (education in ("20", "30") or age < 19) and rng.random() < 0.6:
            return "student"
        if age >= 60:
            return rng.choices(
                ["retired", "inactive", "employed", "flexible"], weights=[40, 35, 12, 13]
            )[0]
        return rng.choices(
            ["employed", "flexible", "unemployed", "inactive"],
            weights=[64, 16, 3 if served else 8, 12],
        )[0]

    def people(self, count: int) -> Iterator[dict]:
        """Households of 1–5 adults living in one community; every adult is one row."""
        rng = self.rng
        weights = [3 if p.urban else 1 for p in self.places]
        household_no = 0
        produced = 0
        while produced < count:
            place = rng.choices(self.places, weights=weights)[0]
            household_no += 1
            number = f"{place.code}{household_no:06d}"
            size = min(
                rng.choices((1, 2, 3, 4, 5), weights=(14, 34, 26, 18, 8))[0], count - produced
            )
            head_age = rng.randint(25, 70)
            surname = rng.choice(SURNAMES)
            members = []
            for i in range(size):
                if i == 0:
                    age, male = head_age, rng.random() < 0.55
                elif i == 1:
                    age, male = max(18, min(75, head_age + rng.randint(-4, 4))), None
                else:
                    age = head_age - rng.randint(22, 32)
                    if age < 16:
                        age = min(75, head_age + rng.randint(22, 28))
                    male = rng.random() < 0.5
                if male is None:
                    male = not members[0][1]
                members.append((age, male))
            lat, lng = _jitter(rng, place.lat, place.lng, 0.6)
            statuses: list[str] = []
            for j, (age, male) in enumerate(members):
                # In a served community the last member of a household that would be a
                # zero-employment family has been placed (动态清零).
                last_chance = (
                    place.code in self.served
                    and j == len(members) - 1
                    and not any(s in IN_WORK for s in statuses)
                )
                row = self._person(
                    place,
                    number,
                    age,
                    male,
                    lat,
                    lng,
                    surname if j != 1 else None,
                    clear=last_chance and "unemployed" in statuses,
                    clear_if_unemployed=last_chance,
                )
                statuses.append(row["劳动状态"])
                produced += 1
                yield row

    def _person(
        self,
        place: Place,
        household: str,
        age: int,
        male: bool,
        lat: float,
        lng: float,
        surname: str | None,
        clear: bool = False,
        clear_if_unemployed: bool = False,
    ) -> dict:
        rng = self.rng
        served = place.code in self.served
        education = self._education(age)
        status = self._status(age, education, served)
        if (clear and status not in IN_WORK) or (clear_if_unemployed and status == "unemployed"):
            status = "flexible" if rng.random() < 0.4 else "employed"
        name = person_name(rng)
        if surname:
            name = surname + name[1:]
        # up to yesterday, so the last month's indicators have their events like any other
        # (the draw as before, shifted: the same seed gives the same city)
        since = self.today - dt.timedelta(
            days=rng.randrange(30, 2000 if status != "unemployed" else 700) - 29
        )
        groups, detail = [], ""
        in_force = status in ("employed", "flexible", "unemployed")
        if place.is_village and in_force and 18 <= age < 60 and rng.random() < 0.45:
            groups.append("农民工")
        if education in ("20", "30") and 21 <= age <= 27 and status != "student":
            groups.append("高校毕业生")
            detail = f"{self.today.year - max(0, age - 22)}年毕业"
        if place.is_village and age >= 18 and rng.random() < 0.06:
            groups.append("脱贫劳动力")
            if rng.random() < 0.15:
                groups.append("防返贫监测对象")
        if male and 24 <= age <= 60 and rng.random() < 0.03:
            groups.append("退役军人")
        if rng.random() < 0.015:
            groups.append("残疾人")
        if status == "unemployed" and (age >= 45 or "残疾人" in groups or rng.random() < 0.15):
            groups.append("就业困难人员")
            detail = detail or ("大龄" if age >= 45 else "长期失业")
            # most are placed (public-welfare posts, assisted jobs) where service is good
            if rng.random() < (0.97 if served else 0.4):
                status = "flexible" if rng.random() < 0.5 else "employed"
        if status == "unemployed" and 16 <= age <= 24 and (self.today - since).days > 180:
            groups.append("长期失业青年")
        if status in ("unemployed", "flexible") and (
            (male and age >= 50) or (not male and age >= 40)
        ):
            groups.append("大龄劳动者")
        if place.is_village and rng.random() < 0.015:
            groups.append("征迁安置/易地搬迁人员")
        seeking = (
            status in ("unemployed", "flexible")
            or (status == "student" and age >= 21)
            or (status == "employed" and rng.random() < 0.08)
        )
        wishes, kind, wage, distance, skills = [], "", "", "", ""
        if seeking:
            wishes = rng.sample(list(OCCUPATION_NAMES), rng.choice((1, 1, 2, 3)))
            known = OCCUPATION_SKILLS[wishes[0]]
            skills = "、".join(rng.sample(known, rng.randint(1, min(3, len(known)))))
            # several kinds as a person says them (全职、零工), or none: any kind
            kind = rng.choices(
                ["全职", "全职、零工", "兼职、零工", "零工", "就业见习", ""],
                weights=[50, 15, 8, 10, 5, 12],
            )[0]
            if kind == "就业见习" and not {"高校毕业生", "长期失业青年"} & set(groups):
                kind = "全职"  # internships (就业见习) are for graduates and young people
            wage = str(rng.randrange(2500, 6500, 100))
            distance = str(rng.choice((3, 5, 5, 10, 15, 30)))
        certificates = ""
        if status != "student" and age >= 20 and rng.random() < 0.12:
            code = rng.choice(CERTIFIED)
            certificates = f"{OCCUPATION_NAMES[code]}/{rng.choice(SKILL_LEVELS)}"
        return {
            "身份证号": self._resident_id(age, male),
            "姓名": name,
            "手机号": phone(rng) if rng.random() < 0.9 else "",
            "户号": household,
            "居住社区代码": place.code,
            "居住地址": f"{place.name}{rng.randint(1, 120)}号",
            "经度": f"{lng:.6f}",
            "纬度": f"{lat:.6f}",
            "学历": education,
            "劳动状态": status,
            "状态起始日期": since.isoformat(),
            "意向职业代码": ";".join(wishes),
            "意向用工形式": kind,
            "期望最低月薪": wage,
            "可接受通勤距离": distance,
            "技能特长": skills,
            "技能证书": certificates,
            "重点群体": ";".join(groups),
            "认定日期": since.isoformat() if groups else "",
            "认定说明": detail,
        }

    # --- employers and jobs ---------------------------------------------------------------
    def employers(self, count: int) -> list[dict]:
        rng = self.rng
        industry_weights = {k: v[0] for k, v in INDUSTRIES.items()}
        towns = [p for p in self.places if not p.is_village]
        parks = rng.sample(towns, min(3, len(towns)))  # industrial parks concentrate factories
        used_names: set[str] = set()
        used_codes: set[str] = set()
        rows = []
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        for _ in range(count):
            industry = _weighted(rng, industry_weights)
            size = rng.choices(["micro", "small", "medium", "large"], weights=[55, 30, 12, 3])[0]
            employees = {
                "micro": (3, 19),
                "small": (20, 99),
                "medium": (100, 299),
                "large": (300, 2000),
            }[size]
            place = (
                rng.choice(parks)
                if industry in ("42", "29", "32", "38", "33", "17") and rng.random() < 0.7
                else rng.choice(self.places)
            )
            suffix = INDUSTRIES[industry][1]
            name = firm_name(rng, self.city_name, suffix, used_names)
            used_names.add(name)
            while True:
                body = "".join(
                    rng.choice(alphabet[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)
                )
                code = make_credit_code("9", "1", self.county, body)
                if code not in used_codes:
                    used_codes.add(code)
                    break
            lat, lng = _jitter(rng, place.lat, place.lng, 0.8)
            blacklisted = rng.random() < 0.01
            rows.append(
                {
                    "统一社会信用代码": code,
                    "单位名称": name,
                    "行业代码": industry,
                    "规模": size,
                    "从业人数": str(rng.randint(*employees)),
                    "所在区域代码": place.code,
                    "地址": f"{place.name}工业路{rng.randint(1, 300)}号",
                    "经度": f"{lng:.6f}",
                    "纬度": f"{lat:.6f}",
                    "联系人": person_name(rng),
                    "联系电话": phone(rng),
                    "重点企业": "是"
                    if size in ("medium", "large") and rng.random() < 0.6
                    else "否",
                    "欠薪黑名单": "是" if blacklisted else "否",
                    "列入原因": "拖欠农民工工资经责令限期支付仍未支付" if blacklisted else "",
                    "列入日期": (self.today - dt.timedelta(days=rng.randrange(30, 400))).isoformat()
                    if blacklisted
                    else "",
                }
            )
        return rows

    def jobs(self, employers: list[dict], per_employer: float = 1.5) -> list[dict]:
        rng = self.rng
        rows = []
        for employer in employers:
            offers = INDUSTRIES[employer["行业代码"]][2]
            n = max(1, round(rng.expovariate(1 / per_employer)))
            for k in range(min(n, 8)):
                code, wage = rng.choice(offers)
                kind = rng.choices(
                    ["全职", "兼职", "零工", "就业见习", "临时性专项岗位"], weights=[78, 6, 9, 4, 3]
                )[0]
                if employer["行业代码"] in ("96", "80") and rng.random() < 0.5:
                    kind = "公益性岗位"
                low = int(wage * rng.uniform(0.8, 1.0)) // 100 * 100
                # A third of the jobs of certified trades require the certificate.
                required = code in CERTIFIED and rng.random() < 0.3
                start = self.today - dt.timedelta(days=rng.randrange(0, 60))
                lat, lng = _jitter(rng, float(employer["纬度"]), float(employer["经度"]), 0.3)
                rows.append(
                    {
                        "统一社会信用代码": employer["统一社会信用代码"],
                        "岗位编号": f"J{k + 1:03d}",
                        "岗位名称": OCCUPATION_NAMES[code],
                        "职业代码": code,
                        "用工形式": kind,
                        "招聘人数": str(rng.choice((1, 1, 2, 3, 5, 8, 10, 20))),
                        "月薪下限": str(low),
                        "月薪上限": str(low + rng.randrange(500, 3000, 100)),
                        "最低学历": rng.choice(("", "70", "60", "30")),
                        "最低年龄": "18",
                        "最高年龄": str(rng.choice((45, 50, 55, 60))),
                        "技能要求": "、".join(
                            rng.sample(OCCUPATION_SKILLS[code], rng.randint(1, 2))
                        ),
                        "证书要求": f"须持{OCCUPATION_NAMES[code]}证书" if required else "",
                        "要求证书职业代码": code if required else "",
                        "要求证书等级": rng.choice(("五级", "四级")) if required else "",
                        "岗位描述": f"{employer['单位名称']}招聘{OCCUPATION_NAMES[code]}",
                        "工作地点代码": employer["所在区域代码"],
                        "经度": f"{lng:.6f}",
                        "纬度": f"{lat:.6f}",
                        "有效期起": start.isoformat(),
                        "有效期止": (start + dt.timedelta(days=rng.randrange(30, 180))).isoformat(),
                    }
                )
        return rows
