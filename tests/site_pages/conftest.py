from tests.browser_fixtures import portal_build  # noqa: F401
