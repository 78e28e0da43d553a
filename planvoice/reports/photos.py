"""Residents' photos: checked, cleaned and re-encoded before anything is stored.

An upload is decoded by Pillow from its bytes alone (the name and the browser's content type
are the sender's claims, not facts), and only JPEG, PNG and WebP are accepted, plus HEIF/HEIC
when the optional ``pillow_heif`` plugin is installed. What we keep is always a fresh JPEG
with no metadata: phone photos carry GPS coordinates and device details in EXIF/XMP, and a
resident reporting a pothole must not publish where they live.
"""

import contextlib
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from math import ceil, floor
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from planvoice.core import storage
from planvoice.core.i18n import _

MAX_PHOTO_BYTES = 10 * 1024 * 1024  # 10 MB per file
MAX_PHOTO_PIXELS = 40_000_000  # width*height limit (decompression bombs)
LARGE_EDGE = 1600  # longest edge of the stored photo
THUMB_EDGE = 320  # longest edge of the thumbnail

_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
try:
    from pillow_heif import register_heif_opener
except ImportError:  # optional: without it, iPhone HEIC files are refused as unreadable
    pass
else:
    register_heif_opener()
    _FORMATS += ("HEIF",)


class PhotoError(ValueError):
    """A file that cannot be accepted as a photo; str(error) is a translated message for people
    that names the file."""


@dataclass(frozen=True)
class ProcessedPhoto:
    large: bytes  # JPEG, longest edge <= LARGE_EDGE, no metadata at all
    thumbnail: bytes  # JPEG, longest edge <= THUMB_EDGE, no metadata
    width: int  # of large
    height: int  # of large


def process_photo(
    data: bytes, filename: str, *, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS
) -> ProcessedPhoto:
    """Decode an upload, refuse what is not an acceptable photo (``PhotoError``), and return a
    turned-upright, metadata-free JPEG of at most ``LARGE_EDGE`` and a thumbnail."""
    if len(data) > max_bytes:  # refused before Pillow sees a byte
        raise _too_large(filename, max_bytes)

    # Pillow only warns about a likely bomb; as an error it cannot slip past (our own, lower
    # limit below refuses those sizes anyway, even if another thread resets the filters).
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only these decoders may look at the bytes: a GIF or TIFF is not identified at all,
            # and an empty file is refused here too. Reads the header, not the pixels.
            image = Image.open(BytesIO(data), formats=_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(filename) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _unreadable(filename) from None
        if image.width * image.height > max_pixels:
            raise _too_many_pixels(filename)
        try:
            # A JPEG can decode at 1/2, 1/4 or 1/8 scale: big camera photos need far less memory.
            scale = LARGE_EDGE / max(image.size)
            if scale < 1:
                image.draft(None, (ceil(image.width * scale), ceil(image.height * scale)))
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            large = _flatten(image)
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _damaged(filename) from None
    large.thumbnail((LARGE_EDGE, LARGE_EDGE), Image.Resampling.LANCZOS)  # never enlarges
    thumbnail = large.copy()
    thumbnail.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(_jpeg(large), _jpeg(thumbnail), large.width, large.height)


# Each message names the file, so a resident choosing several knows which one to replace.
def _too_large(name: str, max_bytes: int) -> PhotoError:
    limit = max_bytes // (1024 * 1024)
    return PhotoError(
        _(
            "“%(name)s” is larger than %(limit)d MB. Please choose a smaller photo.",
            name=name,
            limit=limit,
        )
    )


def _unreadable(name: str) -> PhotoError:
    return PhotoError(
        _(
            "“%(name)s” is not a photo we can read. Please use a JPEG, PNG or WebP picture.",
            name=name,
        )
    )


def _too_many_pixels(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” has too many pixels. Please choose a smaller picture.", name=name)
    )


def _damaged(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” is damaged or incomplete. Please take or choose the photo again.", name=name)
    )


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy, transparent parts laid on white (JPEG has no alpha; black would show)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    # convert() copies info; JPEG save would carry a comment over from it.
    flat.info = {}
    return flat


def _jpeg(image: Image.Image) -> bytes:
    # No exif/icc_profile/xmp/comment arguments: the file gets none of them.
    out = BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


# Where photos go: a store from ``core.storage`` (the app's is ``storage.backend()``), or a
# folder, which is a local store.
Store = storage.Storage | str | Path


def _store(store: Store) -> storage.Storage:
    return storage.LocalStorage(store) if isinstance(store, str | Path) else store


def store_photo(photo: ProcessedPhoto, store: Store) -> tuple[str, str]:
    """Store a processed photo and its thumbnail in ``store`` with unguessable names, sharded
    by the first two characters; return their keys (POSIX paths relative to the folder)."""
    store = _store(store)
    stem = secrets.token_hex(16)
    paths = (f"{stem[:2]}/{stem}.jpg", f"{stem[:2]}/{stem}_t.jpg")
    try:
        for path, content in zip(paths, (photo.large, photo.thumbnail), strict=True):
            store.save(path, content, "image/jpeg")
    except BaseException:  # a full disk must not leave one of the pair behind
        # The failure that matters is the first one; a store that is down fails this too.
        with contextlib.suppress(Exception):
            store.delete(*paths)
        raise
    return paths


def delete_stored(store: Store, *relative_paths: str) -> None:
    """Remove stored files, ignoring ones already gone (cleans up after a failed transaction)."""
    _store(store).delete(*relative_paths)


# Redacting personal data (faces, number plates, house numbers) from a stored photo


@dataclass(frozen=True)
class Rectangle:
    """Part of a photo in percentages of its width and height, from its top left corner."""

    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def whole(cls) -> "Rectangle":
        return cls(0, 0, 100, 100)

    def as_list(self) -> list[float]:
        return [self.left, self.top, self.right, self.bottom]


def check_rectangle(left, top, right, bottom) -> Rectangle:
    """A rectangle from four percentages, or ``PhotoError`` with a message for the moderator
    (missing values, values outside 0–100, or an empty rectangle)."""
    values = (left, top, right, bottom)
    if any(value is None for value in values):
        raise PhotoError(_("Give all four edges of the part to black out, from 0 to 100."))
    if any(not 0 <= value <= 100 for value in values):
        raise PhotoError(_("Each edge is a percentage: give numbers from 0 to 100."))
    if left >= right or top >= bottom:
        raise PhotoError(
            _("The left edge must be less than the right one, and the top less than the bottom.")
        )
    return Rectangle(*(float(value) for value in values))


def black_out(image: Image.Image, box: Rectangle) -> Image.Image:
    """An RGB copy of ``image`` with ``box`` filled black; the box is widened to whole pixels,
    so nothing at its edges stays readable."""
    redacted = _flatten(image)
    width, height = redacted.size
    pixels = (
        floor(box.left * width / 100),
        floor(box.top * height / 100),
        ceil(box.right * width / 100),
        ceil(box.bottom * height / 100),
    )
    redacted.paste((0, 0, 0), pixels)
    return redacted


def redact_stored(store: Store, path: str, box: Rectangle) -> tuple[str, str, int, int]:
    """Black out ``box`` of the stored photo at ``path`` and store the result as a new photo
    with a new thumbnail; return their paths and its size. The file at ``path`` is left as it
    is: the caller decides whether it is kept (as the original) or deleted."""
    store = _store(store)
    with Image.open(BytesIO(store.read(path))) as stored:
        stored.load()
        redacted = black_out(stored, box)
    thumbnail = redacted.copy()
    thumbnail.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    processed = ProcessedPhoto(_jpeg(redacted), _jpeg(thumbnail), *redacted.size)
    return (*store_photo(processed, store), processed.width, processed.height)
