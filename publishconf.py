"""Production settings: ``pelican content -s publishconf.py``."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://sgtvt.lamson.gov.vn")
RELATIVE_URLS = False

# Posts dated in the future wait for the first scheduled build after their date.
SCHEDULING_PUBLISH_MODE = True

# Drafts are never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
