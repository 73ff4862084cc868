"""Benchmark instrumentation: the number of database queries a request made.

Enabled only by ``DJANGO_QUERY_COUNT_HEADER=true`` (see settings), never in production: for a
request that asks with an ``X-Query-Count`` header of its own, every query on every configured
connection is counted through ``connection.execute_wrapper`` and the total is sent back in an
``X-Query-Count`` header. Requests that do not ask (the benchmark's timed load) pass untouched,
so the count costs the figures nothing.
"""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Query-Count"


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_QUERY_COUNT" not in request.META:
            return self.get_response(request)
        counter = QueryCounter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        return response
