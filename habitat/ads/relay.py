"""Where answers to an ad go: the portal's message box.

The message box belongs to `matching`, a floor above this app: it plugs its
service in at start-up with `connect()`, so ads import nothing from it. The
service opens (or continues) a conversation with the ad's author and returns
it; e-mail addresses stay hidden until either side shares theirs.
"""

from django.utils.translation import gettext as _

from habitat.core.exceptions import HabitatError

_handlers = []


def connect(handler) -> None:
    """`handler(person=, ad=, body=)` delivers a message and returns a conversation."""
    _handlers[:] = [handler]


def deliver(*, ad, sender, message: str):
    if not _handlers:
        raise HabitatError(
            _("La messagerie est indisponible pour l'instant."), code="unavailable"
        )
    return _handlers[0](person=sender, ad=ad, body=message)
