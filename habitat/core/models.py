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


class OutboxMail(models.Model):
    """One e-mail of the portal, recorded before it is sent (see core.outbox).

    A row is sent at most once: the sending step locks it, sends, and marks it
    sent in the same transaction. Unsent rows are resumed by the task worker
    at startup and by `run_periodic hourly`.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.TextField()
    body = models.TextField()
    from_email = models.CharField(max_length=254, blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "e-mail sortant"
        verbose_name_plural = "e-mails sortants"
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="outbox_unsent",
            )
        ]

    def __str__(self) -> str:
        return self.subject
