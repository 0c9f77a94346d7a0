"""The service promises the seed plans make, as rules a region can change in the admin."""

from django.db import migrations

CONTACT = ["guidance", "referral", "offer", "training", "call", "visit"]
RULES = [
    {
        "code": "migrant-worker-1-3-1",
        "name": "农民工就业服务“1+3+1”",
        "source": "002 二.(二)2:1次职业指导、3个适合的岗位信息、1个培训项目",
        "group": "migrant_worker",
        "statuses": ["unemployed"],
        "requirements": [
            {"label": "职业指导", "kinds": ["guidance"], "count": 1},
            {"label": "适合的岗位信息", "kinds": ["offer", "referral"], "count": 3},
            {"label": "培训项目", "kinds": ["training"], "count": 1},
        ],
        "period": "once",
    },
    {
        "code": "relocated-2-offers",
        "name": "搬迁安置人员定向推送岗位",
        "source": "004:至少2次定向岗位推送",
        "group": "relocated",
        "statuses": ["unemployed"],
        "requirements": [{"label": "定向岗位", "kinds": ["offer", "referral"], "count": 2}],
        "period": "once",
    },
    {
        "code": "graduate-monthly",
        "name": "离校未就业高校毕业生服务不断线",
        "source": "001、004:每月至少联系一次,直至就业",
        "group": "graduate",
        "statuses": ["unemployed"],
        "requirements": [{"label": "服务联系", "kinds": CONTACT, "count": 1}],
        "period": "month",
    },
    {
        "code": "no-intention-quarterly",
        "name": "无就业意愿人员每季度回访",
        "source": "004 六.3",
        "group": "",
        "statuses": ["inactive"],
        "age_max": 59,
        "requirements": [{"label": "回访", "kinds": ["call", "visit"], "count": 1}],
        "period": "quarter",
    },
]


def add(apps, schema_editor):
    PromiseRule = apps.get_model("services", "PromiseRule")
    for rule in RULES:
        PromiseRule.objects.update_or_create(code=rule["code"], defaults=rule)


def remove(apps, schema_editor):
    apps.get_model("services", "PromiseRule").objects.filter(
        code__in=[r["code"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
