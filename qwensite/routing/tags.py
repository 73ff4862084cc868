"""The ``{% url %}`` tag of every template (a builtin, settings.TEMPLATES): Django's own, whose
URLs without arguments are reversed once per process (qwensite.routing.reversal)."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from qwensite.routing.reversal import reverse_kept, surroundings

register = template.Library()
UNSET = object()
SURROUNDINGS = "qwensite.routing:surroundings"  # kept in the render context: read once per template render


class KeptURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", UNSET)  # the namespace Django's own tag takes
        if current_app is UNSET:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            where = context.render_context.get(SURROUNDINGS)
            if where is None or where[2] != get_language():  # read again inside {% language %}
                where = context.render_context[SURROUNDINGS] = surroundings()
            url = reverse_kept(self.view_name.resolve(context), current_app, where)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
