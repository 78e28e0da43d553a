"""Build the DOCX and PDF members of the plan corpus from their public source texts.

Run by hand (not by the tests), from the repository root:

    .venv/bin/python tests/plans/corpus/build_documents.py

Inputs (UTF-8 text, one published paragraph a line, wording untouched):
    tests/plans/corpus/build/hainan-2026-work-report.txt
    tests/plans/corpus/build/sichuan-2026-work-report.txt

Outputs, written next to this script:
    hainan-2026-work-report.docx   real Title / Heading 1 / Heading 2 / Heading 3 styles
    sichuan-2026-work-report.pdf   via LibreOffice (soffice --headless); text layer,
                                   a running header and "— N —" page numbers that a
                                   reader has to drop

The source texts are excerpts of the published reports (see SOURCES.md); this
script only decides paragraph styles, it never changes a character of the text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
BUILD = HERE / "build"

CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")
SUBSECTION = re.compile(r"^（[一二三四五六七八九十]+）")
CJK_FONT = "Noto Sans CJK SC"


def _set_east_asian_font(style, name: str) -> None:
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _new_document() -> Document:
    document = Document()
    for style_name in (
        "Normal",
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Header",
        "Footer",
    ):
        _set_east_asian_font(document.styles[style_name], CJK_FONT)
    document.styles["Normal"].font.size = Pt(11)
    return document


def _single_weight(document: Document) -> None:
    """Keep one font weight so the PDF embeds a single CJK subset (stays < 300 KB)."""
    for style_name in ("Heading 1", "Heading 2"):
        style = document.styles[style_name]
        style.font.bold = False
        style.font.italic = False


def _is_lead_heading(line: str, following: str | None) -> bool:
    """A short stand-alone sentence followed by its paragraph (Hainan's bold sub-heads)."""
    return (
        len(line) <= 30
        and line.endswith("。")
        and not SUBSECTION.match(line)
        and following is not None
        and len(following) > len(line)
    )


def _add_page_number_field(paragraph) -> None:
    """Append a PAGE field wrapped as “— N —”."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    paragraph.add_run(" —")


def build_hainan_docx() -> Path:
    lines = (BUILD / "hainan-2026-work-report.txt").read_text(encoding="utf-8").splitlines()
    document = _new_document()
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if index == 0:
            document.add_paragraph(line, style="Title")
        elif index in (1, 2):
            paragraph = document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif CHAPTER.match(line):
            document.add_paragraph(line, style="Heading 1")
        elif SUBSECTION.match(line):
            document.add_paragraph(line, style="Heading 2")
        elif _is_lead_heading(line, following):
            document.add_paragraph(line, style="Heading 3")
        else:
            document.add_paragraph(line)
    target = HERE / "hainan-2026-work-report.docx"
    document.save(target)
    return target


def build_sichuan_pdf() -> Path:
    lines = (BUILD / "sichuan-2026-work-report.txt").read_text(encoding="utf-8").splitlines()
    document = _new_document()
    _single_weight(document)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = "2026年四川省人民政府工作报告"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_number_field(footer)
    for index, line in enumerate(lines):
        if index == 0:
            document.add_paragraph(line, style="Title")
        elif index in (1, 2):
            paragraph = document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif CHAPTER.match(line):
            document.add_paragraph(line, style="Heading 1")
        elif SUBSECTION.match(line):
            document.add_paragraph(line, style="Heading 2")
        else:
            document.add_paragraph(line)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    target = HERE / "sichuan-2026-work-report.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sichuan-2026-work-report.docx"
        document.save(source)
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True,
            capture_output=True,
            env={"HOME": tmp, "PATH": "/usr/bin:/bin"},
        )
        shutil.copyfile(Path(tmp) / "sichuan-2026-work-report.pdf", target)
    return target


def main() -> None:
    for built in (build_hainan_docx(), build_sichuan_pdf()):
        print(f"{built.relative_to(HERE)}: {built.stat().st_size} bytes")


if __name__ == "__main__":
    main()
