#!/usr/bin/env bash
# Lighthouse mobile scores (performance, accessibility, best practices, SEO) of the home
# page and an article, with Debian's Chromium. See bench/lighthouse.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/lighthouse.py "$@"
