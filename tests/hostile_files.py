"""A generator of hostile files, built in memory by the tests (nothing here is committed as a file).

Each builder returns the bytes of one file an attacker or a clumsy operator could hand the service:
decompression bombs, pages the size the PDF spec allows, password-protected and old binary Word files,
text in the encodings clerks really save. ``JUDGMENT`` is a short administrative judgment written for
these tests, so the real-judgment variants must be stored while the hostile ones are refused.
"""

from __future__ import annotations

import io
import struct
import zipfile

JUDGMENT = """河北省某某县人民法院
行 政 判 决 书
（2024）冀0101行初12号
原告张三，男，1970年1月1日出生，住某某县。
被告某某县人力资源和社会保障局，住所地某某县人民路1号。
法定代表人李四，局长。
原告张三不服被告某某县人力资源和社会保障局工伤认定一案，本院于2024年3月1日立案后，依法组成合议庭，公开开庭进行了审理。
原告诉称，被告作出的不予认定工伤决定认定事实不清，请求撤销。
被告辩称，其作出的决定事实清楚，程序合法，请求驳回原告的诉讼请求。
本院认为，被告作出的决定主要证据不足，依法应予撤销。依照《中华人民共和国行政诉讼法》第七十条第一项之规定，判决如下：
撤销被告某某县人力资源和社会保障局作出的不予认定工伤决定。
案件受理费50元，由被告负担。
审　判　长　王五
审　判　员　赵六
二〇二四年六月一日
书　记　员　钱七
"""


def docx_bytes(text: str = JUDGMENT) -> bytes:
    """A real Word file (python-docx), one paragraph per line."""
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_bomb(inflated_mb: int = 150) -> bytes:
    """A Word file whose ``word/document.xml`` inflates to ``inflated_mb`` MB (a few hundred KB on disk):
    the real document's parts, with the body padded by empty runs until the XML is that big."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, src.read(info))
                continue
            xml = src.read(info).decode("utf-8")
            head, tail = xml.split("</w:body>")
            with z.open("word/document.xml", "w") as fh:
                fh.write(head.encode("utf-8"))
                pad = b"<w:p><w:r><w:t></w:t></w:r></w:p>" * 30_000  # ~1 MB
                for _ in range(inflated_mb):
                    fh.write(pad)
                fh.write(("</w:body>" + tail).encode("utf-8"))
    return out.getvalue()


def docx_lying_sizes(inflated_mb: int = 100) -> bytes:
    """A bomb whose zip headers declare ``word/document.xml`` to inflate to 1 KB (sizes can lie)."""
    data = bytearray(docx_bomb(inflated_mb))
    name = b"word/document.xml"
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):  # local, central
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            nlen = struct.unpack_from("<H", data, pos + name_at - 4 if sig == b"PK\x03\x04" else pos + 28)[0]
            if data[pos + name_at : pos + name_at + nlen] == name:
                struct.pack_into("<I", data, pos + size_at, 1024)
            pos += 4
    return bytes(data)


def docx_many_members(members: int = 6000) -> bytes:
    """A Word file padded with thousands of tiny parts (a zip built to exhaust the reader)."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info))
        for i in range(members):
            z.writestr(f"word/padding/part{i}.xml", b"<a/>")
    return out.getvalue()


def html_bytes(text: str = JUDGMENT, encoding: str = "utf-8") -> bytes:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f'<html><head><meta charset="{encoding}"></head><body>{body}</body></html>'.encode(encoding)


def html_deep(depth: int = 100_000) -> bytes:
    """An HTML page nested ``depth`` elements deep around a judgment."""
    return b"<html><body>" + b"<div>" * depth + html_bytes()[12:] + b"</div>" * depth


def ole_file(streams: list[str]) -> bytes:
    """A minimal Compound File (the container of old .doc files and of password-protected .docx files)
    whose directory names ``streams`` (each stream empty). Version 3, 512-byte sectors: header, one FAT
    sector, one directory sector."""
    entries = [_dir_entry("Root Entry", 5, child=1 if streams else -1)]
    for i, name in enumerate(streams):
        right = i + 2 if i + 1 < len(streams) else -1
        entries.append(_dir_entry(name, 2, right=right))
    while len(entries) % 4:
        entries.append(b"\x00" * 128)
    directory = b"".join(entries)
    n_dir = len(directory) // 512
    fat = [0xFFFFFFFD] + [i + 2 for i in range(1, n_dir)] + [0xFFFFFFFE]  # sector 0 = FAT, then the directory
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    return bytes(header) + struct.pack("<128I", *fat) + directory


def _dir_entry(name: str, kind: int, child: int = -1, right: int = -1) -> bytes:
    raw = (name + "\x00").encode("utf-16-le")
    e = bytearray(128)
    e[0 : len(raw)] = raw
    struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
    struct.pack_into("<iii", e, 68, -1, right, child)
    struct.pack_into("<II", e, 116, 0xFFFFFFFE if kind == 2 else 0xFFFFFFFE, 0)
    return bytes(e)


def encrypted_docx() -> bytes:
    """What Word writes when a .docx gets an opening password: an OLE container with EncryptionInfo and
    EncryptedPackage streams (contents left empty: detection looks at the container, not the cipher)."""
    return ole_file(["EncryptionInfo", "EncryptedPackage"])


def old_doc() -> bytes:
    """An old binary Word (.doc): an OLE container with a WordDocument stream."""
    return ole_file(["WordDocument", "1Table"])


def pdf_bytes(width_pt: float = 595, height_pt: float = 842, text: str = "Hello") -> bytes:
    """A one-page PDF with a text line, any page size (14400 × 14400 pt is the largest the spec allows)."""
    content = f"BT /F1 24 Tf 72 {height_pt - 100:.0f} Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt:g} {height_pt:g}] "
        f"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _assemble_pdf(objs)


def pdf_stream_bomb(inflated_mb: int = 512) -> bytes:
    """A one-page PDF whose content stream is a flate bomb of ``inflated_mb`` MB of blanks."""
    import zlib

    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [comp.compress(chunk) for _ in range(inflated_mb)]
    parts.append(comp.flush())
    stream = b"".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _assemble_pdf(objs)


def _assemble_pdf(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def hide_text(pdf_path: str, how: str = "invisible") -> bytes:
    """A text PDF whose text is drawn invisibly (render mode 3) or in white: the page shows nothing
    while the text layer holds the whole judgment."""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            _restyle_text(pdf, page, how)
        buf = io.BytesIO()
        pdf.save(buf)
    return buf.getvalue()


def _restyle_text(pdf, page, how: str) -> None:  # type: ignore[no-untyped-def]
    import pikepdf

    ops: list = []  # type: ignore[type-arg]
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, instruction.operator
        ops.append((operands, op))
        if str(op) == "BT":
            if how == "invisible":
                ops.append(([3], pikepdf.Operator("Tr")))
            else:
                ops += [([1, 1, 1], pikepdf.Operator("rg")), ([1, 1, 1], pikepdf.Operator("RG"))]
        elif how == "invisible" and str(op) == "Tr":
            ops[-1] = ([3], op)
        elif how == "white" and str(op) in ("rg", "g", "k", "sc", "scn") and _in_text(ops):
            ops[-1] = ([1, 1, 1], pikepdf.Operator("rg"))
        elif how == "white" and str(op) in ("RG", "G", "K", "SC", "SCN") and _in_text(ops):
            ops[-1] = ([1, 1, 1], pikepdf.Operator("RG"))
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def _in_text(ops: list) -> bool:  # type: ignore[type-arg]
    for _, op in reversed(ops[:-1]):
        if str(op) == "BT":
            return True
        if str(op) == "ET":
            return False
    return False


def text_over_scan(text_pdf: str, scan_pdf: str) -> bytes:
    """Page 1 of a scan with another judgment's text layer drawn invisibly on top: the image shows one
    judgment, the text layer says another."""
    import pikepdf

    hidden = pikepdf.open(io.BytesIO(hide_text(text_pdf, "invisible")))
    with pikepdf.open(scan_pdf) as scan:
        while len(scan.pages) > 1:
            del scan.pages[-1]
        scan.pages[0].add_overlay(hidden.pages[0], pikepdf.Rectangle(scan.pages[0].mediabox))
        buf = io.BytesIO()
        scan.save(buf)
    return buf.getvalue()
