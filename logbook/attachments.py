"""An entry's photo or document: size-limited, its type read from its content (never from the
file name or the browser's claim), and an image's GPS location removed unless the programme's
rules keep it (UU PDP: a photo's location can point at a beneficiary's home)."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Larger than any phone camera (a 200-megapixel sensor is 16,320 x 12,240): beyond this the
# file is a decompression bomb, not a photo.
MAX_PIXELS = 60_000_000
GPS_IFD = 0x8825


@dataclass
class CleanAttachment:
    content: ContentFile
    kind: str
    size: int


def _too_big(size: int) -> ValidationError:
    limit = settings.LOGBOOK_MAX_ATTACHMENT_MB
    return ValidationError(
        {
            "attachment": f"Lampiran {size / 2**20:.1f} MB melebihi batas {limit} MB. "
            "Perkecil foto (mis. kirim ukuran sedang dari kamera) atau pilih berkas lain."
        }
    )


def attachment_clean(upload, *, keep_location: bool) -> CleanAttachment:
    """Check an uploaded file and return what is stored. ValidationError names the problem."""
    limit = settings.LOGBOOK_MAX_ATTACHMENT_MB * 2**20
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(size)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(len(data))
    if not data:
        raise ValidationError({"attachment": "Berkas lampiran kosong. Pilih berkas lain."})
    if data.startswith(b"%PDF-"):
        return CleanAttachment(ContentFile(data, name="lampiran.pdf"), "pdf", len(data))
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            if fmt not in IMAGE_FORMATS:
                raise UnidentifiedImageError(fmt)
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    {
                        "attachment": f"Foto {image.width}×{image.height} piksel terlalu besar. "
                        "Kirim foto berukuran sedang."
                    }
                )
            image.load()
            stored = data if keep_location else _without_location(image, fmt)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            {
                "attachment": "Lampiran bukan foto (JPEG, PNG, WebP) atau dokumen PDF, "
                "atau berkasnya rusak. Pilih foto atau PDF lain."
            }
        ) from error
    ext = IMAGE_FORMATS[fmt]
    return CleanAttachment(ContentFile(stored, name=f"foto.{ext}"), f"foto-{ext}", len(stored))


def _without_location(image: Image.Image, fmt: str) -> bytes:
    """The image written again with its EXIF minus the GPS block; other metadata (XMP, text
    chunks) is not carried over."""
    exif = image.getexif()
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) else {}
    if fmt == "JPEG":
        options.update(quality=90, optimize=True)
    image.save(out, format=fmt, **options)
    return out.getvalue()
