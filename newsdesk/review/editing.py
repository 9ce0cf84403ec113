"""A segment's translation as an editor edits it, and back.

The editor edits words only: each protected part of the original (a link, code, emphasis, a
name on the do-not-translate list) is a numbered placeholder (`⟦0⟧`) that must stay, once, as
for a provider's answer; what the editor types is text, made safe for where the segment goes
by the same `restore` the build uses (newsdesk.segments).
"""

import difflib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsdesk.segments import INLINE_RE, PLACEHOLDER, plain_text, restore

# What a quote function escaped: a backslash before punctuation, a character reference.
ESCAPED_RE = re.compile(r"\\[!-/:-@\[-`{-~]|\\(?=\d)|&(?:amp|lt|gt|quot|#\d+);")
ESCAPED_SPLIT_RE = re.compile(r"^\\(\d)|\\([!-/:-@\[-`{-~])")
# What a protected part is, by the group of INLINE_RE that found it; the rest are names.
PART_NAMES = {"code": "code", "image": "image", "footnote": "footnote", "credit": "credit",
              "link_open": "link", "link_close": "link", "autolink": "address",
              "html": "html", "url": "address", "email": "address", "emphasis": "emphasis"}


@dataclass(frozen=True)
class Part:
    """A protected part of a segment: its placeholder, what it is, and its text."""

    placeholder: str
    kind: str  # a key of newsdesk.review.words: link, code, emphasis, name, ...
    text: str


def parts(tokens: list[str]) -> list[Part]:
    """The protected parts of a segment, by placeholder number."""
    found = []
    for number, token in enumerate(tokens):
        match = INLINE_RE.fullmatch(token)
        kind = PART_NAMES.get(match.lastgroup, "html") if match and match.lastgroup else "name"
        found.append(Part(PLACEHOLDER.format(number), kind, token))
    return found


def marked(text: str, tokens: list[str]) -> list[tuple[str, Part | None]]:
    """The original as pieces of text (None) and protected parts, in order, for showing it."""
    by_number = parts(tokens)
    return [(piece, by_number[part] if part is not None else None)
            for piece, part in _scan(text, tokens, escapes=False)]


def editable(translation: str, tokens: list[str], quote: Callable[[str], str]) -> str:
    """The translation as the editor edits it: the original's protected parts as their
    placeholders, the rest as the text it shows (what `quote` escaped, unescaped)."""
    escapes = quote is not plain_text
    out = []
    for piece, part in _scan(translation, tokens, escapes):
        out.append(PLACEHOLDER.format(part) if part is not None
                   else _unescape(piece) if escapes else piece)
    return "".join(out)


def made_safe(text: str, tokens: list[str], quote: Callable[[str], str]) -> str:
    """What the editor wrote, as the memory keeps it; BrokenMarkup (newsdesk.segments) when a
    placeholder is missing, doubled or invented."""
    return restore(text, tokens, quote)


def _scan(text: str, tokens: list[str], escapes: bool) -> Iterator[tuple[str, int | None]]:
    """(text, None) and (token text, placeholder number) pieces of `text`: each token found at
    most once, the longest first where several start at the same place."""
    unused = sorted(range(len(tokens)), key=lambda n: -len(tokens[n]))
    plain: list[str] = []
    i = 0
    while i < len(text):
        if escapes and text[i] == "\\" and (match := ESCAPED_RE.match(text, i)):
            plain.append(match.group())
            i = match.end()
            continue
        number = next((n for n in unused if tokens[n] and text.startswith(tokens[n], i)), None)
        if number is None:
            match = ESCAPED_RE.match(text, i) if escapes else None
            end = match.end() if match else i + 1
            plain.append(text[i:end])
            i = end
            continue
        if plain:
            yield "".join(plain), None
            plain = []
        unused.remove(number)
        yield tokens[number], number
        i += len(tokens[number])
    if plain:
        yield "".join(plain), None


def _unescape(text: str) -> str:
    """Text as a quote function (newsdesk.segments) had it before escaping it."""
    return html.unescape(ESCAPED_SPLIT_RE.sub(lambda m: m.group(1) or m.group(2), text))


def changes(old: str, new: str) -> list[tuple[str, str]]:
    """Word by word, how an original changed: ("same" | "removed" | "added", text) pieces."""
    old_words, new_words = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    pieces = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(new_words[b1:b2])))
            continue
        for kind, words in (("removed", old_words[a1:a2]), ("added", new_words[b1:b2])):
            text = "".join(words)
            if text:  # the space after a change is no part of it
                pieces += [(kind, text.rstrip()), ("same", text[len(text.rstrip()):])]
    return [piece for piece in pieces if piece[1]]


def likeness(old: str, new: str) -> float:
    """How alike two originals are (0 to 1), word by word."""
    return difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()
