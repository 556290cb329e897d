"""The PDF path of ``read_document``: check → text layer (sandboxed) → OCR where needed → assemble."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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
    if progress is None and ocr_cache is None:
        # the common case — a text layer that needs no OCR — is read to the end in the sandbox: the caller
        # gets the document, not every line's geometry to lay out itself
        got = _sandboxed(read_text_layer_only, (info.data, limits, warnings), limits)
        if isinstance(got, ReadDocument):
            return got
        raw = got
    else:
        raw = _text_layer(info.data, limits)

    # judge each page's text layer without its furniture (a URL footer is not mojibake)
    bare = remove_furniture([rp.page for rp in raw])
    total = len(raw)
    judged = [_judge(rp, bare_page, limits) for rp, bare_page in zip(raw, bare, strict=True)]
    ahead = _ocr_ahead(info.data, raw, judged, limits, ocr_cache)
    try:
        return _pages_read(info, raw, judged, ahead, warnings, limits, ocr_cache, progress, total)
    finally:
        for future in ahead.values():  # a page failed: the ones not needed any more are not waited for
            future.cancel()


def read_text_layer_only(
    data: bytes, limits: ReadLimits, warnings: list[str]
) -> ReadDocument | list[RawPage]:
    """In the sandbox: the whole document when no page needs OCR (nor an OCR check of hidden text), else
    the raw pages, for the caller to go on with the OCR as :func:`read_pdf` does."""
    raw = extract_lines(data, limits.pdf_reader)
    bare = remove_furniture([rp.page for rp in raw])
    judged = [_judge(rp, bare_page, limits) for rp, bare_page in zip(raw, bare, strict=True)]
    if any(need_ocr or rp.hidden for rp, (_, need_ocr, _, _) in zip(raw, judged, strict=True)):
        return raw
    info = _NoOcr(data)
    return _pages_read(info, raw, judged, {}, list(warnings), limits, None, None, len(raw))


class _NoOcr:
    def __init__(self, data: bytes) -> None:
        self.data = data


def _judge(rp: RawPage, bare_page: Page, limits: ReadLimits) -> tuple[str, bool, bool, float]:
    """(text without furniture, needs OCR, is a fallback from a garbled layer, quality) of one page."""
    page_text = "\n".join(ln.text for ln in bare_page.lines)
    if not page_text.strip() and rp.n_glyphs and not rp.has_image:
        return page_text, False, False, 1.0  # nothing but a page number or header
    if not page_text.strip():
        return page_text, True, False, 0.0
    quality = text_plausibility(page_text)
    bad = quality < limits.min_text_quality
    return page_text, bad, bad, quality


def _ocr_ahead(
    data: bytes,
    raw: list[RawPage],
    judged: list[tuple[str, bool, bool, float]],
    limits: ReadLimits,
    ocr_cache: Any,
) -> dict[int, Future[OcrPage]]:
    """With ``limits.ocr_parallel`` > 1, the pages that will be OCR'd (those the text layer cannot give,
    and hidden-text pages, which are checked against their OCR) start at once, each in its own warm
    sandbox: a long scan is recognised on every core. The same call per page as one at a time, so the
    same text. Pages ``ocr_cache`` already holds are not started."""
    if not limits.ocr or limits.ocr_parallel <= 1:
        return {}
    wanted = [
        rp.page.number
        for rp, (text, need_ocr, _, _) in zip(raw, judged, strict=True)
        if need_ocr or (rp.hidden and text.strip())
    ]
    if ocr_cache is not None:
        wanted = [n for n in wanted if ocr_cache(n) is None]
    if len(wanted) < 2:
        return {}
    pool = _ocr_pool(limits.ocr_parallel)
    return {n: pool.submit(ocr_pdf_page, data, n, limits) for n in wanted}


_pools_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}


def _ocr_pool(size: int) -> ThreadPoolExecutor:
    """A lasting pool of ``size`` threads (each keeps its sandbox warm from page to page and file to file)."""
    with _pools_lock:
        pool = _pools.get(size)
        if pool is None:
            pool = _pools[size] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="ocr-page")
        return pool


def _pages_read(
    info: Any,
    raw: list[RawPage],
    judged: list[tuple[str, bool, bool, float]],
    ahead: dict[int, Future[OcrPage]],
    warnings: list[str],
    limits: ReadLimits,
    ocr_cache: Any,
    progress: Any,
    total: int,
) -> ReadDocument:
    pages: list[Page] = []
    sources: list[PageSource] = []
    qualities: list[float] = []

    def _ocr(data: bytes, rp: RawPage, limits: ReadLimits) -> OcrPage:
        future = ahead.pop(rp.page.number, None)
        return future.result() if future is not None else ocr_pdf_page(data, rp.page.number, limits)

    for done, (rp, (page_text, need_ocr, fallback, quality)) in enumerate(zip(raw, judged, strict=True)):
        if progress is not None and done:
            progress(done, total)
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
