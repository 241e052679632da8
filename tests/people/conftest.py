"""The stock world, for the tests that take a person through the counter too."""

from tests.stock.conftest import stock  # noqa: F401 (a fixture)
