"""Responsive copies of a photo: a few widths in WebP and JPEG, cached by the file's content.

Settings (defaults in brackets):
- IMAGE_WIDTHS [[480, 800, 1200, 1600, 2000]]: widths made, never wider than the original.
- IMAGE_MAX_PIXELS [40_000_000]: larger images are refused (decompression bombs).
- IMAGE_JPEG_QUALITY [80], IMAGE_WEBP_QUALITY [75].
- CACHE_PATH [Pelican's]: processed copies live in CACHE_PATH/images/<hash>/.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from newsdesk.atomic import write_atomic

PUBLISHED = 0o644  # readable by the web server
VARIANTS_URL = "images/_r"  # where processed copies are published, below the site's root


class ImageError(Exception):
    """An image that cannot be published."""


@dataclass
class Processed:
    digest: str
    width: int
    height: int
    widths: list = field(default_factory=list)

    def name(self, width, fmt):
        return f"{self.digest}-{width}.{fmt}"

    def srcset(self, siteurl, fmt):
        return ", ".join(f"{siteurl}/{VARIANTS_URL}/{self.name(w, fmt)} {w}w" for w in self.widths)

    def fallback(self, siteurl, wanted=1200):
        width = max([w for w in self.widths if w <= wanted] or self.widths[:1])
        return f"{siteurl}/{VARIANTS_URL}/{self.name(width, 'jpg')}"


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def process_image(path, cache_root, settings):
    """Processed copies of the image at `path`; made only if the cache lacks them.

    Returns (Processed, made) where made says whether any work was done.
    """
    digest = file_digest(path)
    folder = Path(cache_root) / digest
    info_file = folder / "info.json"
    if info_file.exists():
        return Processed(**json.loads(info_file.read_text())), False
    widths_wanted = settings.get("IMAGE_WIDTHS", [480, 800, 1200, 1600, 2000])
    max_pixels = settings.get("IMAGE_MAX_PIXELS", 40_000_000)
    try:
        with Image.open(path) as image:
            if image.width * image.height > max_pixels:
                raise ImageError(f"{image.width}×{image.height} pixels is more than the "
                                 f"{max_pixels} allowed (IMAGE_MAX_PIXELS)")
            image.draft("RGB", (max(widths_wanted), max(widths_wanted)))
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageError(f"not a readable image ({exc})") from exc
    except OSError as exc:
        raise ImageError(f"damaged image ({exc})") from exc
    width, height = upright.size
    widths = sorted({w for w in widths_wanted if w < width} | {min(width, max(widths_wanted))})
    folder.mkdir(parents=True, exist_ok=True)
    for w in widths:
        copy = upright if w == width else upright.resize(
            (w, round(height * w / width)), Image.Resampling.LANCZOS)
        # no EXIF, GPS or camera data is carried over into published files
        _save(copy, folder / f"{digest}-{w}.jpg", "JPEG",
              quality=settings.get("IMAGE_JPEG_QUALITY", 80), optimize=True, progressive=True)
        _save(copy, folder / f"{digest}-{w}.webp", "WEBP",
              quality=settings.get("IMAGE_WEBP_QUALITY", 75), method=4)
    _save(upright, folder / "original.jpg", "JPEG", quality=90, optimize=True)
    processed = Processed(digest, width, height, widths)
    write_atomic(info_file, json.dumps(asdict(processed)).encode(), mode=PUBLISHED)
    return processed, True


def _save(image, path, fmt, **options):
    write_atomic(path, lambda fp: image.save(fp, fmt, **options), mode=PUBLISHED)
