"""A Markdown extension: an image alone in its paragraph becomes a figure with its caption.

![What the photo shows](photo.jpg "Caption. [AGENCY/PHOTOGRAPHER]") becomes
<figure><img alt="What the photo shows" src="photo.jpg"><figcaption>Caption.
<span class="credit" translate="no">AGENCY/PHOTOGRAPHER</span></figcaption></figure>: a
credit is a name, kept as written in both scripts.
An alt text of "" marks a decorative image (alt="" on purpose).
"""

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from newsdesk.fields import caption_and_credit

DECORATIVE = '""'


class FigureProcessor(Treeprocessor):
    def __init__(self, md, photo_metadata):
        super().__init__(md)
        self.photo_metadata = photo_metadata

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    self._mark_decorative(child)
                if child.tag == "p" and _only_image(child):
                    parent.remove(child)
                    parent.insert(index, self._figure(child[0]))

    @staticmethod
    def _mark_decorative(img):
        if img.get("alt") in (DECORATIVE, "\u201c\u201d", "&quot;&quot;"):
            img.set("alt", "")
            img.set("class", "decorative")

    def _figure(self, img):
        self._mark_decorative(img)
        caption, credit = caption_and_credit(img.attrib.pop("title", ""))
        if not (caption and credit):
            found = self.photo_metadata(img.get("src", ""))
            caption = caption or _tree_text(found.get("caption", ""))
            credit = credit or _tree_text(found.get("credit", ""))
        figure = etree.Element("figure", {"class": "figure"})
        figure.append(img)
        if caption or credit:
            figcaption = etree.SubElement(figure, "figcaption")
            figcaption.text = caption + (" " if caption and credit else "")
            if credit:
                etree.SubElement(figcaption, "span", {"class": "credit", "translate": "no"}
                                 ).text = credit
        return figure


def _tree_text(text):
    """Plain text (a photo's own caption) for Markdown's tree, whose serializer leaves an `&`
    that starts a character reference as it is."""
    return text.replace("&", "&amp;")


def _only_image(paragraph):
    return (len(paragraph) == 1 and paragraph[0].tag == "img"
            and not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip())


class FigureExtension(Extension):
    def __init__(self, photo_metadata=lambda src: {}, **kwargs):
        self.photo_metadata = photo_metadata
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # after inline patterns have made the <img> elements
        md.treeprocessors.register(FigureProcessor(md, self.photo_metadata), "figures", 5)
