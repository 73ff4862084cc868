"""Sign-in throttling shared by the admin login and the API token endpoint (django-axes).

Five failures for one username from one address lock that pair for the cool-off time:
an attacker guessing one account is stopped, while the same account from another
address, and every other account from this address, can still sign in.
"""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

LOCKOUT_STATUS = 429
LOCKOUT_MESSAGE = "Too many failed sign-in attempts for this account from this address. Try again in {minutes} minutes."


def client_ip(request):
    """The client's address: REMOTE_ADDR, or from X-Forwarded-For behind trusted proxies.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the request
    from, so the client is that many entries from the right; anything further left was
    written by the client and cannot be trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def cool_off_minutes(request):
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else None


def _retry_after(response, request):
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout response: a page for people, JSON for API clients."""
    minutes = cool_off_minutes(request)
    if request.path.startswith(settings.API_PREFIX):
        response = JsonResponse({"detail": LOCKOUT_MESSAGE.format(minutes=minutes)}, status=LOCKOUT_STATUS)
    else:
        context = {
            "username": (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD, ""),
            "failure_limit": get_failure_limit(request, credentials),
            "cooloff_minutes": minutes,
        }
        response = render(request, "accounts/lockout.html", context, status=LOCKOUT_STATUS)
    return _retry_after(response, request)


class BoundedAuthTokenSerializer(AuthTokenSerializer):
    """The token request, with bounded fields: a username as long as the model allows, a sane password."""

    username = serializers.CharField(label="Username", max_length=150, write_only=True)
    password = serializers.CharField(
        label="Password", max_length=4096, style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )


class ObtainAuthTokenView(ObtainAuthToken):
    """DRF's token endpoint, counted by django-axes like the admin login.

    DRF's serializer authenticates with the request, so axes records each failure and
    refuses a locked pair; axes flags the lockout on DRF's request wrapper, which its
    middleware never sees, so this view answers the lockout itself (429 + Retry-After).
    """

    serializer_class = BoundedAuthTokenSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            body = {"detail": LOCKOUT_MESSAGE.format(minutes=cool_off_minutes(request))}
            return _retry_after(Response(body, status=LOCKOUT_STATUS), request)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
