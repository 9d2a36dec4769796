"""The site's own pages that no content file makes: the 404 page and robots.txt.

Settings (defaults in brackets):
  NOT_FOUND_SAVE_AS   the 404 page, served by nginx at any missing path ["404.html"]
  ROBOTS_SAVE_AS      robots.txt, pointing at sitemap.xml ["robots.txt"]; "" writes none
  ROBOTS_DISALLOW     paths crawlers skip [["/ban-nhap/", "/pagefind/"]]

PLUGINS entry: ``"plugins.site_pages"``.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from plugins.portal_core.files import write_atomic
from plugins.portal_core.signals import plan_outputs

DEFAULTS = {
    "NOT_FOUND_SAVE_AS": "404.html",
    "ROBOTS_SAVE_AS": "robots.txt",
    "ROBOTS_DISALLOW": ["/ban-nhap/", "/pagefind/"],
}


def apply_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def robots_txt(site_url: str, disallow: list[str]) -> str:
    """Every crawler welcome but in ``disallow``, and told where the site map is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow)]
    return "\n".join([*lines, "", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml", ""])


class SitePagesGenerator(Generator):
    """Writes the 404 page and robots.txt."""

    def generate_output(self, writer) -> None:
        save_as = self.settings["NOT_FOUND_SAVE_AS"]
        writer.write_file(
            save_as,
            self.get_template("404"),
            self.context,
            relative_urls=False,  # the 404 page is served at any path
            template_name="404",
            url=save_as,
            page_name="404",
        )
        robots = self.settings["ROBOTS_SAVE_AS"]
        if robots:
            text = robots_txt(self.settings["SITEURL"], self.settings["ROBOTS_DISALLOW"])
            write_atomic(os.path.join(self.output_path, robots), text)


def planned_outputs(sender, generators, settings):
    outputs = [(settings["NOT_FOUND_SAVE_AS"], "trang 404")]
    if settings["ROBOTS_SAVE_AS"]:
        outputs.append((settings["ROBOTS_SAVE_AS"], "robots.txt"))
    return outputs


def get_generators(pelican):
    return SitePagesGenerator


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(get_generators)
    plan_outputs.connect(planned_outputs)
