"""Signals other apps listen to, to follow changes of the geography."""

from django.dispatch import Signal

# Sent inside load_geography's transaction once communes are written (their
# coordinates may have moved); apps that store copies of them recompute.
geography_loaded = Signal()
