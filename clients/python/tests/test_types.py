"""The package is typed (py.typed): mypy --strict finds nothing in it."""

import os
import subprocess
import sys

import pytest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def test_the_package_passes_mypy_strict(tmp_path):
    found = subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True)
    if found.returncode != 0:
        if os.environ.get("CALYPSO_MOCK_REQUIRE_TOOLCHAINS") == "1":
            pytest.fail("mypy is not installed for this Python (Debian: python3-mypy)")
        pytest.skip("mypy is not installed for this Python: the types are unchecked here")
    env = {**os.environ, "MYPY_CACHE_DIR": str(tmp_path / "mypy-cache")}
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.9", os.path.join(SRC, "calypso_mock")],
                             capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert os.path.exists(os.path.join(SRC, "calypso_mock", "py.typed"))
