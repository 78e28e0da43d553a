"""Reading a plan file of any format the genre arrives in: text, saved page, PDF, Word."""

import codecs
import io
import json
from pathlib import Path

import docx
import pytest

from planvoice.plans.errors import PlanFormatError
from planvoice.plans.formats import PlanText, read_plan_file
from planvoice.plans.importer import PlanFormatError as ReexportedPlanFormatError
from planvoice.plans.importer import parse_plan, plan_to_dict

DATA = Path(__file__).resolve().parent / "data/formats"
SIMPLIFIED = (
    "二道区未来五年总体规划\n"
    "一、总体要求\n"
    "实施最严格的生态保护。坚决打赢蓝天保卫战,加强空气质量全达标管理,秸秆离田率达到100%。\n"
)
TRADITIONAL = (
    "臺北市未來五年總體規劃\n"
    "一、總體要求\n"
    "實施最嚴格的生態保護。堅決打贏藍天保衛戰,加強空氣質量全達標管理,秸稈離田率達到100%。\n"
)


def test_the_error_is_importable_from_the_importer_as_before():
    assert ReexportedPlanFormatError is PlanFormatError


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "big5"),
        (SIMPLIFIED, "utf-16-le"),
        (SIMPLIFIED, "utf-8"),
    ],
)
def test_text_in_the_offices_encoding_is_read_without_a_bom(text, encoding):
    plan = read_plan_file(text.encode(encoding), "plan.txt")
    assert plan == PlanText(tuple(text.splitlines()), {}, "text")


def test_a_bom_decides_the_encoding():
    data = codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be")
    assert read_plan_file(data).lines == tuple(SIMPLIFIED.splitlines())


SAVED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某区发展规划_规划计划_某区人民政府</title>
<style>p { color: red }</style><script>var a = "<p>脚本里的段落不应出现</p>";</script></head>
<body>
<div class="header"><div class="logo">某区人民政府</div>
  <ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="position">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="main">
  <div class="left-list"><h4>热点新闻</h4><ul>
    <li><a href="/1">某区召开全区经济工作会议部署明年重点任务</a></li>
    <li><a href="/2">某区开展安全生产大检查确保人民群众生命财产安全</a></li></ul></div>
  <div class="article">
    <h1>某区发展规划</h1>
    <div class="pages-date">发布时间:2024-03-01 来源:区发改局</div>
    <div class="TRS_Editor">
      <p>为推动全区高质量发展,制定本规划。</p>
      <h3>一、经济发展</h3>
      <p>推进园区建设,打造2个特色园区,园区产值年均增长10%以上。</p>
      <p>发展夜间经济,建设夜间经济街区,打造3条特色街路,繁荣城市消费。</p>
      <h3>二、社会治理</h3>
      <p>完善网格管理,实现城乡社区网格化服务管理全覆盖。</p>
    </div>
    <div class="bdsharebuttonbox">分享到:<a href="#">微信</a><a href="#">微博</a></div>
    <div class="related"><h4>相关链接</h4>
      <ul><li><a href="/3">某区2023年国民经济和社会发展统计公报</a></li></ul></div>
  </div>
</div>
<div class="footer"><p>主办:某区人民政府办公室 地址:某区某路1号 电话:0431-12345678</p></div>
</body></html>
"""
ARTICLE = (
    "某区发展规划",
    "发布时间:2024-03-01 来源:区发改局",
    "为推动全区高质量发展,制定本规划。",
    "一、经济发展",
    "推进园区建设,打造2个特色园区,园区产值年均增长10%以上。",
    "发展夜间经济,建设夜间经济街区,打造3条特色街路,繁荣城市消费。",
    "二、社会治理",
    "完善网格管理,实现城乡社区网格化服务管理全覆盖。",
)
PARAGRAPHS = "".join(f"<p>{line}</p>" for line in ARTICLE[2:])


def test_a_saved_page_gives_the_article_without_the_site_around_it():
    plan = read_plan_file(SAVED_PAGE.encode(), "plan.html")
    assert plan == PlanText(ARTICLE, {0: 1, 3: 3, 6: 3}, "html")


def test_heading_levels_follow_the_lines_the_importer_keeps():
    plan = PlanText(
        ("首页 > 规划", "某区发展规划", "打印", "一、经济发展", "推进园区建设。"), {1: 1, 3: 3}
    )
    kept = ["某区发展规划", "一、经济发展", "推进园区建设。"]
    assert plan.headings_for(kept) == {0: 1, 1: 3}


def test_a_page_whose_meta_says_gbk_is_read_as_gbk():
    page = SAVED_PAGE.replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
    )
    assert read_plan_file(page.encode("gbk")).lines == ARTICLE


def test_a_body_without_a_title_around_it_takes_the_pages_title():
    page = f"<html><head><title>某区发展规划_某区人民政府</title></head><body>{PARAGRAPHS}</body>"
    plan = read_plan_file(page.encode())
    assert plan.lines == ("某区发展规划", *ARTICLE[2:])
    assert plan.headings == {0: 1}


def test_a_gov_cn_page_keeps_its_title_and_date_blocks_and_drops_the_correction_box():
    page = f"""<html><body><div class="pages-title">某区发展规划</div>
    <div class="pages-date">发布时间：2024-03-01 来源：区发改局</div>
    <div class="pages_content" id="UCAP-CONTENT">{PARAGRAPHS}</div>
    <div class="editor">【我要纠错】 责任编辑：张三</div></body></html>"""
    plan = read_plan_file(page.encode())
    assert plan.lines[:2] == ("某区发展规划", "发布时间：2024-03-01 来源：区发改局")
    parsed = parse_plan(page.encode())
    assert parsed.title == "某区发展规划"
    assert "张三" not in json.dumps(plan_to_dict(parsed), ensure_ascii=False)


def test_a_layout_table_page_gives_the_cell_with_the_article():
    page = f"""<html><body><table><tr>
    <td class="left"><a href="/1">某区召开全区经济工作会议</a><br>
      <a href="/2">某区开展安全检查</a></td>
    <td><table><tr><td class="biaoti"><font size="5">某区发展规划</font></td></tr>
    <tr><td>发布时间：2024-03-01</td></tr><tr><td id="zoom">{PARAGRAPHS}</td></tr></table></td>
    </tr></table></body></html>"""
    assert read_plan_file(page.encode()).lines == (
        "某区发展规划",
        "发布时间：2024-03-01",
        *ARTICLE[2:],
    )


def _word_plan() -> bytes:
    document = docx.Document()
    document.add_heading("某区发展规划", level=1)
    document.add_paragraph("为推动全区高质量发展,制定本规划。")
    document.add_heading("经济发展", level=2)
    document.add_paragraph("推进园区建设,打造2个特色园区。", style="List Number")
    document.add_paragraph("发展夜间经济,打造3条特色街路。", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "建设教育强区,新建学校3所。"
    table.cell(0, 1).text = "打造健康城区,新建卫生服务站5个。"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "新增城镇就业9000人。"
    document.add_heading("社会治理", level=2)
    document.add_paragraph("完善网格管理,实现全覆盖。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_document_gives_paragraphs_tables_list_numbers_and_heading_levels():
    plan = read_plan_file(_word_plan(), "plan.docx")
    assert plan.format == "docx"
    assert plan.lines == (
        "某区发展规划",
        "为推动全区高质量发展,制定本规划。",
        "经济发展",
        "1.推进园区建设,打造2个特色园区。",
        "2.发展夜间经济,打造3条特色街路。",
        "建设教育强区,新建学校3所。",
        "打造健康城区,新建卫生服务站5个。",
        "新增城镇就业9000人。",
        "社会治理",
        "完善网格管理,实现全覆盖。",
    )
    assert plan.headings == {0: 1, 2: 2, 8: 2}


def test_a_pdf_gives_whole_paragraphs_without_running_header_and_page_numbers():
    plan = read_plan_file((DATA / "plan.pdf").read_bytes())
    assert plan.format == "pdf" and plan.headings == {}
    assert plan.lines[:4] == (
        "二道区未来五年总体规划",  # the title stays, though the running header repeats it
        "一、总体要求",
        "今后五年,全区发展总的指导思想是以推动高质量发展为主题,以改革创新为根本动力,"
        "以满足人民日益增长的美好生活需要为根本目的。",
        "二、主要任务",
    )
    # This paragraph runs from the foot of page 1 onto page 2, past "- 1 -" and the header.
    assert (
        "“绣花功夫”管理城市。做强数字城管平台“城区大脑”,实现信息共享、实时监控、综合处理;"
        "打造5条高品质街路、10个“口袋公园”,全面消除建成区裸露地面。"
    ) in plan.lines
    assert len(plan.lines) == 8
    assert plan.lines.count("二道区未来五年总体规划") == 1
    assert not any(line.startswith("-") for line in plan.lines)


@pytest.mark.parametrize("line", ["- 3 -", "—3—", "3", "第3页", "第 3 页 共 9 页", "3/9", "Page 3"])
def test_page_numbers_at_a_page_edge_are_dropped(line):
    from planvoice.plans.formats.pdf import _PAGE_NUMBER_RE

    assert _PAGE_NUMBER_RE.fullmatch(line)
    assert not _PAGE_NUMBER_RE.fullmatch("2025年")


@pytest.mark.parametrize(
    ("number", "style", "label"),
    [
        (3, "decimal", "3"),
        (3, "chineseCounting", "三"),
        (12, "chineseCountingThousand", "十二"),
        (20, "ideographDigital", "二十"),
        (2, "upperLetter", "B"),
        (4, "lowerRoman", "iv"),
        (1, "decimalEnclosedCircle", "①"),
    ],
)
def test_word_list_numbers_are_written_as_word_shows_them(number, style, label):
    from planvoice.plans.formats.word import _format_number

    assert _format_number(number, style) == label


def test_a_scanned_pdf_says_it_has_no_text_layer():
    with pytest.raises(PlanFormatError) as excinfo:
        read_plan_file((DATA / "scan.pdf").read_bytes(), "scan.pdf")
    assert str(excinfo.value).startswith("This PDF has no text layer (it is a scan); ")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (bytes(range(256)) * 10, "plan.txt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "plan.doc"),
        (b"PK\x03\x04" + bytes(100), "plan.docx"),
        (b"%PDF-1.7\n" + bytes(100), "plan.pdf"),
        (SIMPLIFIED.encode(), "plan.pdf"),
    ],
    ids=["binary", "png", "old-word", "broken-zip", "broken-pdf", "text-named-pdf"],
)
def test_files_we_cannot_read_get_a_clear_error(data, filename):
    with pytest.raises(PlanFormatError) as excinfo:
        read_plan_file(data, filename)
    message = str(excinfo.value)
    assert message[0].isupper() and message.endswith(".") and len(message.split()) >= 6


def test_parse_plan_reads_word_and_pdf_plans():
    assert [s.title for s in parse_plan(_word_plan(), "plan.docx").sections] == [
        "经济发展",
        "社会治理",
    ]
    pdf_plan = parse_plan((DATA / "plan.pdf").read_bytes(), "plan.pdf")
    assert [s.number for s in pdf_plan.sections] == ["一、", "二、"]
    assert len(pdf_plan.sections[1].measures) == 4


def test_the_import_command_reads_a_word_file(runner, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_word_plan())

    result = runner.invoke(args=["plan", "import", str(path), "--dry-run", "--json"])

    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["title"] == "某区发展规划"
    assert [s["title"] for s in parsed["sections"]] == ["经济发展", "社会治理"]
    # "2.发展夜间经济…" with paragraphs after it heads them as a group, as in real plans.
    first = parsed["sections"][0]["measures"]
    assert first[0]["title"] == "推进园区建设"
    assert first[1:] and all(m["group"].startswith("发展夜间经济") for m in first[1:])
