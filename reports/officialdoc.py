"""An official-document layout (GB/T 9704-2012) for python-docx, and PDF conversion with LibreOffice.

A4, margins 37/35/28/26 mm, body 三号 (16 pt) in the body font at a fixed 28.95 pt line pitch (22 lines
of 28 characters), title 二号 (22 pt) in the title font, first-level headings 黑体, page numbers
“— 1 —” in 四号. Font names come from Settings (the official fonts are not free; a machine without them
substitutes — LibreOffice falls back to Noto CJK).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

RED = RGBColor(0xC0, 0x00, 0x00)


class RenderError(Exception):
    """A document could not be produced; the message is for the user (Chinese)."""


@dataclass
class Fonts:
    body: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    heading: str = "黑体"
    kai: str = "楷体_GB2312"

    @classmethod
    def from_settings(cls, settings: object) -> Fonts:
        return cls(
            getattr(settings, "font_body", cls.body),
            getattr(settings, "font_title", cls.title),
            getattr(settings, "font_heading", cls.heading),
        )


def _set_font(
    run, name: str, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None
) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _chinese_defaults(doc) -> None:
    """python-docx's template declares ``w:lang w:eastAsia="en-US"`` in docDefaults; LibreOffice then picks a
    Japanese CJK font for every run without its own language and prints 户, 令, 直, 骨 … in Japanese forms.
    Declare simplified Chinese for the whole document."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


class OfficialDocument:
    """A python-docx Document with the GB/T 9704 page and paragraph helpers."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.doc = Document()
        sec = self.doc.sections[0]
        self._page(sec)
        normal = self.doc.styles["Normal"]
        normal.font.name = fonts.body
        normal.font.size = Pt(16)
        normal.element.get_or_add_rPr()
        rfonts = normal.element.rPr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            normal.element.rPr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), fonts.body)
        lang = OxmlElement("w:lang")  # Chinese text: simplified-Chinese glyphs and line breaking
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.rPr.append(lang)
        _chinese_defaults(self.doc)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28.95)
        pf.space_before = pf.space_after = Pt(0)
        self._footer(sec)

    @staticmethod
    def _page(sec) -> None:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.footer_distance = Mm(20)

    def _footer(self, sec, *, hide_first: bool = False) -> None:
        sec.different_first_page_header_footer = hide_first
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in list(p.runs):
            r._element.getparent().remove(r._element)
        _set_font(p.add_run("— "), "宋体", 14)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)
        _set_font(p.add_run(" —"), "宋体", 14)

    # ------------------------------------------------------------ blocks

    def red_header(self, issuing_body: str, doc_number: str | None) -> None:
        """发文机关标志 in red, the document number, and the red separation line."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(60)
        _set_font(p.add_run(issuing_body), self.fonts.title, 36, color=RED)
        if doc_number:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(p.add_run(doc_number), self.fonts.body, 16)
        p = self.doc.add_paragraph()
        pbdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "C00000")):
            bottom.set(qn(k), v)
        pbdr.append(bottom)
        p._p.get_or_add_pPr().append(pbdr)

    def title(self, text: str, size: float = 22) -> None:
        self.blank()
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        _set_font(p.add_run(text), self.fonts.title, size)
        self.blank()

    def heading(self, text: str, level: int = 1) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        font = self.fonts.heading if level == 1 else self.fonts.kai
        _set_font(p.add_run(text), font, 16, bold=level > 1)

    def centered_heading(self, text: str, size: float = 16) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(text), self.fonts.heading, size)

    def para(
        self,
        text: str,
        *,
        indent: bool = True,
        bold_lead: str | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
    ) -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if align is not None:
            p.alignment = align
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if bold_lead:
            _set_font(p.add_run(bold_lead), self.fonts.kai, 16, bold=True)
        _set_font(p.add_run(text), self.fonts.body, 16)

    def blank(self) -> None:
        self.doc.add_paragraph()

    def signature(self, issuing_body: str, date_text: str) -> None:
        self.blank()
        for text in (issuing_body, date_text):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)
            _set_font(p.add_run(text), self.fonts.body, 16)

    def table(
        self, columns: list[str], rows: list[list[object]], widths_mm: list[float] | None = None
    ) -> None:
        t = self.doc.add_table(rows=1, cols=len(columns))
        t.style = "Table Grid"
        for cell, col in zip(t.rows[0].cells, columns, strict=True):
            self._cell(cell, col, bold=True)
        for row in rows:
            cells = t.add_row().cells
            for cell, v in zip(cells, row, strict=False):
                self._cell(cell, "" if v is None else str(v))
        if widths_mm:
            t.autofit = False
            grid = t._tbl.tblGrid
            for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
                gc.set(qn("w:w"), str(int(Mm(w).twips)))
            for row in t.rows:
                for cell, w in zip(row.cells, widths_mm, strict=False):
                    cell.width = Mm(w)
        self.blank()

    def _cell(self, cell, text: str, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(18)
        p.paragraph_format.first_line_indent = Pt(0)
        _set_font(p.add_run(text), self.fonts.heading if bold else self.fonts.body, 11, bold=False)

    def image(self, path: Path, width_mm: float = 150) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(str(path), width=Mm(width_mm))

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def new_section(self) -> None:
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(sec)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


# ---------------------------------------------------------------- PDF


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# Where the official fonts are missing, fontconfig is told which free fonts look closest: a serif (宋/仿宋)
# for body and title, a sans (黑体) for headings. The machine's own configuration is included first, so
# installed official fonts still win.
_SERIF = [
    "仿宋_GB2312",
    "仿宋",
    "FangSong",
    "方正小标宋简体",
    "方正小标宋_GBK",
    "小标宋",
    "宋体",
    "SimSun",
    "楷体_GB2312",
    "楷体",
    "KaiTi",
]
_SANS = ["黑体", "SimHei", "方正黑体_GBK"]


def _fontconfig_file(profile: Path, extra_names: list[str]) -> Path:
    def alias(name: str, prefer: str) -> str:
        return (
            f'<alias binding="same"><family>{name}</family><prefer><family>{prefer}</family>'
            f"<family>Noto Sans CJK SC</family></prefer></alias>"
        )

    serif = [n for n in dict.fromkeys(_SERIF + extra_names) if n not in _SANS]
    body = "".join(alias(n, "Noto Serif CJK SC") for n in serif) + "".join(
        alias(n, "Noto Sans CJK SC") for n in _SANS
    )
    text = (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + body + "</fontconfig>"
    )
    path = profile / "anjian-fonts.conf"
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def _profile_dir() -> Path:
    """A LibreOffice user profile kept between conversions (building a fresh one costs seconds)."""
    return Path(tempfile.gettempdir()) / f"anjian-lo-profile-{os.getuid() if hasattr(os, 'getuid') else 0}"


def docx_to_pdf(docx: Path, pdf: Path, timeout: float = 120.0, fonts: Fonts | None = None) -> None:
    """Convert with LibreOffice headless. One conversion at a time per profile (a file lock), since two
    soffice processes cannot share a profile."""
    exe = soffice_binary()
    if exe is None:
        raise RenderError(
            "生成 PDF 需要 LibreOffice（apt-get install libreoffice-writer-nogui）；可先导出 .docx"
        )
    profile = _profile_dir()
    profile.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="anjian-lo-") as tmp,
        (profile.parent / (profile.name + ".lock")).open("w") as lock,
    ):
        fcntl.flock(lock, fcntl.LOCK_EX)
        outdir = Path(tmp) / "out"
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        try:
            conf = _fontconfig_file(profile, [fonts.body, fonts.title] if fonts else [])
            env = {**os.environ, "HOME": str(profile), "FONTCONFIG_FILE": str(conf)}
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise RenderError("LibreOffice 转换 PDF 超时") from exc
        produced = outdir / (docx.stem + ".pdf")
        if proc.returncode != 0 or not produced.exists():
            raise RenderError(f"LibreOffice 转换 PDF 失败：{proc.stderr.decode('utf-8', 'replace')[-300:]}")
        shutil.move(str(produced), pdf)


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext), for page numbers of the table of contents and for tests."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return []
    out = subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, timeout=60).stdout
    return out.decode("utf-8", "replace").split("\f")


def leader_lines(
    pdf: Path, first_page: int, last_page: int, min_dots: int = 3
) -> list[tuple[int, float, float]]:
    """(page index, baseline y, x of the last dot) of every dot-leader line on the given pages, top to bottom."""
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for i in range(first_page, min(last_page, len(doc.pages) - 1) + 1):
            rows: dict[float, list[float]] = {}
            for c in doc.pages[i].chars:
                if c["text"] in ".…":
                    rows.setdefault(round(float(c["matrix"][5]), 1), []).append(float(c["x1"]))
            for y in sorted(rows, reverse=True):
                if len(rows[y]) >= min_dots:
                    out.append((i, y, max(rows[y])))
    return out


def stamp_text(
    pdf_in: Path, pdf_out: Path, stamps: list[tuple[int, float, float, str]], size: float = 14
) -> None:
    """Write short ASCII texts (page numbers) right-aligned at x on the baseline y of the given pages."""
    import pikepdf

    with pikepdf.open(str(pdf_in)) as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        by_page: dict[int, list[tuple[float, float, str]]] = {}
        for page, y, x, text in stamps:
            by_page.setdefault(page, []).append((y, x, text))
        for index, items in by_page.items():
            pg = pdf.pages[index]
            if pikepdf.Name.Resources not in pg.obj:
                pg.obj[pikepdf.Name.Resources] = pikepdf.Dictionary()
            resources = pg.obj[pikepdf.Name.Resources]
            if pikepdf.Name.Font not in resources:
                resources[pikepdf.Name.Font] = pikepdf.Dictionary()
            resources[pikepdf.Name.Font][pikepdf.Name("/AnjTOC")] = font
            ops = []
            for y, x, text in items:
                width = 0.556 * size * len(text)  # Helvetica digits
                ops.append(f"BT /AnjTOC {size:g} Tf 1 0 0 1 {x - width:.2f} {y:.2f} Tm ({text}) Tj ET")
            pg.contents_add(pikepdf.Stream(pdf, ("q " + " ".join(ops) + " Q").encode("ascii")), prepend=False)
        pdf.save(str(pdf_out))
