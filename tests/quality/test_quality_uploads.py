"""habitat.core.uploads.clean_image: limits, real types, no bombs, no GPS."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from habitat.core import uploads
from habitat.core.exceptions import HabitatError
from habitat.core.uploads import clean_image


def image_bytes(fmt="JPEG", size=(60, 40), color=(200, 30, 30), **save):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" and save.pop("alpha", False) else "RGB"
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_with_gps_and_rotation():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Fabricant"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 45.0, 0.0)
    gps[3] = "E"
    gps[4] = (4.0, 50.0, 0.0)
    return exif


def test_a_jpeg_is_reencoded_with_a_content_derived_name():
    result = clean_image(upload(image_bytes()))
    assert result.name.endswith(".jpg")
    assert "photo" not in result.name
    assert Image.open(io.BytesIO(result.read())).format == "JPEG"


def test_exif_orientation_is_applied_and_gps_removed():
    data = image_bytes(size=(60, 40), exif=exif_with_gps_and_rotation())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    result = Image.open(io.BytesIO(clean_image(upload(data)).read()))
    assert result.size == (40, 60)  # rotated into the pixels
    exif = result.getexif()
    assert exif.get_ifd(0x8825) == {}
    assert 0x0112 not in exif
    assert 0x010F not in exif


def test_png_with_transparency_stays_png():
    result = clean_image(upload(image_bytes("PNG", alpha=True), name="a.png"))
    assert result.name.endswith(".png")


def test_type_comes_from_content_not_name():
    png_named_jpg = upload(image_bytes("PNG"), name="photo.jpg")
    assert clean_image(png_named_jpg).name.endswith(".jpg")
    with pytest.raises(HabitatError) as error:
        clean_image(upload(b"%PDF-1.4 not an image", name="photo.jpg"))
    assert error.value.message.startswith("Ce fichier n’est pas une image")
    assert error.value.field == "image"


def test_html_disguised_as_image_is_refused():
    with pytest.raises(HabitatError):
        clean_image(upload(b"<html><script>alert(1)</script></html>", name="x.png"))


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"  <!DOCTYPE svg><svg></svg>",
    ],
)
def test_svg_is_refused_in_french(svg):
    with pytest.raises(HabitatError) as error:
        clean_image(upload(svg, name="logo.png", content_type="image/png"))
    assert "SVG" in error.value.message


def test_oversized_file_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(HabitatError) as error:
        clean_image(upload(b"\xff\xd8" + b"0" * 2000))
    assert "trop lourd" in error.value.message


def test_decompression_bomb_is_refused_from_its_header(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 10_000)
    bomb = image_bytes("PNG", size=(1000, 1000), color=(0, 0, 0))
    with pytest.raises(HabitatError) as error:
        clean_image(upload(bomb, name="bomb.png"))
    assert "trop grande" in error.value.message


def test_real_png_bomb_header_is_refused_without_decoding():
    """A 50,000 × 50,000 PNG of a few KB: refused, memory stays bounded."""
    buffer = io.BytesIO()
    Image.new("1", (50_000, 50_000)).save(buffer, format="PNG")
    with pytest.raises(HabitatError) as error:
        clean_image(upload(buffer.getvalue(), name="bomb.png"))
    assert "trop grande" in error.value.message


def test_truncated_image_is_refused():
    data = image_bytes(size=(400, 400))
    with pytest.raises(HabitatError):
        clean_image(upload(data[: len(data) // 3]))


def test_large_photos_are_resized_to_fit_the_publishing_box():
    data = image_bytes(size=(3000, 1000))
    result = Image.open(io.BytesIO(clean_image(upload(data)).read()))
    assert result.size == (2400, 800)


def test_heic_is_converted_or_clearly_refused():
    if not uploads.HEIF_SUPPORTED:
        pytest.skip("pillow-heif absent")
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (30, 20), (10, 200, 10)))
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    result = clean_image(upload(buffer.getvalue(), name="IMG_0001.HEIC"))
    assert result.name.endswith(".jpg")
    assert Image.open(io.BytesIO(result.read())).size == (30, 20)
