"""Serbian Cyrillic ⇄ Latin transliteration, with correct digraph case.

Our own table: the PyPI packages turn ЉУБАВ into "LjUBAV". Here Љ becomes "LJ" inside an
upper-case word and "Lj" in a capitalised one, and back again. Latin to Cyrillic knows the words
where "nj", "lj" or "dž" are two letters (injekcija, konjunkcija, nadživeti). Left alone: URLs,
e-mail addresses, words with q, w, x or y, and the words on a keep-as-is list.
"""

import re

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

URL_OR_MAIL_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
LATIN_WORD_RE = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]+(?:['’][A-Za-zČčĆćĐđŠšŽž]+)*")
FOREIGN_LETTERS = set("QqWwXxYy")


def _is_upper_at(text, i):
    return 0 <= i < len(text) and text[i].isalpha() and text[i].isupper()


def to_latin(text):
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


def _word_to_cyrillic(word, keep):
    if word in keep or FOREIGN_LETTERS & set(word):
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


def to_cyrillic(text, keep=frozenset()):
    """Latin to Cyrillic, leaving URLs, e-mail addresses, foreign words and `keep` as written."""
    keep = frozenset(keep)
    out, last = [], 0
    for match in URL_OR_MAIL_RE.finditer(text):
        out.append(_words_to_cyrillic(text[last: match.start()], keep))
        out.append(match.group())
        last = match.end()
    out.append(_words_to_cyrillic(text[last:], keep))
    return "".join(out)


def _words_to_cyrillic(text, keep):
    return LATIN_WORD_RE.sub(lambda m: _word_to_cyrillic(m.group(), keep), text)


def has_cyrillic(text):
    return any("\u0400" <= ch <= "\u04ff" for ch in text)
