"""Make the PDF fixtures of tests/plans/test_formats.py; run once, then commit the PDFs.

    .venv/bin/python tests/plans/data/formats/make_pdfs.py   # needs soffice, fonts-noto-cjk

``plan.pdf``: a plan on small (A6) pages with a running header and "- N -" page numbers, its
paragraphs broken by the page width and one of them by a page break, as Word exports it.
``scan.pdf``: one page that is only an image, as a scanner makes it.
"""

import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image, ImageDraw

HERE = Path(__file__).parent
HEADER = "二道区未来五年总体规划"
PARAGRAPHS = [
    ("title", "二道区未来五年总体规划"),
    ("heading", "一、总体要求"),
    (
        "body",
        "今后五年,全区发展总的指导思想是以推动高质量发展为主题,以改革创新为根本动力,以满足人民日益增长的美好生活需要为根本目的。",
    ),
    ("heading", "二、主要任务"),
    (
        "body",
        "实施最严格的生态保护。坚决打赢蓝天保卫战,加强空气质量全达标管理,抓好城市扬尘等污染防治,秸秆离田率达到100%。",
    ),
    (
        "body",
        "发展最优质的生态经济。开展产业提升、流通巩固、消费引领、基础建设、技术创新“五大绿色行动”,推进产业生态化和生态产业化,到2025年,打造1个绿色园区、5个绿色工厂、10个绿色车间。",
    ),
    (
        "body",
        "“绣花功夫”管理城市。做强数字城管平台“城区大脑”,实现信息共享、实时监控、综合处理;打造5条高品质街路、10个“口袋公园”,全面消除建成区裸露地面。",
    ),
    (
        "body",
        "就业创业坚持数量与质量并进。力争新增城镇就业9000人、困难人员就业1500人、退役军人就业500人、农村劳动力转移就业300人,培育人力资源服务企业10家、和谐劳动关系示范企业30家。",
    ),
]


def _page_number_field(paragraph) -> None:
    """ "- PAGE -": Word's page number field between two dashes."""
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def make_plan_docx(path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(105), Mm(148)
    section.left_margin = section.right_margin = Mm(12)
    section.top_margin = section.bottom_margin = Mm(15)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.font.name = "Noto Sans CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    section.header.paragraphs[0].text = HEADER
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)
    for kind, text in PARAGRAPHS:
        paragraph = document.add_paragraph(text)
        if kind == "body":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Pt(20)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if kind == "title" else None
    document.save(path)


def make_scan_pdf(path: Path) -> None:
    page = Image.new("L", (300, 420), 255)
    ImageDraw.Draw(page).rectangle((30, 40, 270, 60), fill=0)  # a "line" of scanned print
    page.save(path, "PDF", resolution=72)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        make_plan_docx(source)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(HERE), str(source)],
            check=True,
        )
    make_scan_pdf(HERE / "scan.pdf")


if __name__ == "__main__":
    main()
