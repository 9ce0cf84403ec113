"""Template helpers: fragments rendered once per edition and process."""

from jinja2 import DictLoader, Environment

from newsdesk.plugins.editions.templating import remembered

TEMPLATE = (
    "{% macro card(item, lead=False) %}{% do calls.append(item) %}"
    "[{{ SITEURL }}{{ item.name }}{{ '!' if lead }}]{% endmacro -%}\n"
    "{% for item in items %}{{ remembered(card, item) }}{% endfor %}"
    "{{ remembered(card, items[0], lead=True) }}"
)


class Item:
    def __init__(self, name):
        self.name = name


def render(fragments, items, calls, siteurl=""):
    env = Environment(loader=DictLoader({"page": TEMPLATE}), extensions=["jinja2.ext.do"],
                      autoescape=True)
    env.globals["remembered"] = remembered
    context = {"items": items, "calls": calls, "SITEURL": siteurl}
    if fragments is not None:
        context["fragments"] = fragments
    return env.get_template("page").render(context)


def test_each_fragment_is_rendered_once_per_store():
    a, b = Item("a"), Item("b")
    fragments, calls = {}, []
    assert render(fragments, [a, b, a], calls) == "[a][b][a][a!]"
    assert render(fragments, [b, a], calls) == "[b][a][b!]"
    # a and b once each, a once as the lead, b once as the lead on the second page
    assert calls == [a, b, a, b]


def test_fragments_differ_by_address_base_and_store():
    a = Item("<a>")
    fragments, calls = {}, []
    assert render(fragments, [a], calls) == "[&lt;a&gt;][&lt;a&gt;!]"
    assert render(fragments, [a], calls, siteurl="../..") == "[../..&lt;a&gt;][../..&lt;a&gt;!]"
    assert render({}, [a], calls) == "[&lt;a&gt;][&lt;a&gt;!]"
    assert render(None, [a, a], calls) == "[&lt;a&gt;][&lt;a&gt;][&lt;a&gt;!]"
    assert len(calls) == 2 + 2 + 2 + 3
