"""Residents' photos: refused with a message naming the file, or kept upright, small, and
without the metadata that tells where and with what they were taken."""

import os
import re
import struct
import warnings
import zlib
from io import BytesIO
from math import ceil

import pytest
from PIL import Image, ImageCms

from planvoice.core import storage
from planvoice.reports import photos as photo_files
from planvoice.reports.photos import PhotoError, delete_stored, process_photo, store_photo
from tests.conftest import BOTH_PHOTO_STORAGES
from tests.reports.conftest import jpeg_bytes, stored_files

RED, BLUE = (220, 20, 20), (20, 20, 220)


@pytest.fixture(autouse=True)
def english_app_context(app_factory, tmp_path, photo_storage_settings):
    # Messages are translated, which needs an app context; no database is opened. English, so
    # the assertions hold whatever the Chinese catalog later says.
    app = app_factory(
        f"sqlite:///{tmp_path}/unused.db", BABEL_DEFAULT_LOCALE="en", **photo_storage_settings
    )
    with app.app_context():
        yield app


@pytest.fixture
def photo_storage(english_app_context):
    """The store of this module's app (which has no database)."""
    return storage.backend(english_app_context)


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _photo(size=(400, 200), fmt="JPEG", **params) -> bytes:
    """A blue picture with a red top-left corner, so turning it shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 8, size[1] // 4))
    return _encode(image, fmt, **params)


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header announces width×height pixels but which holds one row of them: a few
    bytes on disk, a bomb in memory, and "damaged" if anything went on to decode it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = zlib.compress(bytes(1 + ceil(width / 8)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


def test_gps_camera_and_colour_metadata_never_leave_the_residents_phone():
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Huawei", "P60 Pro"  # Make, Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>39,54N</exif:GPSLatitude>'
    sent = _photo(exif=exif, icc_profile=srgb, comment=b"home 39.9N", xmp=xmp + b"</x:xmpmeta>")
    assert _open(sent).getexif().get_ifd(0x8825) and b"Exif" in sent and b"home" in sent

    photo = process_photo(sent, "pothole.jpg")

    for stored in (photo.large, photo.thumbnail):
        image = _open(stored)
        assert image.format == "JPEG"
        assert not image.getexif() and b"Exif" not in stored
        assert "icc_profile" not in image.info and b"ICC_PROFILE" not in stored
        assert b"xmpmeta" not in stored and b"home" not in stored and b"Huawei" not in stored


def test_a_photo_taken_with_the_phone_turned_is_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view": stored 400×200, seen 200×400

    photo = process_photo(_photo((400, 200), exif=exif), "sideways.jpg")

    assert (photo.width, photo.height) == (200, 400)
    large = _open(photo.large)
    assert large.size == (200, 400) and not large.getexif()
    # The red top-left corner turned clockwise is now at the top right.
    assert _near(large.getpixel((190, 10)), RED) and _near(large.getpixel((10, 10)), BLUE)
    assert _open(photo.thumbnail).size == (160, 320)


def test_a_big_transparent_png_becomes_a_white_backed_jpeg_and_thumbnail():
    image = Image.new("RGBA", (4000, 3000), (0, 0, 0, 0))  # transparent black
    image.paste((*RED, 255), (1500, 1000, 2500, 2000))

    photo = process_photo(_encode(image, "PNG"), "plan-sketch.png")

    large, thumbnail = _open(photo.large), _open(photo.thumbnail)
    assert (large.format, large.mode, large.size) == ("JPEG", "RGB", (1600, 1200))
    assert (photo.width, photo.height) == (1600, 1200)
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 240))
    assert _near(large.getpixel((5, 5)), (255, 255, 255), 8)
    assert _near(large.getpixel((800, 600)), RED)


def test_a_webp_photo_is_accepted():
    photo = process_photo(_photo((800, 600), "WEBP"), "from-wechat.webp")
    assert _open(photo.large).size == (800, 600)
    assert _open(photo.thumbnail).size == (320, 240)
    assert _near(_open(photo.large).getpixel((5, 5)), RED)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_small_photo_is_not_enlarged(fmt):
    photo = process_photo(_photo((120, 60), fmt), f"small.{fmt.lower()}")
    assert (photo.width, photo.height) == (120, 60)
    assert _open(photo.large).size == _open(photo.thumbnail).size == (120, 60)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Dear council, the street light is broken.\n" * 50, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(_photo(fmt="GIF"), id="gif"),
        pytest.param(_photo(fmt="TIFF"), id="tiff"),  # Pillow reads it; we do not take it
        pytest.param(_photo(fmt="PDF"), id="pdf"),
    ],
)
def test_a_file_that_is_not_an_accepted_photo_is_refused_whatever_its_name(data):
    with pytest.raises(PhotoError) as refused:
        process_photo(data, "photo.jpg")
    assert str(refused.value) == (
        "“photo.jpg” is not a photo we can read. Please use a JPEG, PNG or WebP picture."
    )


def test_a_file_over_10_mb_is_refused_before_it_is_decoded():
    # A real JPEG with padding after it: decoders ignore the padding, so only a size check
    # refuses it.
    padded = _photo() + bytes(12 * 1024 * 1024)
    assert _open(padded).size == (400, 200)
    with pytest.raises(PhotoError, match="“huge.jpg” is larger than 10 MB"):
        process_photo(padded, "huge.jpg")


def test_the_size_and_pixel_limits_are_inclusive():
    data = _photo((100, 100))
    assert process_photo(data, "a.jpg", max_bytes=len(data), max_pixels=10_000).width == 100
    with pytest.raises(PhotoError, match="larger than"):
        process_photo(data, "a.jpg", max_bytes=len(data) - 1)
    with pytest.raises(PhotoError, match="too many pixels"):
        process_photo(data, "a.jpg", max_pixels=9_999)


@pytest.mark.parametrize(
    "size",
    [
        pytest.param((8000, 6000), id="over-our-40-megapixels"),
        pytest.param((10000, 10000), id="over-pillows-warning"),
        pytest.param((20000, 20000), id="over-pillows-error"),
    ],
)
def test_a_picture_with_too_many_pixels_is_refused_from_its_header_without_warnings(size):
    data = _png_claiming(*size)
    assert len(data) < 10 * 1024 * 1024
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        with pytest.raises(PhotoError) as refused:
            process_photo(data, "bomb.png")
    assert str(refused.value) == "“bomb.png” has too many pixels. Please choose a smaller picture."
    assert escaped == []


def test_a_half_uploaded_photo_is_reported_as_damaged():
    noise = Image.frombytes("RGB", (600, 400), os.urandom(600 * 400 * 3))
    whole = _encode(noise, "JPEG", quality=90)
    with pytest.raises(PhotoError) as refused:
        process_photo(whole[: len(whole) // 2], "IMG_0042.jpg")
    assert str(refused.value) == (
        "“IMG_0042.jpg” is damaged or incomplete. Please take or choose the photo again."
    )


@BOTH_PHOTO_STORAGES
def test_stored_photos_get_unguessable_names_in_a_two_character_folder(photo_storage):
    photo = process_photo(_photo(), "a.jpg")

    first = store_photo(photo, photo_storage)  # into a folder not there yet, when local
    second = store_photo(photo, photo_storage)

    for large, thumbnail in (first, second):
        match = re.fullmatch(r"([0-9a-f]{2})/(\1[0-9a-f]{30})\.jpg", large)
        assert match, large
        assert thumbnail == f"{match[1]}/{match[2]}_t.jpg"
        assert photo_storage.read(large) == photo.large
        assert photo_storage.read(thumbnail) == photo.thumbnail
    assert set(first).isdisjoint(second)
    # Nothing else is left behind, such as half-written temporary files.
    assert stored_files(photo_storage) == sorted(first + second)


def test_a_folder_given_as_a_path_or_a_string_is_a_local_store(tmp_path):
    photo = process_photo(_photo(), "a.jpg")
    folder = tmp_path / "uploads"

    for large, thumbnail in (store_photo(photo, folder), store_photo(photo, str(folder))):
        assert (folder / large).read_bytes() == photo.large
        assert (folder / thumbnail).read_bytes() == photo.thumbnail


@BOTH_PHOTO_STORAGES
def test_deleting_stored_photos_ignores_ones_already_gone(photo_storage):
    large, thumbnail = store_photo(process_photo(_photo(), "a.jpg"), photo_storage)
    photo_storage.delete(thumbnail)
    assert photo_storage.exists(large) and not photo_storage.exists(thumbnail)

    delete_stored(photo_storage, large, thumbnail, "ab/never-there.jpg")

    assert not photo_storage.exists(large) and stored_files(photo_storage) == []


@BOTH_PHOTO_STORAGES
def test_a_store_failing_on_the_thumbnail_leaves_neither_file_behind(photo_storage, monkeypatch):
    photo = process_photo(_photo(), "a.jpg")
    save = photo_storage.save

    def save_until_the_store_fails(key, data, content_type):
        if key.endswith("_t.jpg"):
            raise OSError(28, "No space left on device")
        save(key, data, content_type)

    monkeypatch.setattr(photo_storage, "save", save_until_the_store_fails)
    with pytest.raises(OSError, match="No space"):
        store_photo(photo, photo_storage)
    assert stored_files(photo_storage) == []


def test_a_write_failing_halfway_leaves_neither_file_behind(tmp_path, monkeypatch):
    photo = process_photo(_photo(), "a.jpg")
    renamed = []

    def replace_until_the_disk_is_full(source, target):
        if renamed:
            raise OSError(28, "No space left on device")
        renamed.append(target)
        os.rename(source, target)

    monkeypatch.setattr(os, "replace", replace_until_the_disk_is_full)
    with pytest.raises(OSError, match="No space"):
        store_photo(photo, tmp_path)
    assert renamed and not [path for path in tmp_path.rglob("*") if path.is_file()]


# Redaction: blacking out part of a stored photo


def test_a_rectangle_must_lie_inside_the_photo_and_have_an_area():
    assert photo_files.check_rectangle(0, 0, 100, 100) == photo_files.Rectangle.whole()
    for edges in ((50, 0, 40, 10), (0, 10, 10, 10), (-1, 0, 10, 10), (0, 0, 101, 10),
                  (None, 0, 10, 10)):  # fmt: skip
        with pytest.raises(photo_files.PhotoError):
            photo_files.check_rectangle(*edges)


def test_black_out_fills_the_rectangle_to_whole_pixels():
    image = Image.new("RGB", (200, 100), "white")
    redacted = photo_files.black_out(image, photo_files.Rectangle(10.2, 10, 50, 50.5))
    assert redacted.getpixel((20, 10)) == (0, 0, 0)  # 10.2 % of 200 = 20.4: pixel 20 is covered
    assert redacted.getpixel((99, 50)) == (0, 0, 0)
    assert redacted.getpixel((100, 20)) == (255, 255, 255)
    assert redacted.getpixel((50, 51)) == (255, 255, 255)
    assert image.getpixel((20, 10)) == (255, 255, 255)  # a copy: the original is untouched


@BOTH_PHOTO_STORAGES
def test_redact_stored_writes_a_new_photo_and_thumbnail_and_leaves_the_old_one(photo_storage):
    processed = photo_files.process_photo(jpeg_bytes((800, 600), "white"), "door.jpg")
    path, thumbnail = photo_files.store_photo(processed, photo_storage)

    new_path, new_thumbnail, width, height = photo_files.redact_stored(
        photo_storage, path, photo_files.Rectangle(0, 0, 50, 50)
    )

    assert {new_path, new_thumbnail}.isdisjoint({path, thumbnail})
    assert (width, height) == (800, 600)
    redacted = _open(photo_storage.read(new_path))
    assert redacted.format == "JPEG" and max(redacted.getpixel((100, 100))) < 10
    assert min(redacted.getpixel((700, 500))) > 240
    small = _open(photo_storage.read(new_thumbnail))
    assert max(small.size) == photo_files.THUMB_EDGE
    assert max(small.getpixel((10, 10))) < 10
    assert min(_open(photo_storage.read(path)).getpixel((100, 100))) > 240
    assert stored_files(photo_storage) == sorted([path, thumbnail, new_path, new_thumbnail])
