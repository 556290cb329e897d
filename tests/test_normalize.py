"""normalize(): width folding and spacing with an offset map back to the raw text."""

from __future__ import annotations

import pytest

from core.normalize import normalize_case_no
from ingest.normalize import normalize, raw_span


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（2019）豫 0721 行初 15 号", "（2019）豫0721行初15号"),  # LibreOffice spaces between CJK and digits
        ("（２０１９）豫０７２１行初１５号", "（2019）豫0721行初15号"),  # full-width digits
        ("审　判　长　　吴宏丽", "审判长吴宏丽"),  # ideographic spaces in the signature block
        ("(2001)浙行再字第10号", "（2001）浙行再字第10号"),
        ("Panasonic  Corporation 商标", "Panasonic Corporation商标"),  # Latin words keep one space
        ("第一段\n 第二段", "第一段\n第二段"),  # newlines kept
    ],
)
def test_normalize_folds_width_and_spacing(raw: str, expected: str) -> None:
    norm, offsets = normalize(raw)
    assert norm == expected
    assert len(offsets) == len(norm)


def test_offsets_point_at_the_same_character_in_the_raw_text() -> None:
    raw = "原告　张 三诉被告（２０１９）号"
    norm, offsets = normalize(raw)
    start = norm.index("张三")
    a, b = raw_span(offsets, start, start + 2, len(raw))
    assert raw[a:b] == "张 三"
    for i, ch in enumerate(norm):
        if ch.isdigit():
            assert raw[offsets[i]] in "0123456789０１２３４５６７８９"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("〔2019〕豫0721行初15号", "（2019）豫0721行初15号"),
        ("[2019]豫0721行初15号", "（2019）豫0721行初15号"),
        ("［2019］豫 0721 行初 15 号", "（2019）豫0721行初15号"),
        ("(2014)南行非审字第35号", "（2014）南行非审字第35号"),
        ("（２０２０）皖02行终121号之一", "（2020）皖02行终121号之一"),
    ],
)
def test_normalize_case_no(raw: str, expected: str) -> None:
    assert normalize_case_no(raw) == expected
