from django.db import models


class Visit(models.Model):
    """One page view, so the page proves the release phase ran the migrations."""

    at = models.DateTimeField(auto_now_add=True)
