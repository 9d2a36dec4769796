"""The site's own pages: robots.txt."""

from plugins.site_pages import robots_txt


def test_robots_txt_points_to_the_sitemap(portal_build):
    robots = (portal_build.output / "robots.txt").read_text()
    assert f"Sitemap: {portal_build.url}/sitemap.xml" in robots
    assert "Disallow: /ban-nhap/" in robots


def test_robots_txt_is_exact():
    assert robots_txt("https://a.gov.vn/", ["/x/", "/y/"]) == (
        "User-agent: *\nDisallow: /x/\nDisallow: /y/\n\nSitemap: https://a.gov.vn/sitemap.xml\n"
    )
