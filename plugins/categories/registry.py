"""The category registry (``content/categories.yml``): the portal's sections."""

from __future__ import annotations

from . import CATEGORIES

load_categories = CATEGORIES.read_entries
