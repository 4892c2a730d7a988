"""The runnable examples of docs/python.md."""

import os
import runpy
import shutil
import subprocess
import sys

from doc_files import doc_files
from real_delivery import real_delivery  # noqa: F401 (a fixture)

FILES = doc_files("python.md")
CLIENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_signing_by_hand_matches_the_vector_and_the_mock(tmp_path, calypso_mock, real_delivery):  # noqa: F811
    script = tmp_path / "calypso_by_hand.py"
    script.write_text(FILES["calypso_by_hand.py"], encoding="utf-8")
    by_hand = runpy.run_path(str(script))  # the file asserts the published vector itself

    customer = by_hand["calypso_call"](calypso_mock.api_url, calypso_mock.account, calypso_mock.api_key,
                                       calypso_mock.api_secret, "customer-purse/customer/create", {"email": "erin@example.com"})
    assert calypso_mock.call("customer-purse/customer/update", {"id": customer["id"]})["email"] == "erin@example.com"

    body, sign, secret = real_delivery
    assert by_hand["verify_delivery"](body, sign, secret) is True
    assert by_hand["verify_delivery"](body + b" ", sign, secret) is False
    assert by_hand["verify_delivery"](body, sign.upper(), secret) is False
    assert by_hand["verify_delivery"](body, None, secret) is False


def test_a_fresh_virtualenv_installs_the_package_and_runs_the_merchant_test(tmp_path, calypso_mock_session):
    """`pip install --no-deps --no-build-isolation ./clients/python` into a new virtualenv (that sees
    this Python's pytest), then the docs' merchant test file, with nothing but the installed plugin."""
    # A copy, so that the build's egg-info and build/ folders never land in the repository.
    shutil.copytree(CLIENT, tmp_path / "clients" / "python", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, capture_output=True)
    python = str(venv / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "CALYPSO_MOCK_URL": calypso_mock_session.url}
    env.pop("PYTHONPATH", None)
    installed = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "./clients/python"],
                               cwd=tmp_path, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = subprocess.run([python, "-c", "import calypso_mock, os; print(os.path.dirname(calypso_mock.__file__))"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(venv)) and os.path.exists(os.path.join(where, "py.typed"))

    example = tmp_path / "example"
    example.mkdir()
    (example / "test_merchant.py").write_text(FILES["test_merchant.py"], encoding="utf-8")
    ran = subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider", "test_merchant.py"],
                         cwd=example, env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "calypso-mock-0.1.0" in ran.stdout  # pytest's "plugins:" line: the entry point loaded it
    assert "3 passed" in ran.stdout
