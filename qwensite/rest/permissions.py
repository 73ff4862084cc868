"""Who may do what in the API: DRF's model permissions, reads open to everyone."""

from rest_framework import permissions


class ModelPermissionsOrAnonReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DjangoModelPermissionsOrAnonReadOnly without its cost on reads.

    DRF's class builds the view's queryset on every request to learn its model, then asks for
    no permission at all on a safe method (``perms_map`` maps GET, HEAD and OPTIONS to none),
    so a read is allowed to everyone whatever the model: said here at once, the list's
    queryset is built once per request, by the view. Writes are checked by DRF as before.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS and not self.perms_map.get(request.method):
            return True
        return super().has_permission(request, view)
