"""``{% drawn_once name [value ...] %}...{% enddrawn_once %}``: a part of a page drawn from the
code alone (named URLs, static files' hashed names, fixed text), drawn once by each process for
each set of the values it varies on, and kept in its memory (qwensite.freshness.local).

Django's ``{% cache %}`` does the same through a configured cache; this needs none, so a page
draws the same with any cache configuration (a cache unreachable, or configured otherwise, as
tests and outages have it). What it holds must not depend on the content, the visitor or the
request beyond the values named: the process keeps it for its life (a deploy starts new ones).
"""

from django import template

from qwensite.freshness.local import LocalStore

register = template.Library()
DRAWN_KEPT = 256  # fragments and their variants per process (a layout has a few of each)
_drawn = LocalStore(DRAWN_KEPT)


class DrawnOnceNode(template.Node):
    def __init__(self, name, vary_on, nodelist):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context):
        key = (self.name, *(value.resolve(context) for value in self.vary_on))
        return _drawn.made(key, lambda: self.nodelist.render(context))


@register.tag
def drawn_once(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a fragment name, then the values it varies on")
    nodelist = parser.parse(("enddrawn_once",))
    parser.delete_first_token()
    return DrawnOnceNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
