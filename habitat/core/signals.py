"""Signals apps listen to, to recompute what they derive from loaded rows."""

from django.dispatch import Signal

# Sent by `manage.py restore` inside its transaction once the archive's rows
# are loaded (loaddata bypasses save(): derived columns may be missing).
data_restored = Signal()
