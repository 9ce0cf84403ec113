"""Serbian Cyrillic ⇄ Latin transliteration, with correct digraph case.

Our own table: the PyPI packages turn ЉУБАВ into "LjUBAV". Here Љ becomes "LJ" inside an
upper-case word and "Lj" in a capitalised one, and back again. Latin to Cyrillic knows the words
where "nj", "lj" or "dž" are two letters (injekcija, konjunkcija, nadživeti). Left alone: URLs,
e-mail addresses, domain names, format placeholders, words with q, w, x or y, the names and terms
on a keep-as-is list, and in HTML: tags and attributes (but for alt and title texts), character
references, code, and any element an author marked with translate="no".
"""

import functools
import re
from collections.abc import Callable, Iterable

CYR_TO_LAT = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z",
    "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C",
    "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}
CYR_TO_LAT.update({c.lower(): lat.lower() for c, lat in list(CYR_TO_LAT.items())})
LAT_TO_CYR = {lat: cyr for cyr, lat in CYR_TO_LAT.items()}
LAT_TO_CYR.update({"LJ": "Љ", "NJ": "Њ", "DŽ": "Џ", "lJ": "љ", "nJ": "њ", "dŽ": "џ"})
# Latin letters that mean another letter in Cyrillic only as a pair.
DIGRAPH_RE = re.compile(r"[LlNn][Jj]|[Dd][Žž]")

# Word beginnings where the Latin pair is two Cyrillic letters: in-jekcija, kon-junkcija,
# nad-živeti, pod-žanr. Matched on the lower-cased word.
TWO_LETTER_PREFIXES = (
    "injek", "injun", "konjun", "konjuk", "konjug", "konjek", "vanjez", "vanjev",
    "nadžanj", "nadživ", "nadžnj", "nadžet", "podžanr", "podžup", "odžal", "odživ", "odžvak",
    "predžel", "izvanjez", "injektor",
)

# Never converted: URLs, e-mail addresses, domain names, %(name)s and {name} placeholders,
# hashtags (#MeToo) and names ending in ++ or # (C++, C#: a language's name). Each
# kind is looked for only in a text that has what it cannot match without (most texts have none).
TOP_LEVEL_DOMAINS = "rs|com|org|net|eu|info|io|me|ba|hr|de|uk"
# The end of a name such as C++, C# or F# (a language's name): kept as written, and read aloud in
# addresses (newsdesk.slugs).
NAME_SYMBOLS = r"(?:\+\+|#)(?![\w#+])"
KEEP_KINDS = (
    (lambda text, lower: "://" in text or "www." in lower,
     r"(?<![\w+.-])(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"']+"),
    (lambda text, lower: "@" in text, r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    (lambda text, lower: DOMAIN_HINT_RE.search(text) is not None,
     rf"\b[\w-]+(?:\.(?:{TOP_LEVEL_DOMAINS}))+\b"),
    (lambda text, lower: "%(" in text, r"%\([^)]*\)[a-z]"),
    (lambda text, lower: "{" in text, r"\{[^{}\s]*\}"),
    (lambda text, lower: "#" in text, r"(?<![\w&#])#[^\W\d_]\w*"),
    (lambda text, lower: "+" in text or "#" in text, rf"(?<!\w)[^\W\d_]\w*{NAME_SYMBOLS}"),
)
DOMAIN_HINT_RE: re.Pattern[str] = re.compile(rf"\.(?:{TOP_LEVEL_DOMAINS})\b", re.IGNORECASE)
LATIN_WORD_RE = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]+(?:['’-][A-Za-zČčĆćĐđŠšŽž]+)*")
# Capitalised words in a row: a name. One foreign word in it (New York Times) keeps it all.
NAME_RE = re.compile(r"[A-ZČĆĐŠŽ][\w'’-]*(?:[ \t]+[A-ZČĆĐŠŽ][\w'’-]*)+")
FOREIGN_LETTERS = set("QqWwXxYy")


def _is_upper_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalpha() and text[i].isupper()


def to_latin(text: str) -> str:
    """Cyrillic to Latin; Љ, Њ, Џ become LJ, NJ, DŽ inside upper-case words."""
    out = []
    for i, ch in enumerate(text):
        lat = CYR_TO_LAT.get(ch)
        if lat is None:
            out.append(ch)
        elif len(lat) == 2 and ch.isupper() and (
            _is_upper_at(text, i + 1)
            or (not (i + 1 < len(text) and text[i + 1].isalpha()) and _is_upper_at(text, i - 1))
        ):
            out.append(lat.upper())
        else:
            out.append(lat)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _word_to_cyrillic(word: str) -> str:
    if FOREIGN_LETTERS & set(word):
        return word
    lower = word.lower()
    split_at = set()
    for prefix in TWO_LETTER_PREFIXES:
        if lower.startswith(prefix):
            # the pair inside the prefix is two letters
            match = DIGRAPH_RE.search(word[: len(prefix)])
            if match:
                split_at.add(match.start())
    out, i = [], 0
    while i < len(word):
        pair = word[i: i + 2]
        if len(pair) == 2 and DIGRAPH_RE.fullmatch(pair) and i not in split_at:
            out.append(LAT_TO_CYR[pair])
            i += 2
            continue
        out.append(LAT_TO_CYR.get(word[i], word[i]))
        i += 1
    return "".join(out)


def to_cyrillic(text: str, keep: Iterable[str] = ()) -> str:
    """Latin to Cyrillic, leaving URLs, foreign words and the `keep` names as written."""
    lower = text.lower()
    kinds = tuple(i for i, (present, _) in enumerate(KEEP_KINDS) if present(text, lower))
    names = tuple(name for name in keep if name.lower() in lower)
    if not (kinds or names):
        return _words_to_cyrillic(text)
    pattern = _keep_pattern(kinds, names)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(_words_to_cyrillic(text[last: match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_words_to_cyrillic(text[last:]))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _keep_pattern(kinds: tuple[int, ...], names: tuple[str, ...]) -> re.Pattern[str]:
    """What is left as written in a text that has these kinds (KEEP_KINDS) and names."""
    parts = [KEEP_KINDS[kind][1] for kind in kinds]
    if names:
        alternatives = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        parts.append(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE)


def _words_to_cyrillic(text: str) -> str:
    out, last = [], 0
    for name in NAME_RE.finditer(text):
        foreign = re.search(r"[\w'’-]*[QqWwXxYy]", name.group())
        if foreign:  # keep from the first foreign word to the end of the name
            start = name.start() + foreign.start()
            out.append(_plain_words_to_cyrillic(text[last: start]))
            out.append(text[start: name.end()])
            last = name.end()
    out.append(_plain_words_to_cyrillic(text[last:]))
    return "".join(out)


def _plain_words_to_cyrillic(text: str) -> str:
    return LATIN_WORD_RE.sub(lambda m: _word_to_cyrillic(m.group()), text)


CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
SERBIAN_CYRILLIC_ORDER = {letter: rank for rank, letter in enumerate(
    "абвгдђежзијклљмнњопрстћуфхцчџш")}


def cyrillic_order(text: str) -> tuple[tuple[int, int], ...]:
    """A sort key: Serbian Cyrillic alphabetical order (а б в г д ђ е ж з …), whatever is not
    a Serbian Cyrillic letter after the letters, by its code point."""
    return tuple((0, SERBIAN_CYRILLIC_ORDER[ch]) if ch in SERBIAN_CYRILLIC_ORDER
                 else (1, ord(ch)) for ch in text.casefold())


def has_cyrillic(text: str) -> bool:
    return CYRILLIC_RE.search(text) is not None


def serbian_in_latin(text: str, target: str) -> str:
    """A translation into `target` as the memory keeps it: a Serbian one in Latin script
    (the Cyrillic edition is made from the Latin one)."""
    return to_latin(text) if target.startswith("sr") and has_cyrillic(text) else text


TAG_RE = re.compile(r"<!--.*?-->|<[^>]+>", re.DOTALL)
ATTRIBUTE_TEXT_RE = re.compile(r'(\s(?:alt|title)=")([^"]*)(")')
VERBATIM_TAGS = ("code", "pre", "script", "style", "kbd", "samp")
CHARACTER_REFERENCE_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
REFERENCE_MARK = "\ufdd0"  # a noncharacter: never in a text


def html_to_script(html: str, convert: Callable[[str], str]) -> str:
    """Convert the text of an HTML fragment with convert(text), leaving markup, character
    references (&amp;), code and elements marked translate="no" as they are."""
    convert = functools.partial(_outside_references, convert)
    out, last = [], 0
    verbatim: list[str] = []
    for match in TAG_RE.finditer(html):
        text = html[last: match.start()]
        out.append(text if verbatim else convert(text))
        tag = match.group()
        opened = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
        name = opened.group(1).lower() if opened else ""
        if tag.startswith("</"):
            if verbatim and verbatim[-1] == name:
                verbatim.pop()
        elif not tag.endswith("/>") and (name in VERBATIM_TAGS or verbatim and name == verbatim[-1]
                                         or re.search(r'\stranslate="no"', tag)):
            verbatim.append(name)
        if not verbatim:
            tag = ATTRIBUTE_TEXT_RE.sub(lambda m: m.group(1) + convert(m.group(2)) + m.group(3),
                                        tag)
        out.append(tag)
        last = match.end()
    rest = html[last:]
    out.append(rest if verbatim else convert(rest))
    return "".join(out)


def _outside_references(convert: Callable[[str], str], text: str) -> str:
    """convert(text) with its character references left as written; each is held by a mark
    meanwhile, so that the text around it is seen whole (`?a=1&amp;b=2` stays one URL)."""
    references = CHARACTER_REFERENCE_RE.findall(text)
    if not references:
        return convert(text)
    held = iter(references)
    converted = convert(CHARACTER_REFERENCE_RE.sub(REFERENCE_MARK, text))
    return re.sub(REFERENCE_MARK, lambda m: next(held), converted)


PROSE_SKIP_RE = re.compile(
    r"<!--.*?-->|<(code|pre|script|style)\b.*?</\1>|<[^>]+>|\]\([^)]*\)|`[^`]*`|\{[^}]*\}[^\s)]*"
    r"|[a-z][a-z0-9+.-]*://\S+|\S+@\S+|„[^“”\"]*[“”\"]|“[^”]*”|\"[^\"]*\"|«[^»]*»|‘[^’]*’",
    re.DOTALL | re.IGNORECASE)
WORD_RE = re.compile(r"[^\W\d_]{2,}")


def serbian_script(text: str) -> tuple[str, bool]:
    """('sr-Latn' or 'sr-Cyrl', mixed) of Serbian prose: the script most of its words are in,
    and whether the prose mixes the two. Markup, links, quotes, names (capitalised words) and
    foreign words (with q, w, x or y) are not counted as prose."""
    cyrillic = latin = 0
    for word in WORD_RE.findall(PROSE_SKIP_RE.sub(" ", text)):
        if word[0].isupper() or FOREIGN_LETTERS.intersection(word):
            continue
        if has_cyrillic(word):
            cyrillic += 1
        else:
            latin += 1
    script = "sr-Cyrl" if cyrillic > latin else "sr-Latn"
    fewer = min(cyrillic, latin)
    return script, fewer >= 3 and fewer >= 0.1 * (cyrillic + latin)
