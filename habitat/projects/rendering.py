"""HTML of the directory's result cards, built in Python.

The list page shows twenty cards; through template tags (a reverse per
card, a dozen variable lookups and translations each) they cost more than
the query that finds them. The markup is what `_list_results.html` gave,
every text escaped by `format_html`.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import OBSOLETE_AFTER, ProjectStage

SLUG = "slug-a-remplacer"

# What a card shows: read with values_list (`ListedProject`), not as model
# instances, which cost a page more than its query.
CARD = (
    "slug",
    "name",
    "short_description",
    "commune_id",
    "commune__name",
    "department_id",
    "project_stage",
    "seeking_members",
    "open_to_visits",
    "last_verified_at",
    "created_at",
)
STAGE_LABELS = dict(ProjectStage.choices)


class ListedProject:
    """A sheet of a result page, from a `CARD` row."""

    __slots__ = CARD

    def __init__(self, row):
        for name, value in zip(CARD, row, strict=True):
            setattr(self, name, value)

    def get_project_stage_display(self) -> str:
        return str(STAGE_LABELS.get(self.project_stage, self.project_stage))

    @property
    def is_possibly_obsolete(self) -> bool:
        reference = self.last_verified_at or self.created_at
        return reference is not None and timezone.now() - reference > OBSOLETE_AFTER


def card_html(project, url: str, labels: dict) -> str:
    if project.commune_id:
        place = format_html("{} ({})", project.commune__name, project.department_id)
    else:
        place = labels["unplaced"]
    badges = []
    if project.project_stage:
        badges.append(
            format_html(
                '<span class="badge">{}</span>', project.get_project_stage_display()
            )
        )
    if project.seeking_members:
        badges.append(labels["seeking"])
    if project.open_to_visits:
        badges.append(labels["visits"])
    if project.is_possibly_obsolete:
        badges.append(labels["obsolete"])
    description = ""
    if project.short_description:
        description = format_html("\n      <p>{}</p>", project.short_description)
    return format_html(
        '<li class="card">\n      <h3><a href="{}">{}</a></h3>\n'
        '      <p class="meta">{}</p>{}\n      <p>\n        {}\n      </p>\n    </li>',
        url,
        project.name,
        place,
        description,
        mark_safe("\n        ".join(badges)),  # noqa: S308 - escaped above
    )


def cards_html(projects) -> SafeString:
    """The <li> cards of a page of sheets (`ListedProject`s)."""
    prefix = reverse("projects:detail", args=[SLUG])
    labels = {
        "unplaced": _("lieu à préciser"),
        "seeking": format_html(
            '<span class="badge">{}</span>', _("recherche des membres")
        ),
        "visits": format_html('<span class="badge">{}</span>', _("visites possibles")),
        "obsolete": format_html(
            '<span class="badge warn">{}</span>', _("possiblement obsolète")
        ),
    }
    return mark_safe(  # noqa: S308 - every card escapes its text
        "\n    ".join(
            card_html(project, prefix.replace(SLUG, project.slug), labels)
            for project in projects
        )
    )
