"""Chinese typography in the catalogue: full-width punctuation in Chinese text, 县（市、区）."""

import gettext
import re
import subprocess
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
# What may keep its ASCII punctuation inside Chinese text: format placeholders, template
# variables, addresses, clock times (23:59:59) and the like.
ALLOWED = re.compile(
    r"%\([A-Za-z_0-9]+\)[sdfr]|%%|%[sdYmdHMSf]|\{\{.*?\}\}|\{[A-Za-z_0-9]*\}"
    r"|https?://\S+|\d+(?::\d+)+"
)
HALF_WIDTH = re.compile(r"[:(),]")


def _catalogue(tmp_path) -> dict:
    """The zh_Hans catalogue compiled afresh, as the portal serves it."""
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE)], check=True)
    with compiled.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def _translations(catalogue: dict):
    for key, value in catalogue.items():
        if key == "":
            continue  # the header
        yield (key[0] if isinstance(key, tuple) else key), value


def test_chinese_text_uses_full_width_punctuation(tmp_path):
    offending = [
        (msgid, text)
        for msgid, text in _translations(_catalogue(tmp_path))
        if CJK.search(text) and HALF_WIDTH.search(ALLOWED.sub("", text))
    ]
    assert offending == []


def test_county_level_is_written_one_way(tmp_path):
    texts = [text for _msgid, text in _translations(_catalogue(tmp_path))]
    assert not [t for t in texts if "县(市" in t or "县（市，" in t or "市(地)" in t]
    assert any("县（市、区）" in t for t in texts)


def test_the_scan_finds_half_width_punctuation():
    # The rule itself: a placeholder's brackets pass, a Chinese sentence's brackets do not.
    assert not HALF_WIDTH.search(ALLOWED.sub("", "已于%(time)s保存，截止23:59:59"))
    assert HALF_WIDTH.search(ALLOWED.sub("", "全省示范县(市、区)司法局"))
    assert HALF_WIDTH.search(ALLOWED.sub("", "理由: %(reason)s"))


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A label's colon in a template: after a translated string or a variable, outside a
# blocktranslate (whose text the catalogue translates whole).
LABEL_COLON = re.compile(r"(%\}|\}\}):(?:\s|</strong>)")
BLOCKS = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)


def test_templates_use_the_translated_label_separator():
    offending = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt") or "_pdf" in path.name:
            continue
        text = BLOCKS.sub("", path.read_text())
        offending += [
            f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in LABEL_COLON.finditer(text)
        ]
    assert offending == []


def test_the_label_separator_is_full_width_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.pgettext("label separator", ": ") == "："
    with translation.override("en"):
        assert translation.pgettext("label separator", ": ") == ": "


def test_the_completeness_heading_agrees_with_its_content():
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        complete = render_to_string(
            "applications/partials/completeness_summary.html",
            {"report": SimpleNamespace(blocking=[], warnings=[])},
        )
        missing = render_to_string(
            "applications/partials/completeness_summary.html",
            {"report": SimpleNamespace(blocking=["第3.2项未作答"], warnings=[])},
        )
    assert "内容已完整" in complete
    assert "提交前尚缺内容" not in complete
    assert "提交前尚缺内容" in missing


def test_a_form_field_label_ends_in_the_full_width_separator():
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    class Dated(forms.Form):
        designated_on = forms.DateField(label="命名日期")

    with translation.override("zh-hans"):
        page = render_to_string("partials/form_fields.html", {"form": Dated()})
    assert '<label for="id_designated_on">命名日期：</label>' in page
    assert "命名日期:" not in page
