"""Dates as courts write them: 二〇一九年十月三十日, 2019年10月30日, OCR's 二O一九 / 二0一九 / 二○一九."""

from __future__ import annotations

import re
from datetime import date

_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "o": 0,
    "0": 0,
    "Ο": 0,
    "о": 0,
    "◯": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZERO_LIKE = "〇○零Oo0Ο◯о"
_CN = "一二三四五六七八九十" + _ZERO_LIKE + "两"

CN_DATE_RE = re.compile(
    rf"([{_CN}0-9１-９０]{{3,4}})\s*年\s*([{_CN}0-9]{{1,3}})\s*月\s*([{_CN}0-9]{{1,4}})\s*日"
)
PLACEHOLDER_DATE_RE = re.compile(r"[×xX＊*Ｘ]{2,4}\s*年\s*[×xX＊*Ｘ]{1,2}\s*月\s*[×xX＊*Ｘ]{1,2}\s*日")


def cn_number(s: str) -> int | None:
    """一百二十三 → 123, 十五 → 15, 二十 → 20, 三〇 → 30, 12 → 12 (up to 9999)."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _DIGITS for ch in s):  # positional: 二〇一九, 三〇
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, current = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "两":
            current = 2
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


def parse_cn_date(s: str) -> str | None:
    """The first date in ``s`` as ISO yyyy-mm-dd, or None (placeholders ××××年××月××日, impossible dates)."""
    m = CN_DATE_RE.search(s)
    if not m:
        return None
    year_text = m.group(1).translate(str.maketrans("１２３４５６７８９０", "1234567890"))
    digits = "".join(str(_DIGITS.get(ch, ch)) for ch in year_text)
    if len(digits) == 3 and digits[0] == "2":  # the 〇 of 二〇一七 lost (under a seal, or read as a speck)
        digits = digits[0] + "0" + digits[1:]
    if len(digits) != 4:
        return None
    year = cn_number(digits)
    month, day = cn_number(m.group(2)), cn_number(m.group(3))
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
