"""Forms of the accounts app: signing up."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password

from apps.employers.models import EmployerSize
from apps.jobs.forms import work_places
from apps.taxonomy.models import Industry
from jiuye.identifiers import validate_credit_code, validate_mobile, validate_resident_id

from .signup import SEEKING_CHOICES


class _Passwords(forms.Form):
    password1 = forms.CharField(label="设置密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        validate_password(password)
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


def _checked(validator, value: str) -> str:
    try:
        return validator(value.strip().upper() if value else value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None


class WorkerSignupForm(_Passwords):
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    phone = forms.CharField(label="手机号", max_length=11)
    community = forms.ChoiceField(label="居住的社区(村)")
    labour_status = forms.ChoiceField(label="目前状况", choices=SEEKING_CHOICES)
    field_order = ["name", "id_number", "phone", "community", "labour_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [
            ("", "请选择"),
            *work_places(settings.PUBLIC_REGION[:6]),
        ]

    def clean_id_number(self):
        return _checked(validate_resident_id, self.cleaned_data["id_number"])

    def clean_phone(self):
        return _checked(validate_mobile, self.cleaned_data["phone"])


class EmployerSignupForm(_Passwords):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    name = forms.CharField(label="单位名称", max_length=128)
    industry = forms.ModelChoiceField(
        label="行业",
        queryset=Industry.objects.filter(section__isnull=False).order_by("code"),
        empty_label="请选择",
    )
    size = forms.ChoiceField(label="规模", choices=EmployerSize.choices)
    region = forms.ChoiceField(label="所在街道(乡镇)或社区")
    address = forms.CharField(label="地址", max_length=255, required=False)
    contact_name = forms.CharField(label="联系人", max_length=64)
    contact_phone = forms.CharField(label="联系人手机号(登录用)", max_length=11)
    field_order = [
        "credit_code",
        "name",
        "industry",
        "size",
        "region",
        "address",
        "contact_name",
        "contact_phone",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *work_places(settings.PUBLIC_REGION[:6])]

    def clean_credit_code(self):
        return _checked(validate_credit_code, self.cleaned_data["credit_code"])

    def clean_contact_phone(self):
        return _checked(validate_mobile, self.cleaned_data["contact_phone"])

    def employer_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "credit_code": d["credit_code"],
            "name": d["name"],
            "industry_id": d["industry"].pk,
            "size": d["size"],
            "region_id": d["region"],
            "address": d["address"],
            "contact_name": d["contact_name"],
            "contact_phone": d["contact_phone"],
        }


class CodeForm(forms.Form):
    code = forms.CharField(label="短信验证码", max_length=6)
