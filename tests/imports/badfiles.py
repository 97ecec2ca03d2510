"""The bad-input corpus, generated in code (nothing downloaded, nothing large committed).

Workbooks are built from a real openpyxl XLSX and re-zipped by hand (``_zip_write``), so a
part can declare a size it does not have (a forged directory), or carry bytes a spreadsheet
program would never write (a DTD, a macro project, an external link).
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from tests.imports.conftest import HEADER, person_row, write_xlsx

ROOT = Path(__file__).resolve().parents[2]

SHEET = "xl/worksheets/sheet1.xml"


def _deflate(chunks: Iterable[bytes]) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, uncompressed size) of the chunks, compressed as they come."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, crc, size = io.BytesIO(), 0, 0
    for chunk in chunks:
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        out.write(packer.compress(chunk))
    out.write(packer.flush())
    return out.getvalue(), crc, size


def _zip_write(path: Path, parts: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip of (name, deflated bytes, crc, uncompressed size, size to declare) parts."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, _size, declared in parts:
        encoded = name.encode()
        offset = body.tell()
        fields = (20, 0, 8, 0, 33, crc, len(data), declared, len(encoded), 0)
        body.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + encoded + data)
        directory.write(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields[:-1], 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start, size = body.tell(), directory.tell()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), size, start, 0)
    path.write_bytes(body.getvalue() + directory.getvalue() + end)
    return path


def _workbook_parts(
    tmp: Path,
    replace: dict[str, Iterable[bytes]] | None = None,
    forge: dict[str, int] | None = None,
) -> list[tuple[str, bytes, int, int, int]]:
    """The parts of a small valid import workbook, some replaced, some declared falsely."""
    source = write_xlsx(tmp / "_base.xlsx", [person_row(1), person_row(2)])
    replace, forge = replace or {}, forge or {}
    parts = []
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            chunks = replace.get(info.filename) or [archive.read(info.filename)]
            data, crc, size = _deflate(chunks)
            parts.append((info.filename, data, crc, size, forge.get(info.filename, size)))
    source.unlink()
    return parts


def _sheet_rows(megabytes: int) -> Iterable[bytes]:
    """Sheet XML of ``megabytes`` MB, one repeated megabyte at a time (compresses ~1000:1)."""
    row = b'<row><c t="inlineStr"><is><t>bom</t></is></c></row>'
    block = row * (2**20 // len(row))
    yield b'<?xml version="1.0"?><worksheet><sheetData>'
    for _ in range(megabytes):
        yield block
    yield b"</sheetData></worksheet>"


def zip_bomb(tmp: Path) -> Path:
    """~1 GB of sheet XML in about a megabyte, honestly declared (the issue's 2.4 MB file)."""
    return _zip_write(tmp / "bom-zip.xlsx", _workbook_parts(tmp, {SHEET: _sheet_rows(1024)}))


def zip_bomb_forged(tmp: Path) -> Path:
    """300 MB of sheet XML whose directory declares 40 kB: only streaming finds it."""
    return _zip_write(
        tmp / "bom-zip-palsu.xlsx",
        _workbook_parts(tmp, {SHEET: _sheet_rows(300)}, forge={SHEET: 40_000}),
    )


def billion_laughs(tmp: Path) -> Path:
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [' + entities + b"]>"
        b'<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _zip_write(tmp / "tawa-miliar.xlsx", _workbook_parts(tmp, {SHEET: [sheet]}))


def password_protected(tmp: Path) -> Path:
    """What Excel writes for a workbook with a password: an OLE/CFB container holding the
    encrypted package (the header and the stream names are enough for the check)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = (
        "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    )
    path = tmp / "berkas-sandi.xlsx"
    path.write_bytes(header + names + bytes(4096))
    return path


def macro_workbook(tmp: Path) -> Path:
    parts = _workbook_parts(tmp)
    data, crc, size = _deflate([b'\xd0\xcf\x11\xe0 Attribute VB_Name = "Module1"'])
    parts.append(("xl/vbaProject.bin", data, crc, size, size))
    return _zip_write(tmp / "bermakro.xlsm", parts)


def external_links(tmp: Path) -> Path:
    parts = _workbook_parts(tmp)
    link = (
        b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1"/></externalLink>'
    )
    data, crc, size = _deflate([link])
    parts.append(("xl/externalLinks/externalLink1.xml", data, crc, size, size))
    return _zip_write(tmp / "bertautan.xlsx", parts)


def big_csv(tmp: Path, megabytes: int = 50) -> Path:
    """A CSV of ``megabytes`` MB of well-formed rows (written in blocks, never held whole)."""
    path = tmp / "besar.csv"
    line = ";".join(map(str, person_row(1))) + "\n"
    block = (line * (2**20 // len(line) + 1)).encode()
    with open(path, "wb") as fh:
        fh.write((";".join(HEADER) + "\n").encode())
        for _ in range(megabytes):
            fh.write(block)
    return path


REFUSED = {
    # name: (builder, words the refusal must contain)
    "zip_bomb": (zip_bomb, "bom zip"),
    "zip_bomb_forged": (zip_bomb_forged, "lebih besar daripada yang dinyatakan"),
    "billion_laughs": (billion_laughs, "DOCTYPE/ENTITY"),
    "password": (password_protected, "dilindungi kata sandi"),
    "macros": (macro_workbook, "berisi makro (vbaProject.bin)"),
    "external_links": (external_links, "tautan ke buku kerja lain"),
}


def csv_file(tmp: Path, name: str, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    text = "\n".join(";".join(str(v) for v in row) for row in [HEADER, *rows]) + "\n"
    path = tmp / name
    path.write_bytes(text.encode(encoding))
    return path


PROBE = """
import json, sys
import django
django.setup()
from imports.reading import FileReadError, file_open
try:
    file_open(sys.argv[1])
    message = ""
except FileReadError as exc:
    message = str(exc)
status = open("/proc/self/status").read()
peak = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmHWM:"))
print(json.dumps({"message": message, "peak_mib": round(peak / 1024, 1)}))
"""


def probe(path: Path, env: dict | None = None) -> dict:
    """Open ``path`` with the importer's reader in a fresh process; its message and peak RSS."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "satupintu.settings",
            **(env or {}),
        },
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def table() -> None:
    """The table of docs/reliability.md ("Berkas buruk"): each refused file, what it is on
    disk and declares, the message and the reading process's peak memory. Run with
    ``.venv/bin/python manage.py shell -c "from tests.imports.badfiles import table; table()"``."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good = write_xlsx(folder / "baik.xlsx", [person_row(1), person_row(2)])
        found = probe(good)
        print("| Berkas | Di disk | Terurai (dinyatakan) | Pesan | Puncak memori |")
        print("|---|---:|---:|---|---:|")
        print(
            f"| baik.xlsx (pembanding) | {good.stat().st_size // 1024} kB | – | (dibaca) "
            f"| {found['peak_mib']} MiB |"
        )
        cases = [(name, build) for name, (build, _) in REFUSED.items()]
        cases.append(("big_csv", big_csv))
        for name, build in cases:
            path = build(folder)
            env = {"IMPORT_MAX_FILE_MB": "40"} if name == "big_csv" else None
            found = probe(path, env=env)
            try:
                with zipfile.ZipFile(path) as archive:
                    declared = f"{sum(i.file_size for i in archive.infolist()) / 2**20:.1f} MB"
            except zipfile.BadZipFile:
                declared = "–"
            size = path.stat().st_size
            shown = f"{size / 2**20:.1f} MB" if size > 2**20 else f"{size // 1024} kB"
            print(
                f"| {path.name} | {shown} | {declared} | {found['message']} "
                f"| {found['peak_mib']} MiB |"
            )
            path.unlink()
