"""Excel/CSV columns for bureaus, users and role memberships (Chinese headers)."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from core.excel import ChoiceLabelWidget, TextWidget, YesNoWidget

from .enums import BureauLevel, Role
from .models import Bureau, Division, Membership, User
from .services import ACCOUNT_FIELDS, membership_check, membership_grant, user_create, user_update


class BureauResource(resources.ModelResource):
    code = fields.Field("code", "单位代码", widget=TextWidget())
    name = fields.Field("name", "单位名称", widget=widgets.CharWidget(allow_blank=True))
    region_name = fields.Field(
        "region_name", "行政区划", widget=widgets.CharWidget(allow_blank=True)
    )
    level = fields.Field("level", "层级", widget=ChoiceLabelWidget(BureauLevel))
    parent = fields.Field(
        "parent", "上级单位代码", widget=widgets.ForeignKeyWidget(Bureau, field="code")
    )
    credit_code = fields.Field("credit_code", "统一社会信用代码", widget=TextWidget())
    address = fields.Field("address", "地址", widget=widgets.CharWidget(allow_blank=True))
    in_gbt2260 = fields.Field("in_gbt2260", "列入GB/T 2260", widget=YesNoWidget())
    is_active = fields.Field("is_active", "启用", widget=YesNoWidget())

    class Meta:
        model = Bureau
        import_id_fields = ["code"]
        fields = (
            "code",
            "name",
            "region_name",
            "level",
            "parent",
            "credit_code",
            "address",
            "in_gbt2260",
            "is_active",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return Bureau.objects.select_related("parent").order_by("code")


class UserResource(resources.ModelResource):
    username = fields.Field("username", "用户名", widget=TextWidget())
    full_name = fields.Field("full_name", "姓名", widget=widgets.CharWidget(allow_blank=True))
    phone = fields.Field("phone", "手机号码", widget=TextWidget())
    email = fields.Field("email", "电子邮箱", widget=widgets.CharWidget(allow_blank=True))
    is_active = fields.Field("is_active", "启用", widget=YesNoWidget())

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = ("username", "full_name", "phone", "email", "is_active")
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A new user has no password yet; the security administrator resets one after the import.
        if not instance.pk and not instance.password:
            instance.set_unusable_password()
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def save_instance(self, instance, is_create, row, **kwargs):
        # Through the services, so that every account created or changed is in the audit trail.
        by, request = kwargs.get("user"), kwargs.get("request")
        self.before_save_instance(instance, row, **kwargs)
        if is_create:
            created = user_create(
                **{f: getattr(instance, f) for f in ACCOUNT_FIELDS}, by=by, request=request
            )
            instance.pk = created.pk
        else:
            before = User.objects.get(pk=instance.pk)
            changed = [f for f in ACCOUNT_FIELDS if getattr(before, f) != getattr(instance, f)]
            user_update(user=instance, changed=changed, by=by, request=request)
        self.after_save_instance(instance, row, **kwargs)


class MembershipResource(resources.ModelResource):
    """One row per role: 用户名, 角色, 单位代码 (bureau) or 处室代码 (division)."""

    user = fields.Field("user", "用户名", widget=widgets.ForeignKeyWidget(User, field="username"))
    role = fields.Field("role", "角色", widget=ChoiceLabelWidget(Role))
    bureau = fields.Field("bureau", "单位代码", widget=widgets.ForeignKeyWidget(Bureau, "code"))
    division = fields.Field(
        "division", "处室代码", widget=widgets.ForeignKeyWidget(Division, field="code")
    )

    class Meta:
        model = Membership
        import_id_fields = ["user", "role", "bureau", "division"]
        fields = ("user", "role", "bureau", "division")
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return Membership.objects.select_related("user", "bureau", "division").order_by(
            "user__username", "role"
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.user_id is None:
            raise ValidationError({"user": "用户名不存在 / unknown username"})
        membership_check(
            user=instance.user,
            role=instance.role,
            bureau=instance.bureau,
            division=instance.division,
            by=kwargs.get("user"),
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        # Through the service, so that staff roles get their group and the grant is recorded.
        self.before_save_instance(instance, row, **kwargs)
        saved = membership_grant(
            user=instance.user,
            role=instance.role,
            bureau=instance.bureau,
            division=instance.division,
            by=kwargs.get("user"),
            request=kwargs.get("request"),
        )
        instance.pk = saved.pk
        self.after_save_instance(instance, row, **kwargs)
