"""Small PNG previews of images, made with Pillow. An image whose header claims more pixels
than `MAX_PIXELS` (a decompression bomb), or that Pillow cannot read, gets no thumbnail."""

import io
import warnings

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000
SIZE = (240, 240)


def thumbnail_png(handle) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return None
                image.thumbnail(SIZE)
                out = io.BytesIO()
                image.convert("RGBA").save(out, format="PNG")
                return out.getvalue()
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
    ):
        return None
