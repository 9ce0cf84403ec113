"""An image's caption as a segment: the credit left out, any translation kept inside the title."""

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from newsdesk.defaults import MARKDOWN
from newsdesk.plugins.figures.markdown_figures import FigureExtension
from newsdesk.segments import Segment, split_markdown

LINE = ('![Sednica Skupštine]({static}/images/sala.jpg '
        '"Poslanici „Srbija“ & ostali. [BETA/Žarko Čolić]")')


def figure(markdown_line):
    md = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.smarty",
                              FigureExtension()], output_format=MARKDOWN["output_format"])
    return BeautifulSoup(md.convert(markdown_line), "html.parser").select_one("figure")


def test_the_credit_is_not_part_of_the_caption_segment():
    document = split_markdown(LINE)
    segments = [p for p in document.pieces if isinstance(p, Segment)]
    assert [(s.kind, s.text) for s in segments] == [
        ("alt", "Sednica Skupštine"), ("caption", "Poslanici „Srbija“ & ostali.")]
    assert document.render(lambda segment: segment.text) == LINE


@pytest.mark.parametrize("written", [
    'The coalition ("Serbia must not stop") in the hall.',
    "Deputies ('Serbia'') <script>alert(1)</script> & co [live]",
    "A path: C:\\",
    "'",
])
@pytest.mark.parametrize("memory", [False, True], ids=["provider", "editor"])
def test_any_translation_stays_inside_the_title(written, memory):
    """A provider's answer goes through the segment's quote; an editor's memory entry is taken
    as written: either way the figure keeps its caption and the author's credit."""
    caption = next(p for p in split_markdown(LINE).pieces
                   if isinstance(p, Segment) and p.kind == "caption")
    translation = written if memory else caption.quote(written)
    rendered = split_markdown(LINE).render(
        lambda segment: translation if segment.kind == "caption" else segment.text)
    found = figure(rendered)
    assert found is not None, rendered
    assert found.figcaption.contents[0].strip() == written.strip()
    assert [c.text for c in found.select(".credit")] == ["BETA/Žarko Čolić"]
