"""DOCX as clerks save them: body paragraphs (and table cells) in order; headers and footers (page
number fields) are not part of the text."""

from __future__ import annotations

import io
import zipfile

from core.taxonomy import RejectReason
from ingest.errors import Rejected

MAX_MEMBERS = 5000  # a Word file has a few dozen parts; thousands are a zip built to exhaust the reader
_CHUNK = 1 << 20


def check_zip(data: bytes, max_unzipped: int) -> None:
    """Refuse a zip whose members inflate past ``max_unzipped`` bytes together, by their declared sizes
    first (cheap) and then by really inflating them chunk by chunk (sizes can lie). Raises ``Rejected``
    (bomb / encrypted / corrupt)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _bomb(f"其中有 {len(infos)} 个部件（正常的 Word 文件只有几十个）")
            declared = sum(i.file_size for i in infos)
            if declared > max_unzipped:
                raise _bomb(f"声明解压后共 {_mb(declared)}，超过 {_mb(max_unzipped)} 的上限")
            if any(i.flag_bits & 0x1 for i in infos):
                raise _password()
            total = 0
            for info in infos:
                with z.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        total += len(chunk)
                        if total > max_unzipped:
                            raise _bomb(f"实际解压后超过 {_mb(max_unzipped)} 的上限")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise Rejected(RejectReason.corrupt, f"Word 文件已损坏，无法打开：{str(exc)[:80]}") from exc
    except NotImplementedError as exc:  # an unknown compression method
        raise Rejected(RejectReason.corrupt, "Word 文件使用了不支持的压缩方式，无法打开。") from exc


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _bomb(why: str) -> Rejected:
    return Rejected(
        RejectReason.bomb,
        f"该 Word 文件是“解压炸弹”：{why}，已拒绝读取。请用 Word 打开后另存为新文件再上传。",
    )


def _password() -> Rejected:
    return Rejected(
        RejectReason.encrypted,
        "Word 文件设置了打开密码。请提供密码，或在 Word 中取消密码后重新上传；系统不会尝试破解密码。",
    )


def read_docx_limited(data: bytes, max_unzipped: int) -> str:
    """:func:`read_docx` after :func:`check_zip` (what the sandbox runs)."""
    check_zip(data, max_unzipped)
    return read_docx(data)


def read_docx(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Rejected(RejectReason.corrupt, "Word 文件已损坏，无法打开。") from exc
    except MemoryError:
        raise
    except Exception as exc:  # lxml errors on broken XML
        if _out_of_memory(exc):
            raise MemoryError(str(exc)) from exc
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


def _out_of_memory(exc: Exception) -> bool:
    """libxml2 reports a failed allocation as a parse error ("unknown error", "Unable to allocate")."""
    from ingest.sandbox import near_memory_limit

    message = str(exc).lower()
    return "alloc" in message or "memory" in message or near_memory_limit()


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
