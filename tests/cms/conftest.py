from tests.browser_fixtures import browser  # noqa: F401
