"""Quantities as Chinese plans write them: a number, an optional range, a unit, a suffix.

A quantity is an Arabic number ("9000", "1.2", "3,000") or a Chinese numeral ("两千",
"三百", "一点五"), optionally a range ("4.5%—5%", "1~2个", "三至五个"), then a unit from the
list below, kept as written with its large prefix ("万人", "万亿元", "千米"), then an optional
suffix (以上, 以下, 以内, 左右). "百分之九十" is 90 %. A Chinese numeral counts only when a unit
follows and cn2an reads it in strict mode, so names such as 七横五纵, 一网通办, 三大攻坚战 and
"十四五" never become numbers. ``is_count`` rejects what only looks like a count: numbers in
quotes, codes and versions (5G, 0431-…), ordinals (第3, 前10名), durations ("3个月"), classes
and compound units (30万千瓦级, 3人制, 亿元/平方公里). The rest is decided in ``targets``.

cn2an is imported on first use: most measures have no Chinese numeral, and app start-up
should not pay for it.
"""

from __future__ import annotations

import re
from functools import cache

# Counting nouns that follow 个 ("30个班次"): the noun is the unit, so the subject stays the
# thing being done (干部教育培训) rather than the word 班次.
COUNT_NOUNS = ("班次", "批次", "场次", "人次", "户次", "架次", "车次")
_BASE_UNITS = (
    "微克/立方米|平方公里|平方米|立方米|公里|千米|公顷|千瓦时|千瓦|兆瓦|个百分点|"
    + "|".join(COUNT_NOUNS)
    + "|元|人|名|个|条|家|所|座|处|项|件|台|辆|套|户|间|张|场|次|批|支|吨|亩|米|床|栋|棵|株"
    "|只|头|部|篇|期|门|种|类|款|本|册|块|片|段|根|盏|对|组|队|倍|斤|方"
    # A bare 万 or 亿 at the end of a clause ("新增人口100万").
    r"|(?<=\d)(?:万亿|万|亿)(?=[、,\uff0c;\uff1b。\s]|$)"
)
# A rate describes the thing written before it; it never counts a noun written after it.
RATE_UNITS = frozenset({"%", "‰", "个百分点", "倍"})

_CN_DIGITS = "零〇一二两三四五六七八九"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
# Starts on a digit or 十, never on 百/千 alone (千家万户 is not 1000 households).
_CHINESE = rf"[{_CN_DIGITS}十][{_CN_DIGITS}十百千]*(?:点[{_CN_DIGITS}]+)?"
_NUM = rf"(?:{_ARABIC}|{_CHINESE})"
QUANTITY_RE = re.compile(
    rf"(?<![\d.{_CN_DIGITS}十百千万亿])"
    r"(?P<percent_of>百分之)?"
    rf"(?P<num>{_NUM})"
    rf"(?:[%\uff05]?\s*(?:[~～\-–至]|—{{1,2}})\s*(?P<upper>{_NUM}))?"
    rf"(?P<unit>[%\uff05‰]|个(?:{'|'.join(COUNT_NOUNS)})|(?:万亿|[百千万亿])?(?:{_BASE_UNITS}))?"
    r"(?P<suffix>及以上|以上|及以下|以下|以内|左右)?"
)
_CHINESE_RE = re.compile(_CHINESE)


def is_chinese(raw: str) -> bool:
    """True for a Chinese numeral ("两千"), False for an Arabic number ("2000")."""
    return bool(_CHINESE_RE.fullmatch(raw))


def read_number(raw: str) -> int | float | None:
    """The value of an Arabic number or a Chinese numeral; None when it is not a numeral.

    Integral values come back as int ("2.0" → 2), so they print as the plan wrote them.
    """
    if is_chinese(raw):
        value = _read_chinese(raw)
        if value is None:
            return None
    else:
        value = float(raw.replace(",", ""))
    return int(value) if float(value).is_integer() else value


@cache
def _read_chinese(raw: str) -> int | float | None:
    import cn2an  # lazily: ~100 ms of imports that most measures never need

    try:
        # strict mode refuses digit strings such as 十四五 and 一二三; it wants 二 and 零.
        return cn2an.cn2an(raw.replace("两", "二").replace("〇", "零"), "strict")
    except ValueError:
        return None


def unit_of(match: re.Match[str]) -> str:
    """The unit as written, with 百分之 and the full-width percent sign read as "%"."""
    unit = match["unit"] or ""
    if match["percent_of"] and not unit:
        return "%"
    unit = unit.replace("\uff05", "%")
    return unit.removeprefix("个") if unit.removeprefix("个") in COUNT_NOUNS else unit


_DURATION_AFTER_GE = ("月", "小时", "工作日", "季度", "年")
_NAME_AFTER_GE_RE = re.compile(
    r"[一二两三四五六七八九十百千\d]+(?:年|个|$|[”\"’、,\uff0c。;\uff1b])"
)


def is_count(text: str, match: re.Match[str], quoted: list[tuple[int, int]]) -> bool:
    """False for numbers that are names, versions, ordinals, codes or durations, not counts.

    ``quoted`` holds the spans of quoted text (“484”监督体系): a number inside is a name.
    """
    start, end = match.start(), match.end()
    if any(q_start < start < q_end for q_start, q_end in quoted):
        return False  # “484”监督体系, “1+1+1”招商模式
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if (before.isascii() and before.isalnum()) or before in "+.-第前":
        return False  # G1, 1+1, 第3, 前10名
    if (after.isascii() and after.isalnum()) or after in "+/级制型":
        return False  # 5G, 5.4亿元/平方公里, 30万千瓦级机组, 3人制篮球场
    if re.fullmatch(r"0\d+", match["num"]):
        return False  # 0431-84651234: a telephone number
    if match["unit"] == "个":
        # "3个月" is a duration; "六个一", "两个一百年" are names.
        return not (text.startswith(_DURATION_AFTER_GE, end) or _NAME_AFTER_GE_RE.match(text, end))
    return True
