"""Production settings: ``pelican content -s publishconf.py``."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://sgtvt.lamson.gov.vn")
RELATIVE_URLS = False

# Posts dated in the future wait for the first scheduled build after their date.
SCHEDULING_PUBLISH_MODE = True

# A compliance error stops the publish (warnings do not).
COMPLIANCE_FAIL_ON_ERROR = True

# Every image needs its alt text before it is published.
IMAGES_REQUIRE_ALT = True

# The counter API is proxied by nginx on the site's own origin (deploy/nginx/portal.conf).
COUNTER_ENDPOINT = "/api/v1"

# Drafts are never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# The CMS at /admin/ talks to the production git host (CMS_BACKEND, docs/cms.md),
# never to a local decap-server.
CMS_LOCAL_BACKEND = ""
