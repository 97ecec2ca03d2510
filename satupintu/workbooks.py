"""Uploaded spreadsheets inspected before any reader opens them.

A workbook (XLSX, XLSM, XLSB, ODS) is a zip of XML parts. The readers (python-calamine,
openpyxl) unpack a sheet whole, so a zip bomb — a few megabytes on disk, gigabytes of sheet
XML — takes the process's memory before a single row is checked. ``upload_check`` refuses,
with a message that names the file and says what to do:

1. a file larger than ``IMPORT_MAX_FILE_MB`` (CSV or workbook);
2. a password-protected workbook: Excel saves it as an OLE/CFB container (``D0 CF 11 E0``)
   holding ``EncryptedPackage``, which no reader can open;
3. from the zip directory alone, without unpacking: parts that declare more than
   ``WORKBOOK_MAX_UNCOMPRESSED_MB`` in total or a compression ratio above
   ``WORKBOOK_MAX_COMPRESSION_RATIO``;
4. macros (``vbaProject.bin``) and links to other workbooks (``xl/externalLinks/``): the values
   the file shows may come from code or from a file we do not have;
5. while streaming every part through zlib in bounded chunks: a part that unpacks to more than
   it declares (a forged directory) or past the total limit, and any ``<!DOCTYPE``/``<!ENTITY``
   in an XML part (entity expansion, "billion laughs"; OOXML never needs a DTD).

Memory stays flat: at most ``CHUNK`` bytes of output are held at a time, so a refused bomb
costs a few megabytes whatever it declares.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from django.conf import settings

CHUNK = 1 << 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Stream names of an encrypted OOXML package inside its CFB container, as UTF-16LE.
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
XML_SUFFIXES = (".xml", ".rels", ".vml")
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
LOCAL_HEADER = struct.Struct("<4s5H3L2H")


class WorkbookRefused(ValueError):
    """The file is refused before reading; ``str()`` is the Indonesian message for the user."""


Source = Path | str | bytes | IO[bytes]


def upload_check(source: Source, *, name: str) -> None:
    """Refuse ``source`` (a path, bytes or a seekable binary file) before any reader opens it.

    Raises WorkbookRefused. A file-like source is left at position 0.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            _check(handle, name)
        return
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        _check(handle, name)
    finally:
        handle.seek(0)


def _mb(size: int) -> str:
    """A size as Indonesians write it: "1.024,0 MB", "39 kB"."""
    if size < 2**20:
        return f"{size // 1024} kB"
    return f"{size / 2**20:,.1f} MB".replace(",", "_").replace(".", ",").replace("_", ".")


def _check(handle: IO[bytes], name: str) -> None:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    limit = settings.IMPORT_MAX_FILE_MB
    if size > limit * 2**20:
        raise WorkbookRefused(
            f"Berkas {name} berukuran {_mb(size)}, melebihi batas {limit} MB. "
            "Pecah berkas per wilayah (kabupaten/kota) dan unggah bagian-bagiannya."
        )
    magic = handle.read(8)
    handle.seek(0)
    if magic.startswith(OLE_MAGIC):
        if _encrypted(handle):
            raise WorkbookRefused(
                f"Berkas {name} dilindungi kata sandi (terenkripsi), sehingga tidak dapat dibaca. "
                "Buka di Excel, hapus kata sandinya (File > Info > Lindungi Buku Kerja > "
                "Enkripsi dengan Kata Sandi, kosongkan), simpan sebagai .xlsx, lalu unggah lagi."
            )
        return  # an old .xls: the reader handles it
    if magic.startswith(ZIP_MAGIC):
        _zip_check(handle, name, size)


RESAVE = "Buka di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah lagi."


def _unreadable(name: str, what: str) -> WorkbookRefused:
    return WorkbookRefused(
        f"Berkas {name} tidak dapat dibuka sebagai lembar kerja: {what}. {RESAVE}"
    )


def _encrypted(handle: IO[bytes]) -> bool:
    """Whether a CFB container holds an encrypted OOXML package (scanned in chunks)."""
    tail = b""
    while chunk := handle.read(CHUNK):
        window = tail + chunk
        if any(marker in window for marker in ENCRYPTED_MARKERS):
            return True
        tail = window[-64:]
    return False


def _zip_check(handle: IO[bytes], name: str, size: int) -> None:
    try:
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(name, f"arsip zip rusak ({exc})") from exc
    names = [m.filename for m in members]
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WorkbookRefused(
            f"Berkas {name} berisi makro (vbaProject.bin); berkas bermakro tidak diterima. "
            "Simpan ulang sebagai 'Buku Kerja Excel (.xlsx)' tanpa makro, lalu unggah lagi."
        )
    if any(n.lower().startswith("xl/externallinks/") for n in names):
        raise WorkbookRefused(
            f"Berkas {name} berisi tautan ke buku kerja lain (xl/externalLinks), sehingga "
            "nilainya bisa berasal dari berkas yang tidak ikut diunggah. Di Excel pilih Data > "
            "Edit Tautan > Putuskan Tautan (atau salin lalu Tempel Nilai), simpan, unggah lagi."
        )
    declared = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    max_total = settings.WORKBOOK_MAX_UNCOMPRESSED_MB * 2**20
    max_ratio = settings.WORKBOOK_MAX_COMPRESSION_RATIO
    bomb = (
        f"Berkas {name} ditolak sebelum dibaca: isinya {{what}}, tanda 'bom zip' atau lembar "
        "kerja yang terlalu besar. Bila berkas ini asli, hapus baris/kolom kosong yang "
        "berformat, pecah per wilayah, simpan ulang sebagai .xlsx, lalu unggah lagi."
    )
    if declared > max_total:
        raise WorkbookRefused(
            bomb.format(
                what=f"terurai menjadi {_mb(declared)} (batas "
                f"{settings.WORKBOOK_MAX_UNCOMPRESSED_MB} MB)"
            )
        )
    if declared > CHUNK and declared > max_ratio * max(compressed, 1):
        raise WorkbookRefused(
            bomb.format(
                what=f"dimampatkan {declared // max(compressed, 1)} kali (batas {max_ratio} kali)"
            )
        )
    total = 0
    for member in members:
        total = _member_stream(handle, member, name, total, max_total, bomb)


def _member_stream(
    handle: IO[bytes],
    member: zipfile.ZipInfo,
    name: str,
    total: int,
    max_total: int,
    bomb: str,
) -> int:
    """Unpack one part through zlib in bounded chunks, trusting nothing the directory says
    beyond where the part starts and how many compressed bytes it has. Returns the running
    total of unpacked bytes."""
    handle.seek(member.header_offset)
    header = handle.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != ZIP_MAGIC:
        raise _unreadable(name, f"bagian {member.filename} rusak")
    fields = LOCAL_HEADER.unpack(header)
    handle.seek(fields[-2] + fields[-1], io.SEEK_CUR)  # name and extra field
    if member.compress_type == zipfile.ZIP_STORED:
        inflate = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise WorkbookRefused(
            f"Berkas {name} memakai pemampatan yang tidak didukung (bagian {member.filename}). "
            f"{RESAVE}"
        )
    scan = member.filename.lower().endswith(XML_SUFFIXES)
    left, produced, tail = member.compress_size, 0, b""

    def take(data: bytes) -> None:
        nonlocal produced, tail
        produced += len(data)
        if produced > member.file_size or total + produced > max_total:
            raise WorkbookRefused(
                bomb.format(
                    what=f"bagian {member.filename} terurai lebih besar daripada yang dinyatakan "
                    f"({_mb(member.file_size)})"
                    if produced > member.file_size
                    else f"terurai melebihi {settings.WORKBOOK_MAX_UNCOMPRESSED_MB} MB"
                )
            )
        if scan:
            window = tail + data
            if any(marker in window for marker in DTD_MARKERS):
                raise WorkbookRefused(
                    f"Berkas {name} ditolak: bagian {member.filename} memuat deklarasi DOCTYPE/"
                    "ENTITY (bom entitas XML, 'billion laughs'); lembar kerja Excel yang wajar "
                    f"tidak pernah memuatnya. {RESAVE}"
                )
            tail = window[-16:]

    while left > 0:
        raw = handle.read(min(CHUNK, left))
        if not raw:
            break
        left -= len(raw)
        if inflate is None:
            take(raw)
            continue
        data = raw
        while True:  # drain: a few compressed bytes may unpack to many chunks
            try:
                out = inflate.decompress(data, CHUNK)
            except zlib.error as exc:
                raise _unreadable(name, f"bagian {member.filename} rusak ({exc})") from exc
            take(out)
            data = inflate.unconsumed_tail
            if not data and len(out) < CHUNK:
                break
    return total + produced
