"""The site's own pages that no content file makes: the 404 page and robots.txt.

Settings: docs/settings.md. PLUGINS entry: ``"plugins.site_pages"``.
"""

from __future__ import annotations

import os

from pelican.generators import Generator

from plugins.portal_core.files import write_atomic
from plugins.portal_core.settings import Plugin, Settings, strings, text


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


class SitePages(Plugin):
    """The 404 page and robots.txt."""

    settings = Settings(
        NOT_FOUND_SAVE_AS=text("404.html", "the 404 page, served by nginx at any missing path"),
        ROBOTS_SAVE_AS=text("robots.txt", 'robots.txt, pointing at sitemap.xml; "" writes none'),
        ROBOTS_DISALLOW=strings(["/ban-nhap/", "/pagefind/"], "paths crawlers skip"),
    )

    def get_generators(self, pelican):
        return SitePagesGenerator

    def plan_outputs(self, sender, generators, settings):
        outputs = [(settings["NOT_FOUND_SAVE_AS"], "trang 404")]
        if settings["ROBOTS_SAVE_AS"]:
            outputs.append((settings["ROBOTS_SAVE_AS"], "robots.txt"))
        return outputs


register = SitePages.register
