"""Production settings: ``pelican content -s publishconf.py``."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://sgtvt.lamson.gov.vn")
RELATIVE_URLS = False

# Drafts are never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
