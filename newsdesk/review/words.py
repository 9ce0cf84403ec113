"""What the desk's pages say, in each edition's language: English, and Serbian in Latin, from
which the Cyrillic is made (as the theme's catalogs are)."""

import re
from typing import Protocol

from newsdesk.transliterate import to_cyrillic

LANGUAGES = ("sr-Latn", "sr-Cyrl", "en")
OWN_NAMES = {"sr-Latn": "Latinica", "sr-Cyrl": "Ћирилица", "en": "English"}
FIELD_RE = re.compile(r"(\{[a-z_]+\})")

# key: (English, Serbian in Latin script); `{name}` fields are filled in.
WORDS = {
    "desk": ("Translation review", "Pregled prevoda"),
    "skip": ("Skip to the content", "Preskoči na sadržaj"),
    "interface": ("Interface language", "Jezik interfejsa"),
    "lang-sr-Latn": ("Serbian (Latin)", "srpski (latinica)"),
    "lang-sr-Cyrl": ("Serbian (Cyrillic)", "srpski (ćirilica)"),
    "lang-en": ("English", "engleski"),
    "edition": ("Edition", "Izdanje"),
    "state": ("State", "Stanje"),
    "all": ("All", "Sve"),
    "to-review": ("To review", "Za pregled"),
    "filter": ("Show", "Prikaži"),
    "counts": ("Articles by state", "Članci po stanju"),
    "counts-legend": ("An article is counted in every state one of its segments is in, and "
                      "listed under each of them.",
                      "Članak se broji u svakom stanju u kom je neki njegov segment i navodi "
                      "se pod svakim od njih."),
    "article": ("Article", "Članak"),
    "date": ("Date", "Datum"),
    "segments": ("Segments", "Segmenti"),
    "nothing": ("Nothing to review here.", "Ovde nema ničeg za pregled."),
    "state-machine": ("Machine translation", "Mašinski prevod"),
    "state-pending": ("Waiting for a translation", "Čeka prevod"),
    "state-outdated": ("Original changed", "Original izmenjen"),
    "state-reviewed": ("Reviewed", "Pregledano"),
    "state-human": ("Human translation, original changed",
                    "Ljudski prevod, original izmenjen"),
    "human-detail": ("Edit the translation's own file: {detail}",
                     "Izmenite fajl prevoda: {detail}"),
    "review-of": ("Review: {title}", "Pregled: {title}"),
    "back": ("Back to the list", "Nazad na spisak"),
    "original": ("Original", "Original"),
    "translation": ("Translation", "Prevod"),
    "into": ("{edition} translation", "Prevod: {edition}"),
    "kind-title": ("Title", "Naslov"),
    "kind-summary": ("Summary", "Sažetak"),
    "kind-paragraph": ("Paragraph", "Pasus"),
    "kind-heading": ("Heading", "Podnaslov"),
    "kind-item": ("List item", "Stavka"),
    "kind-cell": ("Table cell", "Ćelija tabele"),
    "kind-caption": ("Caption", "Opis fotografije"),
    "kind-alt": ("Image description", "Opis slike"),
    "kind-correction": ("Correction", "Ispravka"),
    "kind-footnote": ("Footnote", "Fusnota"),
    "kind-category": ("Section", "Rubrika"),
    "kind-tag": ("Tag", "Tema"),
    "protected": ("Protected parts: keep each placeholder once",
                  "Zaštićeni delovi: svaku oznaku zadržite jednom"),
    "part-link": ("link", "veza"),
    "part-code": ("code", "kod"),
    "part-emphasis": ("emphasis", "naglasak"),
    "part-name": ("name, not translated", "ime, ne prevodi se"),
    "part-html": ("markup", "oznaka"),
    "part-address": ("address", "adresa"),
    "part-image": ("image", "slika"),
    "part-footnote": ("footnote mark", "oznaka fusnote"),
    "part-credit": ("credit", "potpis"),
    "save-approve": ("Save and approve", "Sačuvaj i odobri"),
    "save-human": ("Save my translation", "Sačuvaj moj prevod"),
    "send": ("Ask the provider", "Pošalji servisu za prevod"),
    "approve-all": ("Approve the whole article", "Odobri ceo članak"),
    "approve-all-help": ("Approves every machine translation below as it is.",
                         "Odobrava svaki mašinski prevod ispod, takav kakav je."),
    "reviewed-by": ("Reviewed by {name}", "Pregledao/la: {name}"),
    "previous": ("The original when it was reviewed", "Original kada je pregledan"),
    "current": ("The original now", "Original sada"),
    "previous-translation": ("The reviewed translation of it", "Njegov pregledani prevod"),
    "removed": ("removed", "uklonjeno"),
    "added": ("added", "dodato"),
    "done-saved": ("Saved; the preview is rebuilt.", "Sačuvano; pregled sajta je ponovo izgrađen."),
    "done-approved": ("{count} segment(s) approved; the preview is rebuilt.",
                      "Odobreno segmenata: {count}; pregled sajta je ponovo izgrađen."),
    "done-sent": ("The provider's translation is below, to review.",
                  "Prevod servisa je ispod, za pregled."),
    "error": ("Not saved", "Nije sačuvano"),
    "not-found": ("Not found", "Nije pronađeno"),
    "empty": ("Write a translation first.", "Prvo napišite prevod."),
    "broken-markup": ("Every placeholder (⟦0⟧, ⟦1⟧…) must stay exactly once.",
                      "Svaka oznaka (⟦0⟧, ⟦1⟧…) mora ostati tačno jednom."),
    "changed-meanwhile": ("This segment changed since the page was opened. Your text is kept "
                          "in the field, the one saved meanwhile is below it; save again to "
                          "replace it.", "Segment se promenio otkako je stranica otvorena. "
                          "Vaš tekst je ostao u polju, a onaj sačuvan u međuvremenu je ispod "
                          "njega; sačuvajte ponovo da biste ga zamenili."),
    "stored-now": ("Saved meanwhile", "Sačuvano u međuvremenu"),
    "no-such-segment": ("This article has no such segment.", "Članak nema takav segment."),
    "no-such-article": ("No machine translation of such an article in that edition.",
                        "Nema mašinskog prevoda takvog članka u tom izdanju."),
    "not-pending": ("This segment already has a translation.", "Segment već ima prevod."),
    "provider-failed": ("The provider gave no translation: {detail}",
                        "Servis za prevod nije dao prevod: {detail}"),
    "broken-memory": ("The memory file cannot be read: {detail}",
                      "Fajl memorije prevoda ne može da se pročita: {detail}"),
    "forbidden": ("This form is not from this desk (its token is missing or wrong). Open the "
                  "page again.", "Ovaj obrazac nije sa ovog mesta (oznaka nedostaje ili je "
                  "pogrešna). Otvorite stranicu ponovo."),
    "bad-request": ("The request cannot be read.", "Zahtev ne može da se pročita."),
}


class Say(Protocol):
    """The text of a key of WORDS in one interface language, its `{name}` fields filled in."""

    def __call__(self, key: str, **fields: object) -> str: ...


def words(ui: str) -> Say:
    """A function `(key, **fields) -> text` in the interface language `ui`."""
    ui = ui if ui in LANGUAGES else LANGUAGES[0]

    def say(key: str, **fields: object) -> str:
        english, latin = WORDS[key]
        text = english if ui == "en" else latin
        if ui == "sr-Cyrl":
            text = "".join(piece if FIELD_RE.fullmatch(piece) else to_cyrillic(piece)
                           for piece in FIELD_RE.split(text))
        return text.format(**fields) if fields else text

    return say
