"""The figures plugin's steps, in the order Pelican runs them."""

import functools
import logging
import os
import re
import shutil
from html import escape, unescape
from pathlib import Path

from markupsafe import Markup
from pelican.contents import Article
from PIL import Image

from newsdesk import processes
from newsdesk.parallel import worker_count
from newsdesk.paths import is_within, writable
from newsdesk.pelican_seams import html_as_read
from newsdesk.plugins.editions.generator import EditionsGenerator
from newsdesk.progress import progress
from newsdesk.report import where

from .images import VARIANTS_URL, ImageError, Processed, process_image
from .markdown_figures import FigureExtension
from .photo_metadata import credit_line, read_photo_metadata

log = logging.getLogger(__name__)
STATIC_IMG_RE = re.compile(r"""<img\b[^>]*?\bsrc=["']\{(?:static|attach)\}/?([^"'?#]+)""")
IMG_TAG_RE = re.compile(r"<img\b[^>]*>")
ATTR_RE = re.compile(r'([\w-]+)="([^"]*)"')
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")
CONTENT_SIZES = "(min-width: 44rem) 42rem, 100vw"
LEAD_SIZES = "(min-width: 74rem) 72rem, 100vw"

# What this build has processed: content path -> Processed (one build per process), and the
# content paths of photos that could not be processed.
PROCESSED: dict[str, Processed] = {}
FAILED: set[str] = set()
STATS = {"made": 0, "cached": 0}


def _settings_path(settings, relative):
    return os.path.join(settings["PATH"], relative)


@functools.lru_cache(maxsize=4096)
def _photo_metadata(path, _mtime):
    try:
        return read_photo_metadata(path)
    except Exception:  # an unreadable file is reported when it is processed
        return {}


def photo_metadata(settings, relative):
    path = _settings_path(settings, relative)
    if not is_within(settings["PATH"], relative) or not os.path.isfile(path):
        return {}
    meta = _photo_metadata(path, os.stat(path).st_mtime_ns)
    return dict(meta, credit=credit_line(meta)) if meta else {}


def _content_path(src):
    return re.sub(r"^\{(static|attach)\}/?", "", src).lstrip("/")


# -- reading --------------------------------------------------------------------------------


class PhotoLookup:
    """Caption and credit fields of the photo an image source names (picklable, since
    Pelican's content cache stores the settings this sits in)."""

    def __init__(self, content_path):
        self.settings = {"PATH": content_path}

    def __call__(self, src):
        return photo_metadata(self.settings, _content_path(src))


def add_markdown_extension(readers):
    settings = readers.settings
    extensions = settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(e, FigureExtension) for e in extensions):
        extensions.append(FigureExtension(photo_metadata=PhotoLookup(settings["PATH"])))


def check_article_images(content):
    """Fill the lead photo's caption and credit from the file; report missing alt texts."""
    if not isinstance(content, Article) or getattr(content, "invalid", False):
        return
    lead = getattr(content, "lead_image", None)
    if lead:
        found = photo_metadata(content.settings, lead["path"])
        lead["caption"] = lead["caption"] or found.get("caption", "")
        lead["credit"] = lead["credit"] or found.get("credit", "")
        alt = content.metadata.get("alt")
        lead["alt"] = "" if alt == '""' else (alt or lead["caption"])
        if not lead["alt"] and alt != '""':
            _missing_alt(content, lead["path"])
    for tag in IMG_TAG_RE.findall(html_as_read(content)):
        attrs = dict(ATTR_RE.findall(tag))
        if not attrs.get("alt") and "decorative" not in attrs.get("class", ""):
            _missing_alt(content, _content_path(attrs.get("src", "?")))


def _missing_alt(article, image):
    level = logging.ERROR if article.settings.get("STRICT") else logging.WARNING
    log.log(level, '%s: image %s has no alt text; describe it, or write ![""](…) for a '
            "decorative image", where(article), image)


# -- processing -----------------------------------------------------------------------------


def process_site_images(generators):
    """Process every photo published: those the articles use, and the rest of the static
    photos (published stripped of camera and location data too), once for all editions."""
    context = generators[0].context
    settings = generators[0].settings
    users = {}
    articles = [article for generator in generators if isinstance(generator, EditionsGenerator)
                for article in generator.articles_read]
    for article in articles:
        if getattr(article, "invalid", False):
            continue
        paths = STATIC_IMG_RE.findall(html_as_read(article))
        if getattr(article, "lead_image", None):
            paths.append(article.lead_image["path"])
        for path in paths:
            if path.lower().endswith(IMAGE_EXTENSIONS):
                users.setdefault(os.path.normpath(path), []).append(article)
    for static in context.get("staticfiles", []):
        path = os.path.normpath(static.get_relative_source_path())
        if path.lower().endswith(IMAGE_EXTENSIONS):
            users.setdefault(path, [])
    PROCESSED.clear()
    FAILED.clear()
    STATS.update(made=0, cached=0)
    cache = os.path.join(settings["CACHE_PATH"], "images")
    jobs = sorted(p for p in users if is_within(settings["PATH"], p)
                  and os.path.isfile(_settings_path(settings, p)))
    workers = worker_count(settings, "IMAGE_WORKERS", default=2)
    with processes.process_pool(workers) as pool:
        futures = {p: pool.submit(process_image, _settings_path(settings, p), cache,
                                  _image_settings(settings)) for p in jobs}
        for path in progress(jobs, "Processing images", enabled=len(jobs) > 20):
            try:
                processed, made = futures[path].result()
            except ImageError as exc:
                names = ", ".join(sorted({where(a) for a in users[path]}))
                log.error("%s: image %s: %s", names or where(_settings_path(settings, path)),
                          path, exc)
                FAILED.add(path)
                continue
            PROCESSED[path] = processed
            STATS["made" if made else "cached"] += 1
    if jobs:
        print(f"images: {STATS['made']} processed, {STATS['cached']} unchanged (cached)")


def _image_settings(settings):
    return {k: v for k, v in settings.items() if k.startswith("IMAGE_")}


def publish_images(pelican):
    """Link the processed copies into the output; replace originals by their stripped copy. A
    photo that could not be processed is not published at all (it would keep its metadata)."""
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    cache = Path(settings["CACHE_PATH"]) / "images"
    target = output / VARIANTS_URL
    target.mkdir(parents=True, exist_ok=True)
    for path, processed in PROCESSED.items():
        folder = cache / processed.digest
        for width in processed.widths:
            for fmt in ("jpg", "webp"):
                name = processed.name(width, fmt)
                _link(settings, folder / name, target / name)
        published = output / path
        if published.exists():
            published.unlink()
            _link(settings, folder / "original.jpg", published)
    for path in FAILED:
        published = output / path
        if published.exists():
            writable(settings, published).unlink()


def _link(settings, source, target):
    target = writable(settings, target)
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(source, target)


# -- templates ------------------------------------------------------------------------------


def add_template_helpers(generator):
    generator.env.globals["picture"] = picture
    generator.env.globals["share_image"] = functools.partial(
        share_image, default=theme_share_image(generator.settings))
    generator.env.filters["responsive_images"] = responsive_images


def picture(siteurl, path, alt, lead=False, sizes=None):
    """<picture> markup for a processed photo (a plain <img> if it could not be processed)."""
    processed = PROCESSED.get(os.path.normpath(path))
    loading = ' fetchpriority="high"' if lead else ' loading="lazy" decoding="async"'
    if processed is None:
        return Markup(f'<img src="{siteurl}/{escape(path)}" alt="{escape(alt)}"{loading}>')
    sizes = sizes or (LEAD_SIZES if lead else CONTENT_SIZES)
    return Markup(
        f'<picture><source type="image/webp" srcset="{processed.srcset(siteurl, "webp")}" '
        f'sizes="{sizes}"><img src="{processed.fallback(siteurl)}" '
        f'srcset="{processed.srcset(siteurl, "jpg")}" sizes="{sizes}" '
        f'width="{processed.width}" height="{processed.height}" alt="{escape(alt)}"'
        f"{loading}></picture>")


def share_image(origin, article, default=None):
    """The image for link previews: the lead photo as a 1200-pixel JPEG (or the widest there
    is), else `default`, the theme's image (see theme_share_image)."""
    lead = getattr(article, "lead_image", None)
    processed = PROCESSED.get(os.path.normpath(lead["path"])) if lead else None
    if processed is None:
        return default and dict(default, url=f"{origin}/{default['url']}")
    width = max([w for w in processed.widths if w <= 1200] or processed.widths[:1])
    return {"url": f"{origin}/{VARIANTS_URL}/{processed.name(width, 'jpg')}", "width": width,
            "height": round(processed.height * width / processed.width), "alt": lead["alt"],
            "caption": lead.get("caption", ""), "credit": lead.get("credit", "")}


def theme_share_image(settings):
    """SHARE_IMAGE, the theme's image for articles without a photo (a file in its static
    folder): {"url" (from the site's root), "width", "height"}, or None."""
    return _theme_image(settings["THEME"], settings.get("SHARE_IMAGE"),
                        settings.get("THEME_STATIC_DIR", "theme"))


@functools.lru_cache(maxsize=8)  # once per build (one build per process): one warning
def _theme_image(theme, name, static_dir):
    if not name:
        return None
    path = Path(theme, "static", name)
    if not path.is_file():
        log.warning("SHARE_IMAGE: the theme has no %s; articles without a photo have no image "
                    "in link previews", path)
        return None
    with Image.open(path) as image:
        width, height = image.size
    return {"url": f"{static_dir}/{name}", "width": width, "height": height}


def responsive_images(html, siteurl):
    """Replace the <img> of processed photos in an article body by <picture> markup."""

    def replace(match):
        attrs = dict(ATTR_RE.findall(match.group()))
        src = attrs.get("src", "")
        path = src[len(siteurl):] if siteurl and src.startswith(siteurl) else src
        path = os.path.normpath(path.lstrip("/"))
        if path not in PROCESSED:
            return match.group()
        alt = attrs.get("alt", "")
        return str(picture(siteurl, path, unescape(alt)))

    return Markup(IMG_TAG_RE.sub(replace, str(html)))

