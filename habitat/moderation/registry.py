"""Which models appear in the moderation queue, and how to show them."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Moderated:
    model: type
    label: str
    # Callable(obj) -> list of {"field", "old", "new"} shown to the moderator.
    diff: object = None
    select_related: tuple[str, ...] = field(default_factory=tuple)


_registry: dict[str, Moderated] = {}


def register(model, *, label: str, diff=None, select_related=()) -> None:
    _registry[model._meta.label_lower] = Moderated(
        model=model, label=label, diff=diff, select_related=tuple(select_related)
    )


def registered() -> list[Moderated]:
    return list(_registry.values())


def get(label_lower: str) -> Moderated | None:
    return _registry.get(label_lower)
