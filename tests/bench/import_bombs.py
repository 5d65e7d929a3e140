#!/usr/bin/env python3
"""Writes the sheets of issue 26 item 7 into a folder, for measuring
`mieruka import` on them (peak RSS and time: /usr/bin/time -v):

  sst_bomb.xlsx    ~1 MB on disk; xl/sharedStrings.xml holds one string of
                   1 GiB (declared honestly in the zip)
  ws_bomb.xlsx     ~2 MB on disk; xl/worksheets/sheet1.xml holds 2 GiB of
                   whitespace inside one row
  two_cells.xls    an Excel 97-2003 workbook of two cells, A1 and IV65536
  small.xls        one of i-001 rated ◎ (read and imported, for comparison)
  map.toml         a mapping for the plan of `mieruka init`'s starter site

Usage: import_bombs.py OUT_DIR, then for each sheet:
  mieruka init OUT_DIR/site
  /usr/bin/time -v mieruka import OUT_DIR/sst_bomb.xlsx --map OUT_DIR/map.toml --root OUT_DIR/site
"""
import os
import struct
import sys
import zipfile
import zlib

CT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="H2" t="s"><v>1</v></c></row></sheetData></worksheet>"""
SST = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>t-002</t></si><si><t>\xe2\x97\x8b</t></si></sst>"""

MAP = """plan = "plan"
first_row = 2
[columns]
id = "A"
title = "E"
[[years]]
year = "R6"
status = "H"
"""


def biff(typ, data):
    return struct.pack("<HH", typ, len(data)) + data


def label(row, col, text):
    units = text.encode("utf-16-le")
    return biff(0x0204, struct.pack("<HHHHB", row, col, 0, len(units) // 2, 1) + units)


def xls_of(cells):
    """One compound file: sector 0 the FAT, 1 the directory, 2.. the
    Workbook stream (BIFF8, padded to 4096 bytes: no mini stream)."""
    bof = lambda dt: biff(0x0809, struct.pack("<HHHH", 0x0600, dt, 0x0DBB, 0x07CC) + bytes(8))
    globals_ = bof(0x0005)
    sheet_at = len(globals_) + 4 + 14 + 4
    globals_ += biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, 6, 0) + b"Sheet1")
    globals_ += biff(0x000A, b"")
    assert len(globals_) == sheet_at
    stream = globals_ + bof(0x0010)
    for r, c, t in cells:
        stream += label(r, c, t)
    stream += biff(0x000A, b"")
    size = -(-max(len(stream), 4096) // 512) * 512
    stream += bytes(size - len(stream))
    n = size // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i if i + 1 < n else 0xFFFFFFFE for i in range(n)]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, 0xFFFFFFFF)

    def entry(name, typ, child, start, size):
        e = bytearray(128)
        units = name.encode("utf-16-le")
        e[: len(units)] = units
        struct.pack_into("<HBB", e, 0x40, len(units) + 2 if name else 0, typ, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", e, 0x74, start, size)
        return bytes(e)

    dirs = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0) + entry("Workbook", 2, 0xFFFFFFFF, 2, size)
    dirs += entry("", 0, 0xFFFFFFFF, 0, 0) * 2
    return bytes(header) + struct.pack("<128I", *fat) + dirs + stream


def write_part(z, name, head, fill, size, tail):
    """A part of head + size bytes of fill + tail, written as it is made."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as f:
        f.write(head)
        chunk = fill * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n
        f.write(tail)


def book(path, big_part, head, fill, size, tail):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        parts = {
            "[Content_Types].xml": CT,
            "_rels/.rels": RELS,
            "xl/workbook.xml": WB,
            "xl/_rels/workbook.xml.rels": WB_RELS,
            "xl/worksheets/sheet1.xml": SHEET,
            "xl/sharedStrings.xml": SST,
        }
        for name, data in parts.items():
            if name == big_part:
                write_part(z, name, head, fill, size, tail)
            else:
                z.writestr(name, data)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    book(
        os.path.join(out, "sst_bomb.xlsx"),
        "xl/sharedStrings.xml",
        SST.split(b"\xe2\x97\x8b")[0],
        b"a",
        1 << 30,
        b"</t></si></sst>",
    )
    head, tail = SHEET.split(b'<c r="H2"')
    book(
        os.path.join(out, "ws_bomb.xlsx"),
        "xl/worksheets/sheet1.xml",
        head,
        b" ",
        2 << 30,
        b'<c r="H2"' + tail,
    )
    with open(os.path.join(out, "two_cells.xls"), "wb") as f:
        f.write(xls_of([(0, 0, "x"), (65535, 255, "y")]))
    with open(os.path.join(out, "small.xls"), "wb") as f:
        f.write(xls_of([(1, 0, "i-001"), (1, 7, "\u25ce")]))
    with open(os.path.join(out, "map.toml"), "w") as f:
        f.write(MAP)
    for name in ("sst_bomb.xlsx", "ws_bomb.xlsx", "two_cells.xls"):
        p = os.path.join(out, name)
        print(f"{p}: {os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main()
