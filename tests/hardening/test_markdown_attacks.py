"""Property: whatever an author writes, rendered Markdown carries no active content.

Hypothesis assembles bodies from attack fragments (script and style tags, event
handlers, javascript:/data:/vbscript: URLs in links, images and autolinks, SVG and
MathML, iframes and forms, nested and malformed markup, entity-encoded and mixed-case
variants) mixed with ordinary Markdown. The output is parsed with html.parser and every
element, attribute and URL is checked against the allow-list, as a browser would see it.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "\x01javascript:alert(1)",
]

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<body onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<base href=javascript:alert(1)//>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="javascript:alert(1)"',
    "<img src=x onerror=alert(1)//",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="h&#x74;tps://ok.example" title=\'x" onmouseover="alert(1)\'>ok</a>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="https://ok.example" target="_blank" rel="opener">link</a>',
]

MARKDOWN = [
    "Plain words.",
    "\n\n## A heading\n\n",
    "**bold** and *em*",
    "\n\n- item\n- item\n\n",
    "\n\n```\ncode <script>\n```\n\n",
    "`inline <b>`",
    "\n\n> quote\n\n",
    "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
    "\n\n",
    " ",
]


def link_forms(url):
    return st.sampled_from(
        [
            f"[click]({url})",
            f"![img]({url})",
            f"<{url}>",
            f'<a href="{url}">x</a>',
            f"<a href={url}>x</a>",
            f'<img src="{url}">',
            f"[ref][r]\n\n[r]: {url}\n",
        ]
    )


fragment = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(MARKDOWN),
    st.sampled_from(SCRIPT_URLS).flatmap(link_forms),
    st.text(alphabet="<>\"'=/&#;:xXsScript onerrorsvg", max_size=30),
)


def nested(fragments):
    return st.tuples(st.sampled_from(["<div>", "<p>", "<b>", "<svg>", "<a href=x>", "<table><tr><td>"]), fragments).map(
        lambda pair: pair[0] + pair[1]
    )


bodies = st.lists(st.one_of(fragment, nested(fragment)), min_size=1, max_size=12).map("".join)


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))


def elements_of(markup):
    collector = Collector()
    collector.feed(markup)
    collector.close()
    return collector.elements


def scheme_of(url):
    """The scheme a browser would use (WHATWG URL parsing): leading and trailing C0 controls and
    spaces are stripped and tabs and newlines removed anywhere; anything else that is not a valid
    scheme character before the first colon makes the URL relative."""
    cleaned = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_rendered_markdown_contains_only_allowed_elements_attributes_and_urls(body):
    output = render_markdown(body)

    for tag, attrs in elements_of(output):
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, output)
            assert not name.startswith("on"), (tag, name, output)
            if name == "href":
                assert scheme_of(value or "") in ALLOWED_URL_SCHEMES | {""}, (value, output)
            if name == "rel":
                assert tag == "a", (tag, output)
                assert value == "noopener noreferrer", (value, output)


@settings(max_examples=200, deadline=None)
@given(bodies)
def test_rendered_markdown_never_opens_a_script_style_or_embedding_element(body):
    output = render_markdown(body)

    opened = {tag for tag, _ in elements_of(output)}
    assert not opened & {"script", "style", "svg", "math", "iframe", "object", "embed", "img", "form", "base", "meta"}


def test_ordinary_markdown_survives_sanitizing():
    output = render_markdown("## Qwen 2\n\nSee [the blog](https://qwenlm.github.io/) and **more**.")

    assert elements_of(output) == [
        ("h2", [("id", "qwen-2")]),
        ("p", []),
        ("a", [("href", "https://qwenlm.github.io/"), ("rel", "noopener noreferrer")]),
        ("strong", []),
    ]
