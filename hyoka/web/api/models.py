"""The API's rate-limit buckets, one row per client address, in the database every worker shares."""

from __future__ import annotations

from django.db import models


class Bucket(models.Model):
    """What is left of a client address's burst (``tokens``) when it last asked (``stamp``, seconds since the epoch)."""

    address = models.CharField(max_length=64, primary_key=True)
    tokens = models.FloatField()
    stamp = models.FloatField(db_index=True)
