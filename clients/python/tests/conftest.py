"""Runs the tests against this checkout's package, whether or not a copy is installed."""

import os
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
sys.path.insert(0, SRC)


def pytest_configure(config):
    # An installed copy registers the plugin through its entry point; registering it twice would fail.
    if not config.pluginmanager.has_plugin("calypso_mock"):
        config.pluginmanager.import_plugin("calypso_mock.plugin")
