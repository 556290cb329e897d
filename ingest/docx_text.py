"""DOCX as clerks save them: body paragraphs (and table cells) in order; headers and footers (page
number fields) are not part of the text."""

from __future__ import annotations

import io
import zipfile

from core.taxonomy import RejectReason
from ingest.errors import Rejected


def read_docx(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Rejected(RejectReason.corrupt, "Word 文件已损坏，无法打开。") from exc
    except Exception as exc:  # lxml errors on broken XML
        raise Rejected(RejectReason.corrupt, f"Word 文件无法解析：{str(exc)[:120]}") from exc
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(_paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [
                    " ".join(_paragraph_text(p) for p in tc.iter(qn("w:p"))).strip()
                    for tc in row.iter(qn("w:tc"))
                ]
                lines.append("　".join(c for c in cells if c))
    return "\n".join(ln.strip(" ") for ln in lines if ln.strip())


def _paragraph_text(p) -> str:  # noqa: ANN001 - an lxml element
    from docx.oxml.ns import qn

    parts: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)
