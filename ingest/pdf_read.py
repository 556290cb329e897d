"""The PDF path of ``read_document``: check → text layer (sandboxed) → OCR where needed → assemble."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.taxonomy import RejectReason
from ingest.errors import Rejected
from ingest.hygiene import strip_controls, too_many_chars
from ingest.layout import Page, assemble, remove_furniture
from ingest.pdf_text import RawPage, extract_lines, inspect_pdf_in_child
from ingest.record import FileKind, PageInfo, PageSource, ReadDocument, ReadLimits
from ingest.sandbox import SandboxCrash, SandboxMemoryError, SandboxTimeout, run_limited
from ingest.text_quality import text_plausibility

if TYPE_CHECKING:
    from ingest.ocr import OcrPage


# ``ocr_cache(number)``: an already recognised page (1-based number), or None to OCR it here.
OcrCache = Callable[[int], "OcrPage | None"]
# ``progress(done, total)``: pages read so far of the file's pages.
Progress = Callable[[int, int], None]


def read_pdf(
    data: bytes, limits: ReadLimits, *, ocr_cache: OcrCache | None = None, progress: Progress | None = None
) -> ReadDocument:
    """Read a PDF. ``ocr_cache`` supplies pages recognised elsewhere (e.g. by workers OCR-ing page ranges
    in parallel); ``progress`` is told after each page. Both default to None: everything read here."""

    info = _sandboxed(inspect_pdf_in_child, (data, limits.max_pages), limits)
    info.data = info.data or data
    warnings: list[str] = ["repaired"] if info.repaired else []
    raw = _text_layer(info.data, limits)

    pages: list[Page] = []
    sources: list[PageSource] = []
    qualities: list[float] = []
    # judge each page's text layer without its furniture (a URL footer is not mojibake)
    bare = remove_furniture([rp.page for rp in raw])
    total = len(raw)
    for done, (rp, bare_page) in enumerate(zip(raw, bare, strict=True)):
        if progress is not None and done:
            progress(done, total)
        page_text = "\n".join(ln.text for ln in bare_page.lines)
        if not page_text.strip() and rp.n_glyphs and not rp.has_image:
            need_ocr, fallback, quality = False, False, 1.0  # nothing but a page number or header
        elif not page_text.strip():
            need_ocr, fallback, quality = True, False, 0.0
        else:
            quality = text_plausibility(page_text)
            need_ocr = fallback = quality < limits.min_text_quality
        if not need_ocr and rp.hidden and page_text.strip():
            # text the page does not show: what the page shows wins (OCR), unless both say the same
            if not limits.ocr:
                _add(warnings, "hidden_text_unchecked")
            else:
                ocr = ocr_cache(rp.page.number) if ocr_cache is not None else None
                ocr = ocr if ocr is not None else _ocr(info.data, rp, limits)
                shown = "\n".join(ln.text for ln in ocr.page.lines)
                if agreement(page_text, shown) < MIN_AGREEMENT:
                    _add(warnings, "hidden_text")
                    pages.append(ocr.page)
                    sources.append(PageSource.ocr if not ocr.blank else PageSource.text_layer)
                    qualities.append(ocr.quality)
                    continue
        if not need_ocr:
            pages.append(rp.page)
            sources.append(PageSource.text_layer)
            qualities.append(quality)
            continue
        if not limits.ocr:
            pages.append(Page(rp.page.number, rp.page.width, rp.page.height, []))
            sources.append(PageSource.text_layer)
            qualities.append(0.0)
            _add(warnings, "ocr_skipped")
            continue
        ocr = ocr_cache(rp.page.number) if ocr_cache is not None else None
        if ocr is None:
            ocr = _ocr(info.data, rp, limits)
        pages.append(ocr.page)
        sources.append(PageSource.ocr if not ocr.blank else PageSource.text_layer)
        qualities.append(ocr.quality)
        if fallback:
            _add(warnings, "ocr_fallback")

    if not any(p.lines for p in pages):
        if "ocr_skipped" in warnings:
            raise Rejected(
                RejectReason.ocr_failed,
                "该 PDF 没有可用的文字层，需要文字识别（OCR），但 OCR 未启用。",
                warnings,
            )
        raise Rejected(RejectReason.blank, "PDF 中没有任何文字（空白页面，文字识别也未找到内容）。", warnings)

    if progress is not None:
        progress(total, total)
    for page in pages:
        for line in page.lines:
            line.text = strip_controls(line.text)
    text, spans, furniture = assemble(pages)
    if len(text) > limits.max_chars:
        raise too_many_chars(len(text), limits)
    ocr_q = [q for q, s in zip(qualities, sources, strict=True) if s is PageSource.ocr]
    if ocr_q and sum(ocr_q) / len(ocr_q) < 0.6:
        _add(warnings, "low_quality")
    infos = [
        PageInfo(number=p.number, source=s, quality=max(0.0, min(1.0, q)), start=a, end=b)
        for p, s, q, (a, b) in zip(pages, sources, qualities, spans, strict=True)
    ]
    kind = FileKind.scan_pdf if PageSource.ocr in sources else FileKind.text_pdf
    return ReadDocument(kind=kind, text=text, pages=infos, warnings=warnings, furniture=furniture)


MIN_AGREEMENT = 0.6  # OCR of the page against its own text layer: same text ≥ 0.8, another judgment's ≈ 0.3


def agreement(layer: str, shown: str) -> float:
    """How much of what the page shows (OCR) the text layer also says: the share of the OCR text's
    character pairs (blanks removed) found among the text layer's. 0 when the page shows nothing."""
    a, b = "".join(layer.split()), "".join(shown.split())
    theirs = {a[i : i + 2] for i in range(len(a) - 1)}
    ours = [b[i : i + 2] for i in range(len(b) - 1)]
    if not ours:
        return 0.0
    return sum(p in theirs for p in ours) / len(ours)


def _add(warnings: list[str], code: str) -> None:
    if code not in warnings:
        warnings.append(code)


def _text_layer(data: bytes, limits: ReadLimits) -> list[RawPage]:
    return _sandboxed(extract_lines, (data, limits.pdf_reader), limits)  # type: ignore[no-any-return]


def _sandboxed(fn: Callable[..., Any], args: tuple, limits: ReadLimits) -> Any:
    try:
        return run_limited(fn, args, timeout_s=limits.parse_timeout_s, memory_mb=limits.max_memory_mb)
    except SandboxTimeout as exc:
        raise Rejected(
            RejectReason.timeout,
            f"读取 PDF 超过 {limits.parse_timeout_s:.0f} 秒仍未完成，已中止；文件可能过于复杂或已损坏。",
        ) from exc
    except SandboxMemoryError as exc:
        raise Rejected(
            RejectReason.timeout,
            f"读取 PDF 所需内存超过 {limits.max_memory_mb} MB 的上限，已中止；文件可能过于复杂或已损坏。",
        ) from exc
    except SandboxCrash as exc:
        raise Rejected(RejectReason.corrupt, "PDF 文件已损坏，无法读取其中的文字。") from exc


def _ocr(data: bytes, rp: RawPage, limits: ReadLimits) -> OcrPage:
    return ocr_pdf_page(data, rp.page.number, limits)


def ocr_pdf_page(data: bytes, number: int, limits: ReadLimits) -> OcrPage:
    """OCR page ``number`` (1-based) of a PDF in the sandbox, exactly as the reader does.
    Raises ``Rejected`` (ocr_failed) when it times out or fails."""
    from ingest.ocr import OcrError, ocr_page

    args = (
        data,
        number - 1,
        limits.ocr_dpi,
        limits.ocr_lang,
        limits.ocr_timeout_s,
        limits.ocr_threads,
    )
    try:
        # rendering and cleaning run in the sandbox too: a hostile page must not hang the batch
        return run_limited(
            ocr_page, args, timeout_s=limits.ocr_timeout_s + 30, memory_mb=limits.max_memory_mb
        )
    except (SandboxTimeout, SandboxMemoryError) as exc:
        raise Rejected(
            RejectReason.ocr_failed, f"第 {number} 页文字识别超时或超出内存上限，已中止。"
        ) from exc
    except (SandboxCrash, OcrError) as exc:
        raise Rejected(RejectReason.ocr_failed, f"第 {number} 页文字识别失败：{str(exc)[:120]}") from exc
