"""HTML saved from a court website: the visible text, one block element per line."""

from __future__ import annotations

import re

from core.taxonomy import RejectReason
from ingest.errors import Rejected

_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "hr",
}
# page chrome of saved judgment pages: the page-title box repeats the case title above the document
_CHROME_CLASS = re.compile(r"PDF_title|header|footer|nav|menu|breadcrumb|toolbar", re.IGNORECASE)


def read_html(data: bytes) -> str:
    import lxml.html

    text = _decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except MemoryError:
        raise
    except Exception as exc:  # lxml raises ParserError and friends
        from ingest.sandbox import near_memory_limit

        if near_memory_limit():  # libxml2 ran out of the sandbox's memory
            raise MemoryError(str(exc)) from exc
        raise Rejected(RejectReason.corrupt, "网页文件无法解析。") from exc
    lines = _lines(root)
    if not lines and _deepest(root) >= MAX_DEPTH - 1:
        raise Rejected(
            RejectReason.corrupt,
            f"网页的标签嵌套超过 {MAX_DEPTH} 层，无法读取其中的文字：请用浏览器打开后另存为 PDF 再上传。",
        )
    return "\n".join(lines)


MAX_DEPTH = 255  # libxml2 stops building the tree below this depth (what is deeper is lost)


def _deepest(root) -> int:  # noqa: ANN001 - an lxml element
    depth, stack = 0, [(root, 0)]
    while stack:
        el, d = stack.pop()
        depth = max(depth, d)
        stack.extend((child, d + 1) for child in el)
    return depth


def _lines(root) -> list[str]:  # noqa: ANN001 - an lxml element
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\r\n]+", " ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(el) -> None:  # noqa: ANN001 - an lxml element
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or _CHROME_CLASS.search(el.get("class", "") or "") or _hidden(el):
            if el.tail and current is not None:
                current.append(el.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            current.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return lines


def _hidden(el) -> bool:  # noqa: ANN001
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _decode(data: bytes) -> str:
    head = data[:2048].decode("ascii", "replace")
    m = re.search(r"charset=[\"']?([A-Za-z0-9_-]+)", head)
    for enc in ([m.group(1)] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")
