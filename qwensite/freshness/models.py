"""The content version: the database's count of changes, moved in the same transaction as each edit.

The content state kept in the cache is a copy that can be lost or, when a cache server comes
back with data saved before an outage, go back in time. This row cannot: an edit and its
version commit together, so comparing the cached state with the row tells a stale copy.
"""

import secrets

from django.db import models

VERSION_ROW = 1


def new_epoch():
    return secrets.token_hex(8)


class ContentVersion(models.Model):
    """One row (pk 1). ``public`` counts changes readers can see; ``everything`` counts all of them,
    drafts included. ``epoch`` is random per database, so two databases never share a version."""

    epoch = models.CharField(max_length=32, default=new_epoch)
    public = models.PositiveBigIntegerField(default=0)
    everything = models.PositiveBigIntegerField(default=0)
    public_changed_at = models.DateTimeField(null=True)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"content version {self.epoch}.{self.public}.{self.everything}"
