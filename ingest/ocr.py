"""OCR of one PDF page: render (pypdfium2), clean (OpenCV), recognise (tesseract chi_sim).

Cleaning, in order: the red court seal is removed (it is the only colour on a judgment page: saturated
red hue → white), grayscale, uneven lighting flattened (divide by a blurred background), small skew
(≤ 3°) measured by projection profiles and undone, Otsu binarisation. Tesseract runs with
``--psm 6`` and ``OMP_THREAD_LIMIT`` (its OpenMP threads fight each other on a small machine) and
returns word boxes (TSV); they become :class:`ingest.layout.Line` objects in PDF points, so the same
paragraph logic serves text-layer and OCR pages.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

import cv2
import numpy as np

from ingest.layout import FULL_SPACE, Line, Page


class OcrError(Exception):
    """Tesseract failed or timed out on a page."""


@dataclass
class OcrPage:
    page: Page  # lines in PDF points
    quality: float  # mean word confidence / 100
    blank: bool  # nothing but paper on the page


_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def render_page(data: bytes, index: int, dpi: int) -> tuple[np.ndarray, float, float]:
    """The page as an RGB array at ``dpi``, and its size in points."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        width, height = page.get_size()
        image = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
        page.close()
    finally:
        pdf.close()
    return np.asarray(image), float(width), float(height)


def remove_red(rgb: np.ndarray) -> np.ndarray:
    """Set saturated red pixels (the seal) to white; black text under the seal stays (it is dark)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = ((h <= 12) | (h >= 165)) & (s >= 70) & (v >= 70)
    red = cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    out = rgb.copy()
    # a dilated ring pixel that is dark is text, not seal: keep it
    out[red & (v >= 70)] = 255
    return out


def flatten(gray: np.ndarray) -> np.ndarray:
    """Divide out uneven lighting and paper tone (background estimated by a large closing)."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    bg = cv2.GaussianBlur(bg, (0, 0), 5)
    bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    norm = cv2.divide(gray.astype(np.float32), np.maximum(bg.astype(np.float32), 1.0), scale=255.0)
    return np.clip(norm, 0, 255).astype(np.uint8)


def skew_angle(binary_ink: np.ndarray, max_deg: float = 3.0, step: float = 0.1) -> float:
    """The rotation (degrees) that makes text rows sharpest, by horizontal projection variance."""
    small = cv2.resize(binary_ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    center = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_deg, max_deg + 1e-9, step):
        m = cv2.getRotationMatrix2D(center, float(angle), 1.0)
        rot = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        score = float(np.var(rot.sum(axis=1, dtype=np.float64)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def clean_page(rgb: np.ndarray) -> np.ndarray:
    """Seal removed, flattened, deskewed, binarised (black text on white)."""
    gray = cv2.cvtColor(remove_red(rgb), cv2.COLOR_RGB2GRAY)
    gray = flatten(gray)
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = (binary == 0).astype(np.uint8)
    angle = skew_angle(ink)
    if abs(angle) >= 0.1:
        h, w = binary.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        binary = cv2.warpAffine(binary, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        _, binary = cv2.threshold(binary, 127, 255, cv2.THRESH_BINARY)
    # specks: drop connected components of a few pixels
    n, labels, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=8)
    tiny = np.where(stats[:, cv2.CC_STAT_AREA] <= 3)[0]
    if n > 1 and len(tiny):
        mask = np.isin(labels, tiny[tiny > 0])
        binary[mask] = 255
    return binary


def tesseract_tsv(image: np.ndarray, lang: str, timeout_s: float, threads: int) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT=str(max(1, threads)))
    with tempfile.TemporaryDirectory(prefix="anjian-ocr-") as tmp:
        path = os.path.join(tmp, "page.png")
        cv2.imwrite(path, image)
        try:
            proc = subprocess.run(
                ["tesseract", path, "stdout", "-l", lang, "--psm", "6", "-c", "preserve_interword_spaces=1", "tsv"],
                capture_output=True,
                timeout=timeout_s,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrError(f"tesseract took longer than {timeout_s:.0f} s") from exc
        except FileNotFoundError as exc:
            raise OcrError("tesseract is not installed") from exc
    if proc.returncode != 0:
        raise OcrError(proc.stderr.decode("utf-8", "replace")[-300:])
    return proc.stdout.decode("utf-8", "replace")


@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float


def tsv_lines(tsv: str) -> tuple[list[list[_Word]], float]:
    """Tesseract TSV → words grouped by line, and the mean word confidence (0..100)."""
    rows = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows, None)
    lines: dict[tuple[int, int, int, int], list[_Word]] = {}
    confs: list[float] = []
    for row in rows:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        conf = float(row[10])
        if not text or conf < 0:
            continue
        key = (int(row[1]), int(row[2]), int(row[3]), int(row[4]))
        lines.setdefault(key, []).append(_Word(text, int(row[6]), int(row[7]), int(row[8]), int(row[9]), conf))
        confs.append(conf)
    ordered = sorted(lines.values(), key=lambda ws: (min(w.top for w in ws), min(w.left for w in ws)))
    return ordered, (sum(confs) / len(confs) if confs else 0.0)


def _is_cjk(ch: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", ch))


def words_to_line(words: list[_Word], scale: float) -> Line:
    """One OCR line in PDF points; a gap of about a character or more becomes ideographic spaces."""
    words = sorted(words, key=lambda w: w.left)
    heights = sorted(w.height for w in words if any(_is_cjk(c) for c in w.text)) or sorted(w.height for w in words)
    em = max(1.0, heights[len(heights) // 2] / 0.92)  # ink height of a CJK glyph ≈ 0.92 em
    parts: list[str] = []
    prev: _Word | None = None
    for w in words:
        if prev is not None:
            gap = w.left - (prev.left + prev.width)
            if gap >= 0.9 * em:
                parts.append(FULL_SPACE * max(1, round(gap / em)))
            elif gap >= 0.3 * em and not (_is_cjk(prev.text[-1]) or _is_cjk(w.text[0])):
                parts.append(" ")
        parts.append(w.text)
        prev = w
    text = _SPACE_BETWEEN_CJK.sub("", "".join(parts))
    return Line(
        x0=words[0].left * scale,
        x1=max(w.left + w.width for w in words) * scale,
        top=min(w.top for w in words) * scale,
        bottom=max(w.top + w.height for w in words) * scale,
        size=em * scale,
        text=text,
    )


def ocr_page(data: bytes, index: int, dpi: int, lang: str, timeout_s: float, threads: int) -> OcrPage:
    """Render, clean and recognise page ``index`` (0-based) of a PDF."""
    rgb, width, height = render_page(data, index, dpi)
    binary = clean_page(rgb)
    if float((binary == 0).mean()) < 0.0003:
        return OcrPage(Page(index + 1, width, height, []), 0.0, blank=True)
    words, conf = tsv_lines(tesseract_tsv(binary, lang, timeout_s, threads))
    scale = 72.0 / dpi
    lines = [words_to_line(ws, scale) for ws in words if ws]
    lines = _uniform_sizes([ln for ln in lines if ln.text.strip()])
    return OcrPage(Page(index + 1, width, height, lines), round(conf / 100.0, 3), blank=not lines)


def _uniform_sizes(lines: list[Line]) -> list[Line]:
    """OCR size estimates are noisy: lines within 25% of the page's median size get the median."""
    if not lines:
        return lines
    sizes = sorted(ln.size for ln in lines)
    median = sizes[len(sizes) // 2]
    for ln in lines:
        if abs(ln.size - median) <= 0.25 * median:
            ln.size = median
    return lines
