"""Every Markdown form docs/authors.md documents, and those the example articles use, as the
reader sees it: (Markdown as an author writes it, the exact HTML published).

One real build of a content folder with one article per form: the body is read from the
article's page (its story-body), the Summary from the edition's Atom feed, which keeps its
HTML (the page shows it as text). The build converts the Markdown, makes figures, sanitizes,
and rewrites images into <picture>; file names of the photo's copies hold a hash of the photo
and are compared as `/images/_r/…-`.

The expected HTML is what the Markdown engine of defaults.MARKDOWN (Python-Markdown with
`extra` and `smarty`) produces. What looks odd for readers is written beside its form and kept
as it is: these tests say what authors see today, so that another engine is measured by it.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from .conftest import run_build, write_settings

pytestmark = pytest.mark.build

ATOM = "{http://www.w3.org/2005/Atom}"

HEADERS = {
    "sr": "Title: Članak {key}\nDate: 3.4.2026.\nAuthor: Jelena Ljubičić\nCategory: Politika\n",
    # a .sr.md file written in Cyrillic: a Cyrillic original, published at /sr-cyrl/
    "cyrl": ("Title: Чланак {key}\nDate: 3. априла 2026. у 14:00\nAuthor: Милица Јовановић\n"
             "Category: Политика\n"),
    "en": "Title: Article {key}\nDate: 3.4.2026.\nAuthor: Jelena Ljubičić\nCategory: Politics\n",
}
EDITION = {"sr": "", "cyrl": "sr-cyrl/", "en": "en/"}  # where each kind of file is published
SUFFIX = {"sr": "sr", "cyrl": "sr", "en": "en"}

# The one photo of the folder (400 px wide: one copy of each format) as a picture in the text.
SIZES = "(min-width: 44rem) 42rem, 100vw"


def picture(alt):
    return (f'<picture><source type="image/webp" srcset="/images/_r/…-400.webp 400w" '
            f'sizes="{SIZES}"><img src="/images/_r/…-400.jpg" '
            f'srcset="/images/_r/…-400.jpg 400w" sizes="{SIZES}" width="400" height="300" '
            f'alt="{alt}" loading="lazy" decoding="async"></picture>')


def figure(alt, caption=""):
    return f'<figure class="figure">{picture(alt)}{caption}</figure>'


def figcaption(text, credit=""):
    credit = f' <span class="credit" translate="no">{credit}</span>' if credit else ""
    return f"<figcaption>{text}{credit}</figcaption>"


# (article key, kind of file, Markdown body, the story-body's HTML)
BODIES = [
    ("pasusi", "sr", """\
Vlada Srbije usvojila je u četvrtak predlog budžeta za 2027. godinu.

Ministar finansija rekao je da će plate u javnom sektoru
porasti za 7 odsto.
""", """\
<p>Vlada Srbije usvojila je u četvrtak predlog budžeta za 2027. godinu.</p>
<p>Ministar finansija rekao je da će plate u javnom sektoru
porasti za 7 odsto.</p>"""),

    ("naglasak", "sr", """\
Rok je *produžen* do petka, a kazne su **udvostručene**.

Ovo je _takođe_ naglasak, a ovo __takođe__ jak. Oba: ***važno***.
""", """\
<p>Rok je <em>produžen</em> do petka, a kazne su <strong>udvostručene</strong>.</p>
<p>Ovo je <em>takođe</em> naglasak, a ovo <strong>takođe</strong> jak. \
Oba: <strong><em>važno</em></strong>.</p>"""),

    # An e-mail autolink's address is written as character references (Python-Markdown hides
    # it from harvesters that way); readers see and follow it as written. A bare address is
    # text, not a link.
    ("veze", "sr", """\
Ceo izveštaj je na [sajtu Narodne banke](https://nbs.rs/sr/izvestaj "Izveštaj NBS").

Pišite nam na <redakcija@pregled.rs> ili pogledajte <https://pregled.rs/pravila>.

Prema [podacima RZS][rzs], inflacija je pala. Adresa https://stat.gov.rs ostaje tekst.

Pozovite [064 123 4567](tel:+381641234567) ili pročitajte [ranije](/2024/citaonice-nocu/).

[rzs]: https://www.stat.gov.rs/sr-latn/
""", """\
<p>Ceo izveštaj je na <a href="https://nbs.rs/sr/izvestaj" title="Izveštaj NBS">sajtu Narodne \
banke</a>.</p>
<p>Pišite nam na <a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;&#114;&#101;&#100;&#97;&#107;\
&#99;&#105;&#106;&#97;&#64;&#112;&#114;&#101;&#103;&#108;&#101;&#100;&#46;&#114;&#115;">&#114;\
&#101;&#100;&#97;&#107;&#99;&#105;&#106;&#97;&#64;&#112;&#114;&#101;&#103;&#108;&#101;&#100;\
&#46;&#114;&#115;</a> ili pogledajte <a href="https://pregled.rs/pravila">https://pregled.rs/\
pravila</a>.</p>
<p>Prema <a href="https://www.stat.gov.rs/sr-latn/">podacima RZS</a>, inflacija je pala. \
Adresa https://stat.gov.rs ostaje tekst.</p>
<p>Pozovite <a href="tel:+381641234567">064 123 4567</a> ili pročitajte \
<a href="/2024/citaonice-nocu/">ranije</a>.</p>"""),

    ("liste", "sr", """\
Šta se menja od 3.4.2026.:

- cene goriva,
- akcize na duvan,
- takse za pasoš.

Redosled radova:

1. zatvaranje Brankovog mosta,
2. obilazak preko Gazele,
3. ponovno otvaranje.

Gradovi domaćini:

* Novi Sad
    * Petrovaradin
    * Sremski Karlovci
* Niš
""", """\
<p>Šta se menja od 3.4.2026.:</p>
<ul>
<li>cene goriva,</li>
<li>akcize na duvan,</li>
<li>takse za pasoš.</li>
</ul>
<p>Redosled radova:</p>
<ol>
<li>zatvaranje Brankovog mosta,</li>
<li>obilazak preko Gazele,</li>
<li>ponovno otvaranje.</li>
</ol>
<p>Gradovi domaćini:</p>
<ul>
<li>Novi Sad<ul>
<li>Petrovaradin</li>
<li>Sremski Karlovci</li>
</ul>
</li>
<li>Niš</li>
</ul>"""),

    # Looks wrong for readers, kept as it is: a bulleted list right after a numbered one
    # (only an empty line between) continues the numbered list, as items 3 and 4, and the
    # items around the empty line become paragraphs. A line of text between them keeps them
    # apart (above).
    ("liste-spojene", "sr", """\
1. zatvaranje mosta,
2. ponovno otvaranje.

* Novi Sad
* Niš
""", """\
<ol>
<li>zatvaranje mosta,</li>
<li>
<p>ponovno otvaranje.</p>
</li>
<li>
<p>Novi Sad</p>
</li>
<li>Niš</li>
</ol>"""),

    ("citati", "sr", """\
Premijer je rekao:

> „Ovo je najvažnija investicija u poslednjih deset godina.“
>
> Nastavićemo sa radom.

Opozicija je odgovorila da je to „obećanje bez pokrića“.
""", """\
<p>Premijer je rekao:</p>
<blockquote>
<p>„Ovo je najvažnija investicija u poslednjih deset godina.“</p>
<p>Nastavićemo sa radom.</p>
</blockquote>
<p>Opozicija je odgovorila da je to „obećanje bez pokrića“.</p>"""),

    ("naslovi", "sr", """\
Uvodni pasus.

## Šta se menja za građane

Tekst.

### Poreske olakšice

Još teksta.

Podnaslov
---------

Kraj.
""", """\
<p>Uvodni pasus.</p>
<h2>Šta se menja za građane</h2>
<p>Tekst.</p>
<h3>Poreske olakšice</h3>
<p>Još teksta.</p>
<h2>Podnaslov</h2>
<p>Kraj.</p>"""),

    # smarty: straight quotes become English curly quotes (“…”, also in Serbian text, where
    # „…“ is usual: looks wrong for Serbian readers, kept as it is), -- an en dash, --- an em
    # dash, ... an ellipsis, as named character references. Quotes typed as „…“, ‚…‘ and
    # dashes typed as – stay as they are.
    ("tipografija", "sr", """\
Rekao je "dosta je bilo" i otišao. Njegov 'odgovor' stigao je kasnije.

Radovi traju 2024--2026, a rezultat -- kažu -- tek dolazi --- možda.

Čekamo... i dalje čekamo. Direktorov kabinet i 90'ih godina.

Srpski navodnici: „Dobro došli“ i „bratski” doček; unutrašnji ‚citat‘ i – crta.
""", """\
<p>Rekao je &ldquo;dosta je bilo&rdquo; i otišao. Njegov &lsquo;odgovor&rsquo; stigao je \
kasnije.</p>
<p>Radovi traju 2024&ndash;2026, a rezultat &ndash; kažu &ndash; tek dolazi &mdash; možda.</p>
<p>Čekamo&hellip; i dalje čekamo. Direktorov kabinet i 90&rsquo;ih godina.</p>
<p>Srpski navodnici: „Dobro došli“ i „bratski” doček; unutrašnji ‚citat‘ i – crta.</p>"""),

    ("english", "en", """\
The minister said "wages will rise" and it's 'good news'... for now.

Years 2024--2026 --- a long time.
""", """\
<p>The minister said &ldquo;wages will rise&rdquo; and it&rsquo;s &lsquo;good news&rsquo;\
&hellip; for now.</p>
<p>Years 2024&ndash;2026 &mdash; a long time.</p>"""),

    # Images in the text: alone in its paragraph, a figure; the title is the caption and a
    # trailing [AGENCY/PHOTOGRAPHER] the credit, kept as written; ![""] a decorative image. The
    # figures follow each other with no line between them (the same for readers).
    ("slike", "sr", """\
Prvi pasus.

![Reka Sava kod Obrenovca]({static}/images/reka.png "Sava je u noći probila nasip. \
[Tanjug/ANA MARKOVIĆ]")

![Gradilište na Makišu]({static}/images/reka.png "Gradilište depoa na Makišu.")

![Pogled sa nasipa]({static}/images/reka.png)

Tekst sa ![ikonom]({static}/images/reka.png) u redu.

![""]({static}/images/reka.png)

![Most na Adi]({static}/images/reka.png "Most na Adi noću. [BETA/Žarko Čolić]")
""", "<p>Prvi pasus.</p>\n"
        + figure("Reka Sava kod Obrenovca",
                 figcaption("Sava je u noći probila nasip.", "Tanjug/ANA MARKOVIĆ"))
        + figure("Gradilište na Makišu", figcaption("Gradilište depoa na Makišu."))
        + figure("Pogled sa nasipa")
        + f"<p>Tekst sa {picture('ikonom')} u redu.</p>\n"
        + figure("")
        + figure("Most na Adi", figcaption("Most na Adi noću.", "BETA/Žarko Čolić"))),

    # HTML in an article: published as written (an empty line follows a block of it); a
    # javascript: link loses its address and keeps its text.
    ("html", "sr", """\
Rezultati po opštinama:

<table>
<tr><th>Opština</th><th>Izlaznost</th></tr>
<tr><td>Čukarica</td><td>61,2%</td></tr>
</table>

Novi <span translate="no">iPhone Džep</span> stiže u prodaju.

<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" \
allowfullscreen></iframe>

Opasna [veza](javascript:alert(1)) je uklonjena.
""", """\
<p>Rezultati po opštinama:</p>
<table>
<tr><th>Opština</th><th>Izlaznost</th></tr>
<tr><td>Čukarica</td><td>61,2%</td></tr>
</table>

<p>Novi <span translate="no">iPhone Džep</span> stiže u prodaju.</p>
<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" \
allowfullscreen></iframe>

<p>Opasna <a>veza</a> je uklonjena.</p>"""),

    # What markdown.extensions.extra adds (footnotes, abbreviations, tables, fenced code) and
    # a hard line break. The footnote's way back is titled in English on a Serbian page
    # ("Jump back to footnote 1 in the text"): kept as it is.
    ("ekstra", "sr", "Podaci RZS[^1] pokazuju rast BDP-a.\n\n"
     "| Godina | Rast |\n|--------|-----:|\n| 2025. | 3,1% |\n| 2026. | 2,8% |\n\n"
     '```\nkod = "primer"\n```\n\n'
     "Inline `kod` i kraj.\n\n"
     "Prva linija  \ndruga linija.\n\n---\n\n"
     "*[RZS]: Republički zavod za statistiku\n\n"
     "[^1]: Republički zavod za statistiku, saopštenje od 3.4.2026.\n", """\
<p>Podaci <abbr title="Republički zavod za statistiku">RZS</abbr><sup id="fnref:1">\
<a class="footnote-ref" href="#fn:1">1</a></sup> pokazuju rast BDP-a.</p>
<table>
<thead>
<tr>
<th>Godina</th>
<th style="text-align: right;">Rast</th>
</tr>
</thead>
<tbody>
<tr>
<td>2025.</td>
<td style="text-align: right;">3,1%</td>
</tr>
<tr>
<td>2026.</td>
<td style="text-align: right;">2,8%</td>
</tr>
</tbody>
</table>
<pre><code>kod = &quot;primer&quot;
</code></pre>
<p>Inline <code>kod</code> i kraj.</p>
<p>Prva linija<br>
druga linija.</p>
<hr>
<div class="footnote">
<hr>
<ol>
<li id="fn:1">
<p>Republički zavod za statistiku, saopštenje od 3.4.2026.&#160;<a class="footnote-backref" \
href="#fnref:1" title="Jump back to footnote 1 in the text">&#8617;</a></p>
</li>
</ol>
</div>"""),

    ("posebno", "sr", """\
Cena je 5 < 7 & 3 > 2, a AT&T i &copy; ostaju.

Zvezdica \\*nije\\* naglasak, a ni 2*3*4.

Ime_sa_crticama ostaje.
""", """\
<p>Cena je 5 &lt; 7 &amp; 3 &gt; 2, a AT&amp;T i &copy; ostaju.</p>
<p>Zvezdica *nije* naglasak, a ni 2<em>3</em>4.</p>
<p>Ime_sa_crticama ostaje.</p>"""),

    ("cirilica", "cyrl", """\
Министар финансија Синиша Мали рекао је да ће плате порасти за **7 одсто**.

> „Ово је најважнија инвестиција“, рекао је премијер.

- Ниш
- Нови Сад

## Шта се мења

Више на [сајту Владе](https://www.srbija.gov.rs/).

![Мост на Ади]({static}/images/reka.png "Мост на Ади ноћу. [BETA/Žarko Čolić]")
""", """\
<p>Министар финансија Синиша Мали рекао је да ће плате порасти за <strong>7 одсто</strong>.</p>
<blockquote>
<p>„Ово је најважнија инвестиција“, рекао је премијер.</p>
</blockquote>
<ul>
<li>Ниш</li>
<li>Нови Сад</li>
</ul>
<h2>Шта се мења</h2>
<p>Више на <a href="https://www.srbija.gov.rs/">сајту Владе</a>.</p>
""" + figure("Мост на Ади", figcaption("Мост на Ади ноћу.", "BETA/Žarko Čolić"))),
]

# (article key, kind of file, Summary field, its HTML in the edition's feed)
SUMMARIES = [
    ("sazetak", "sr",
     "Vlada je *usvojila* budžet; opozicija kaže da je to „predizborni” potez. "
     "Više na [sajtu](https://pregled.rs/budzet).",
     "<p>Vlada je <em>usvojila</em> budžet; opozicija kaže da je to „predizborni” potez. "
     'Više na <a href="https://pregled.rs/budzet">sajtu</a>.</p>'),
    ("sazetak-cirilica", "cyrl",
     "Влада је *усвојила* буџет за 2027. годину, „без одлагања“.",
     "<p>Влада је <em>усвојила</em> буџет за 2027. годину, „без одлагања“.</p>"),
    ("sazetak-english", "en",
     'The government "approved" the budget -- finally...',
     "<p>The government &ldquo;approved&rdquo; the budget &ndash; finally&hellip;</p>"),
    ("sazetak-opasan", "sr",
     "Pogledajte [ovde](javascript:alert(1)) i <b>odmah</b>.",
     "<p>Pogledajte <a>ovde</a> i <b>odmah</b>.</p>"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One build of a content folder with an article per form; returns its output folder."""
    folder = tmp_path_factory.mktemp("forms")
    content = folder / "content"
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    Image.new("RGB", (400, 300), (30, 90, 60)).save(content / "images" / "reka.png")
    articles = [(key, kind, None, body) for key, kind, body, _ in BODIES]
    articles += [(key, kind, summary, "Tekst.\n") for key, kind, summary, _ in SUMMARIES]
    for key, kind, summary, body in articles:
        head = HEADERS[kind].format(key=key) + (f"Summary: {summary}\n" if summary else "")
        path = content / "articles" / f"{key}.{SUFFIX[kind]}.md"
        path.write_text(f"{head}\n{body}", encoding="utf-8")
    result = run_build(content, folder / "out", settings=write_settings(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "out"


def story_body(site, kind, key):
    page = (site / EDITION[kind] / "2026" / key / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<div class="story-body">\n    (.*?)\n  </div>\n', page, re.S)
    assert match, f"no story body in {key}'s page"
    return re.sub(r"/images/_r/[0-9a-f]{20}-", "/images/_r/…-", match.group(1))


def feed_summary(site, kind, key):
    feed = ET.parse(site / EDITION[kind] / "feeds" / "all.atom.xml").getroot()
    for entry in feed.iter(f"{ATOM}entry"):
        if entry.find(f"{ATOM}link").get("href").endswith(f"/2026/{key}/"):
            return entry.find(f"{ATOM}summary").text
    raise AssertionError(f"{key} is not in the feed")


@pytest.mark.parametrize("key,kind,markdown,expected", BODIES, ids=[b[0] for b in BODIES])
def test_body_form(site, key, kind, markdown, expected):
    assert story_body(site, kind, key) == expected


@pytest.mark.parametrize("key,kind,markdown,expected", SUMMARIES,
                         ids=[s[0] for s in SUMMARIES])
def test_summary_form(site, key, kind, markdown, expected):
    assert feed_summary(site, kind, key) == expected
