"""Excel/CSV columns for criteria items and indicators (Chinese headers).

Rows name their version by name; a row of a frozen version is refused with the reason.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from core.excel import ChoiceLabelWidget, TextWidget, YesNoWidget

from .enums import IndicatorKind, Operator, Unit
from .models import CriteriaVersion, Indicator, Item, Section
from .services import criteria_version_ensure_editable

VERSION_COLUMN = "标准版本"


def _version_for(row) -> CriteriaVersion:
    name = str(row.get(VERSION_COLUMN) or "").strip()
    version = CriteriaVersion.objects.filter(name=name).first()
    if version is None:
        raise ValidationError(f"{VERSION_COLUMN}“{name}”不存在 / unknown criteria version")
    criteria_version_ensure_editable(version)
    return version


class ItemResource(resources.ModelResource):
    version = fields.Field(column_name=VERSION_COLUMN, readonly=True)
    section_number = fields.Field(column_name="部分", readonly=True)
    code = fields.Field("code", "编号", widget=TextWidget())
    order = fields.Field("order", "顺序", widget=widgets.IntegerWidget())
    group = fields.Field("group", "分组", widget=widgets.CharWidget(allow_blank=True))
    title = fields.Field("title", "标题", widget=widgets.CharWidget(allow_blank=True))
    title_en = fields.Field("title_en", "英文标题", widget=widgets.CharWidget(allow_blank=True))
    text = fields.Field("text", "条文", widget=widgets.CharWidget(allow_blank=True))
    points = fields.Field("points", "分值", widget=widgets.DecimalWidget())
    is_veto = fields.Field("is_veto", "一票否决", widget=YesNoWidget())
    veto_note = fields.Field("veto_note", "否决事项", widget=widgets.CharWidget(allow_blank=True))

    class Meta:
        model = Item
        fields = (
            "version",
            "section_number",
            "code",
            "order",
            "group",
            "title",
            "title_en",
            "text",
            "points",
            "is_veto",
            "veto_note",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, version: CriteriaVersion | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.export_version = version

    def get_export_queryset(self, request=None):
        qs = Item.objects.select_related("section__version").order_by(
            "section__version__name", "section__number", "order"
        )
        return qs.filter(section__version=self.export_version) if self.export_version else qs

    def dehydrate_version(self, item: Item) -> str:
        return item.section.version.name

    def dehydrate_section_number(self, item: Item) -> int:
        return item.section.number

    def _section_for(self, row) -> Section:
        version = _version_for(row)
        try:
            return version.sections.get(number=int(row.get("部分")))
        except (TypeError, ValueError, Section.DoesNotExist):
            raise ValidationError("部分应为 1–7 的数字 / section must be a number 1–7") from None

    def get_instance(self, instance_loader, row):
        section = self._section_for(row)
        code = TextWidget().clean(row.get("编号"))
        return Item.objects.filter(section=section, code=code).first()

    def init_instance(self, row=None):
        return Item(section=self._section_for(row))


class IndicatorResource(resources.ModelResource):
    version = fields.Field(column_name=VERSION_COLUMN, readonly=True)
    item_code = fields.Field(column_name="项目编号", readonly=True)
    code = fields.Field("code", "指标编号", widget=TextWidget())
    order = fields.Field("order", "顺序", widget=widgets.IntegerWidget())
    name = fields.Field("name", "指标名称", widget=widgets.CharWidget(allow_blank=True))
    kind = fields.Field("kind", "类型", widget=ChoiceLabelWidget(IndicatorKind))
    numerator_label = fields.Field(
        "numerator_label", "分子", widget=widgets.CharWidget(allow_blank=True)
    )
    denominator_label = fields.Field(
        "denominator_label", "分母", widget=widgets.CharWidget(allow_blank=True)
    )
    value_label = fields.Field(
        "value_label", "填报数值", widget=widgets.CharWidget(allow_blank=True)
    )
    unit = fields.Field("unit", "单位", widget=ChoiceLabelWidget(Unit))
    operator = fields.Field("operator", "比较", widget=ChoiceLabelWidget(Operator))
    threshold = fields.Field("threshold", "阈值", widget=widgets.DecimalWidget())
    threshold_parameter = fields.Field(
        "threshold_parameter", "年度设定的阈值", widget=widgets.CharWidget(allow_blank=True)
    )
    rule_text = fields.Field("rule_text", "原文表述", widget=widgets.CharWidget(allow_blank=True))
    alternative_group = fields.Field(
        "alternative_group", "可替代组", widget=widgets.CharWidget(allow_blank=True)
    )
    vacuous_when_zero = fields.Field("vacuous_when_zero", "分母为0时不适用", widget=YesNoWidget())
    allow_fraction = fields.Field("allow_fraction", "允许小数", widget=YesNoWidget())

    class Meta:
        model = Indicator
        fields = (
            "version",
            "item_code",
            "code",
            "order",
            "name",
            "kind",
            "numerator_label",
            "denominator_label",
            "value_label",
            "unit",
            "operator",
            "threshold",
            "threshold_parameter",
            "rule_text",
            "alternative_group",
            "vacuous_when_zero",
            "allow_fraction",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, version: CriteriaVersion | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.export_version = version

    def get_export_queryset(self, request=None):
        qs = Indicator.objects.select_related("item__section__version").order_by(
            "item__section__version__name", "item__section__number", "item__order", "order"
        )
        return qs.filter(item__section__version=self.export_version) if self.export_version else qs

    def dehydrate_version(self, indicator: Indicator) -> str:
        return indicator.item.section.version.name

    def dehydrate_item_code(self, indicator: Indicator) -> str:
        return indicator.item.code

    def _item_for(self, row) -> Item:
        version = _version_for(row)
        code = TextWidget().clean(row.get("项目编号"))
        item = Item.objects.filter(section__version=version, code=code).first()
        if item is None:
            raise ValidationError(f"项目编号“{code}”不存在 / unknown item code")
        return item

    def get_instance(self, instance_loader, row):
        item = self._item_for(row)
        code = TextWidget().clean(row.get("指标编号"))
        return Indicator.objects.filter(item=item, code=code).first()

    def init_instance(self, row=None):
        return Indicator(item=self._item_for(row))
