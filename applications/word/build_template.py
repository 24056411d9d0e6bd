"""Build the bundled Word template of the application form (application_form.docx).

The office may replace the template with its own (APPLICATION_FORM_DOCX_TEMPLATE): any .docx
with the same docxtpl (Jinja) tags. Run this after changing the form's content:

    .venv/bin/python -m applications.word.build_template
"""

from pathlib import Path

TEMPLATE = Path(__file__).with_name("application_form.docx")


def build(path: Path = TEMPLATE) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    def paragraph(text: str, *, size: int = 12, bold: bool = False, center: bool = False):
        p = document.add_paragraph()
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def table(rows: list[list[str]], widths: list[int]):
        t = document.add_table(rows=len(rows), cols=len(widths))
        t.style = "Table Grid"
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = t.cell(r, c)
                cell.width = Mm(widths[c])
                cell.text = text
        return t

    paragraph("全省示范县（市、区）司法局创建申报表", size=18, bold=True, center=True)
    paragraph("{{ year }}年度　申报单位：{{ county }}　所属：{{ city }}", center=True)
    table(
        [
            ["申报单位", "{{ county }}", "单位代码", "{{ code }}"],
            ["局长", "{{ head_name }}", "联系人及电话", "{{ contact }}"],
            ["编制数", "{{ staff_authorized }}", "实有人数", "{{ staff_actual }}"],
            [
                "司法所数",
                "{{ judicial_offices }}",
                "基层法律服务所数",
                "{{ legal_service_offices }}",
            ],
        ],
        [30, 50, 35, 45],
    )
    paragraph("创建工作情况", size=14, bold=True)
    paragraph("{{ summary }}")
    paragraph("考评项目自评", size=14, bold=True)
    table(
        [
            ["编号", "考评项目", "自评", "说明与量化指标"],
            ["{%tr for row in items %}", "", "", ""],
            ["{{ row.code }}", "{{ row.title }}", "{{ row.answer }}", "{{ row.notes }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [16, 62, 20, 62],
    )
    paragraph("申报单位承诺", size=14, bold=True)
    paragraph("{{ pledge }}")
    paragraph("局长（签字）：　　　　　　　　　申报单位（盖章）")
    paragraph("年　　月　　日", center=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph("市级司法行政机关初审意见", size=14, bold=True)
    paragraph("{{ city_opinion }}")
    paragraph("负责人（签字）：　　　　　　　　　（盖章）")
    paragraph("年　　月　　日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph("省司法厅意见", size=14, bold=True)
    paragraph("{{ department_opinion }}")
    paragraph("负责人（签字）：　　　　　　　　　（盖章）")
    paragraph("年　　月　　日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph("打印时间：{{ printed_at }}　状态：{{ state }}", size=8)
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
