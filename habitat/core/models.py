"""Models of the shared floor: the generic search index."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SearchTerm(models.Model):
    """One folded, stemmed term of one indexed document (see core.search)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    term = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "term", "object_id"],
                name="unique_search_term",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.term
