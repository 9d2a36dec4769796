"""The category registry (``content/categories.yml``): the portal's sections."""

from __future__ import annotations

from . import taxonomy

load_categories = taxonomy().read_entries
