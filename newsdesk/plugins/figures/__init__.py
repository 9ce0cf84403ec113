"""Figures: captions with photo credits, photo metadata, and responsive images.

- Markdown images alone in a paragraph become <figure> with <figcaption> and a credit element.
- Captions and credits missing from the article are taken from the photo's IPTC/XMP fields.
- Every published photo is processed once (cached by content hash) into WebP and JPEG copies of a
  few widths, published under images/_r/; pages get <picture> with srcset, sizes, width and
  height. Published originals lose their EXIF, GPS and camera data.
- Images without alt text are reported (alt "" marks a decorative image).
"""

from pelican import signals

from .pipeline import (
    add_markdown_extension,
    add_template_helpers,
    check_article_images,
    process_site_images,
    publish_images,
)


def register() -> None:
    signals.readers_init.connect(add_markdown_extension)
    signals.content_object_init.connect(check_article_images)
    signals.all_generators_finalized.connect(process_site_images)
    signals.generator_init.connect(add_template_helpers)
    signals.finalized.connect(publish_images)
