"""Caption and credit fields that agencies embed in photos (IPTC IIM and XMP)."""

import re
from html import unescape

from PIL import Image, IptcImagePlugin

IPTC_FIELDS = {(2, 120): "caption", (2, 110): "credit", (2, 80): "byline", (2, 116): "copyright"}
XMP_FIELDS = {
    "caption": r"<dc:description>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "credit": r"<photoshop:Credit>(.*?)</photoshop:Credit>|photoshop:Credit=\"([^\"]*)\"",
    "byline": r"<dc:creator>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "copyright": r"<dc:rights>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
}


def read_photo_metadata(path):
    """{caption, credit, byline, copyright} found in the file; IPTC first, then XMP."""
    found = {}
    with Image.open(path) as image:
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
        xmp = image.info.get("xmp") or b""
    for key, name in IPTC_FIELDS.items():
        value = iptc.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            found[name] = _decode(value)
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
    for name, pattern in XMP_FIELDS.items():
        match = re.search(pattern, text, re.DOTALL)
        if match and name not in found:
            value = next(g for g in match.groups() if g is not None)
            found[name] = unescape(value)
    return {k: " ".join(v.split()) for k, v in found.items() if v.strip()}


def credit_line(meta):
    """The credit as newsrooms print it: AGENCY/PHOTOGRAPHER."""
    credit, byline = meta.get("credit", ""), meta.get("byline", "")
    if credit and byline and byline.lower() not in credit.lower():
        return f"{credit}/{byline}"
    return credit or byline or meta.get("copyright", "")


def _decode(value):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")

