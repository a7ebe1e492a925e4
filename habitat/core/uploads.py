"""Image uploads made safe to publish: `clean_image(uploaded_file) -> ContentFile`.

- size limited (MAX_UPLOAD_BYTES) before anything is decoded;
- type read from the content (Pillow), never from the name or the browser's
  content type: JPEG, PNG, WebP and GIF (first frame) are kept, HEIC/HEIF is
  converted to JPEG when pillow-heif is installed, SVG and everything else is
  refused;
- decompression bombs refused from the header's dimensions, before the
  pixels are decoded (MAX_PIXELS), so memory stays bounded;
- EXIF orientation applied to the pixels, then every metadata block (EXIF with
  its GPS position, XMP, comments) dropped by re-encoding;
- the result is a re-encoded JPEG (or PNG when the image has transparency)
  whose name is derived from the content, not from the user's file name.

Errors are `HabitatError` with a French message for the form field.
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from habitat.core.exceptions import HabitatError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000
MAX_SIDE = 2400  # published images are resized to fit this box
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
HEIF = {"HEIF", "HEIC", "AVIF"}

try:  # optional: converts iPhone photos
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover
    HEIF_SUPPORTED = False


def _read_head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(512)
    uploaded_file.seek(0)
    return head


def clean_image(uploaded_file, *, field: str = "image") -> ContentFile:
    """A re-encoded, metadata-free copy of `uploaded_file`, or HabitatError."""
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
        uploaded_file.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise HabitatError(
            _("Le fichier est trop lourd (%(max)d Mo au plus).")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field=field,
        )
    head = _read_head(uploaded_file).lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise HabitatError(
            _("Les images SVG ne sont pas acceptées : envoyez un JPEG ou un PNG."),
            field=field,
        )
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        try:
            image = Image.open(uploaded_file)
        except (UnidentifiedImageError, OSError, ValueError):
            raise HabitatError(
                _("Ce fichier n’est pas une image reconnue (JPEG, PNG, WebP)."),
                field=field,
            )
        except Image.DecompressionBombError:
            raise _bomb(field)
        kind = (image.format or "").upper()
        if kind in HEIF and not HEIF_SUPPORTED:
            raise HabitatError(
                _("Les photos HEIC ne sont pas acceptées : envoyez un JPEG."),
                field=field,
            )
        if kind not in ACCEPTED | HEIF:
            raise HabitatError(
                _("Format d’image non accepté : envoyez un JPEG, un PNG ou un WebP."),
                field=field,
            )
        width, height = image.size
        if width * height > MAX_PIXELS or width <= 0 or height <= 0:
            raise _bomb(field)
        try:
            image.seek(0)
            image.load()
        except Image.DecompressionBombError:
            raise _bomb(field)
        except (OSError, ValueError, SyntaxError):
            raise HabitatError(_("L’image est endommagée ou incomplète."), field=field)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        transparent = image.mode in {"RGBA", "LA"} or (
            image.mode == "P" and "transparency" in image.info
        )
        output = io.BytesIO()
        if transparent:
            image = image.convert("RGBA")
            image.save(output, format="PNG", optimize=True)
            extension = "png"
        else:
            image = image.convert("RGB")
            image.save(output, format="JPEG", quality=85, optimize=True)
            extension = "jpg"
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit
    data = output.getvalue()
    name = hashlib.sha256(data).hexdigest()[:20] + "." + extension
    return ContentFile(data, name=name)


def _bomb(field):
    return HabitatError(
        _("L’image est trop grande (%(max)d millions de pixels au plus).")
        % {"max": MAX_PIXELS // 1_000_000},
        field=field,
    )
