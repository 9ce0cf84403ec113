"""Markdown split into the segments a translator sees, and put back together.

A document becomes a list of pieces: literal Markdown that is never sent (code blocks, block
markers, URLs, photo credits) and segments (paragraphs, headings, list items, quotes, table
cells, image alt texts and captions). Inside a segment, links, emphasis, inline code, inline
HTML, footnote marks, URLs and do-not-translate terms are replaced by numbered placeholders; an
answer must bring every placeholder back, or the segment stays untranslated. What the
provider wrote around them is text: it is escaped once for the place the segment goes
(Markdown, an image's quoted title, a table cell), or kept as it is for a field shown as text
(title, lead caption, alt text). A segment's `fit` makes any translation of it, the memory's
too, stay where it goes (an image's title).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsdesk.fields import caption_and_credit

PLACEHOLDER = "⟦{}⟧"
PLACEHOLDER_RE = re.compile(r"⟦\s*(\d+)\s*⟧")

INLINE_RE = re.compile(
    r"(?P<code>(`+).+?\2)"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<footnote>\[\^[^\]]+\])"
    r"|(?P<credit>\[[^\[\]]+\]\s*$)"
    r"|(?P<link_close>\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\])"
    r"|(?P<link_open>\[)"
    r"|(?P<autolink><(?:https?://|mailto:)[^>]+>)"
    r"|(?P<html></?[A-Za-z][^>]*>|&[a-zA-Z]+;|&#\d+;)"
    r"|(?P<url>\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?\"'])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<emphasis>\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)|(?<=\S)_(?!\w))"
)
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
HEADING_RE = re.compile(r"^(#{1,6}\s+)(.*?)(\s+#+\s*)?$")
LIST_RE = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
QUOTE_RE = re.compile(r"^((?:\s*>\s?)+)(.*)$")
FOOTNOTE_DEF_RE = re.compile(r"^(\[\^[^\]]+\]:\s*)(.*)()$")
IMAGE_BLOCK_RE = re.compile(
    r'^(\s*!\[)(?P<alt>[^\]]*)(\]\(\s*[^)\s]+)(?:(\s+")(?P<title>[^"]*)("))?(\s*\)\s*)$')
TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Segment:
    """A piece of text to translate; `kind` says what it is (paragraph, heading, caption...),
    `quote` how a provider's text is made safe where it goes (see restore), `fit` how any
    translation of it is kept where it goes (see Document.render)."""

    kind: str
    text: str
    quote: Callable[[str], str] | None = None
    fit: Callable[[str], str] | None = None


@dataclass
class Document:
    """Markdown as literal pieces and segments, in order."""

    pieces: list[str | Segment] = field(default_factory=list)

    def render(self, translate: Callable[[Segment], str]) -> str:
        """The Markdown with each segment replaced by translate(segment), fitted."""
        out = []
        for piece in self.pieces:
            if isinstance(piece, Segment):
                piece = piece.fit(translate(piece)) if piece.fit else translate(piece)
            out.append(piece)
        return "".join(out)


def normalise(text: str) -> str:
    return " ".join(text.split())


def split_markdown(text: str) -> Document:
    """Split a Markdown body into literal pieces and segments."""
    doc = Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE_RE.match(line)
        if fence:
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(fence.group(2)):
                end += 1
            doc.pieces.append("\n".join(lines[i: end + 1]) + "\n")
            i = end + 1
            continue
        if not line.strip() or line.startswith(("    ", "\t")) or re.match(r"^\s*[-*_]{3,}\s*$",
                                                                        line):
            doc.pieces.append(line + "\n")
            i += 1
            continue
        # a paragraph-like block runs to the next blank line
        end = i
        while end + 1 < len(lines) and lines[end + 1].strip() and not FENCE_RE.match(
            lines[end + 1]
        ):
            end += 1
        _split_block(lines[i: end + 1], doc)
        i = end + 1
    if doc.pieces and not text.endswith("\n"):
        last = doc.pieces[-1]
        if isinstance(last, str) and last.endswith("\n"):
            doc.pieces[-1] = last[:-1]
    return doc


def _split_block(block: list[str], doc: Document) -> None:
    first = block[0]
    if re.match(r"\s*<(?!https?://|mailto:)[A-Za-z!/]", first):
        doc.pieces.append("\n".join(block) + "\n")  # a raw HTML block is kept as written
        return
    if "|" in first and len(block) > 1 and TABLE_SEPARATOR_RE.match(block[1]):
        for line in block:
            _split_table_row(line, doc)
        return
    if len(block) == 1 and (m := IMAGE_BLOCK_RE.match(first)):
        doc.pieces += [m.group(1), *_maybe(Segment("alt", m.group("alt"))), m.group(3)]
        if m.group("title") is not None:
            caption, credit = caption_and_credit(m.group("title"))
            credit = f"[{credit}]" if credit else ""  # never sent: the author's, as written
            doc.pieces += [m.group(4), *_maybe(Segment("caption", caption, image_title_text,
                                                       image_title)),
                           " " + credit if caption and credit else credit, m.group(6)]
        doc.pieces.append(m.group(7) + "\n")
        return
    for pattern, kind in ((HEADING_RE, "heading"), (FOOTNOTE_DEF_RE, "footnote")):
        m = pattern.match(first)
        if m and len(block) == 1:
            doc.pieces += [m.group(1), *_maybe(Segment(kind, m.group(2))),
                           (m.group(3) or "") + "\n"]
            return
    if LIST_RE.match(first) or QUOTE_RE.match(first):
        _split_items(block, doc)
        return
    doc.pieces += [*_maybe(Segment("paragraph", "\n".join(block))), "\n"]


def _split_items(block: list[str], doc: Document) -> None:
    """List items and quoted lines: the marker stays, each item's text is one segment."""
    items: list[list[str]] = []
    for line in block:
        m = LIST_RE.match(line) or QUOTE_RE.match(line)
        if m:
            items.append([m.group(1), m.group(2)])
        elif items:
            items[-1][1] += " " + line.strip()
        else:
            items.append(["", line])
    for marker, text in items:
        doc.pieces += [marker, *_maybe(Segment("item", text)), "\n"]


def _split_table_row(line: str, doc: Document) -> None:
    if TABLE_SEPARATOR_RE.match(line):
        doc.pieces.append(line + "\n")
        return
    cells = line.split("|")
    for n, cell in enumerate(cells):
        stripped = cell.strip()
        lead = cell[: len(cell) - len(cell.lstrip())]
        trail = cell[len(cell.rstrip()):]
        doc.pieces += [lead, *_maybe(Segment("cell", stripped, table_cell_text)), trail]
        if n < len(cells) - 1:
            doc.pieces.append("|")
    doc.pieces.append("\n")


def _maybe(segment: Segment) -> list[str | Segment]:
    """A segment only if it has words to translate; otherwise its text as it is."""
    protected, _ = protect(segment.text)
    if re.search(r"[^\W\d_]", PLACEHOLDER_RE.sub("", protected)):
        return [segment]
    return [segment.text] if segment.text else []


def protect(text: str, terms: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Replace markup and do-not-translate terms with placeholders; return (text, tokens)."""
    tokens: list[str] = []

    def hold(value: str) -> str:
        tokens.append(value)
        return PLACEHOLDER.format(len(tokens) - 1)

    def protect_markup(chunk: str) -> str:
        return INLINE_RE.sub(lambda m: hold(m.group()), chunk)

    if terms:
        pattern = re.compile(r"(?<!\w)(" + "|".join(
            re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)")
        parts, last = [], 0
        for m in pattern.finditer(text):
            parts.append(protect_markup(text[last: m.start()]))
            parts.append(hold(m.group()))
            last = m.end()
        parts.append(protect_markup(text[last:]))
        return "".join(parts), tokens
    return protect_markup(text), tokens


class BrokenMarkup(ValueError):
    """A translation lost, duplicated or invented a placeholder."""


def restore(answer: str, tokens: list[str], quote: Callable[[str], str] | None = None
            ) -> str:
    """Put the protected pieces back into a translation, or raise BrokenMarkup. The provider's
    own text goes through `quote` (default: markdown_text) first, the pieces as they were."""
    found = [int(n) for n in PLACEHOLDER_RE.findall(answer)]
    if sorted(found) != list(range(len(tokens))):
        raise BrokenMarkup(f"expected placeholders 0..{len(tokens) - 1}, got {found}")
    opens = [i for i, t in enumerate(tokens) if t == "["]
    closes = [i for i, t in enumerate(tokens) if t.startswith("](") or t.startswith("][")]
    order = {n: pos for pos, n in enumerate(found)}
    for o, c in zip(opens, closes, strict=False):
        if order[o] > order[c]:
            raise BrokenMarkup("a link's text was moved outside the link")
    text = normalise(PLACEHOLDER_RE.sub(lambda m: "\0" + m.group(1) + "\0", answer))
    text = (quote or markdown_text)(text)
    return re.sub("\0(\\d+)\0", lambda m: tokens[int(m.group(1))], text)


def plain_text(text: str) -> str:
    """A provider's text for a field shown as text (the theme escapes it): as it came."""
    return text


def markdown_text(text: str) -> str:
    """A provider's text as Markdown that shows it as written: no HTML, character references,
    links, emphasis, attributes or new blocks of its own."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([\[\]`\\*_{}])", r"\\\1", text)
    return re.sub(r"^([#>+\-*]|\d+[.)])", r"\\\1", text)


def table_cell_text(text: str) -> str:
    """markdown_text for a table cell: a bar would start another cell."""
    return markdown_text(text).replace("|", "\\|")


def image_title_text(text: str) -> str:
    """markdown_text for an image's quoted title, which becomes its figure's caption."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return image_title(re.sub(r"([`\\*_{}])", r"\\\1", text))


def image_title(text: str) -> str:
    """A caption kept inside its image's quoted title, whoever wrote it (image_title_text, an
    editor in the memory): no quote that would end the title (a single one may too), no
    bracket that would read as a credit, no backslash that would escape the closing quote."""
    text = text.replace('"', "&quot;").replace("'", "&#39;")
    text = text.replace("[", "&#91;").replace("]", "&#93;")
    return text + "\\" if (len(text) - len(text.rstrip("\\"))) % 2 else text
