from tests.browser_fixtures import browser, page, portal_build  # noqa: F401
