"""The Go, Java and PHP snippets of docs/signing-in-other-languages.md, run on the published vector
and on a real delivery from the mock."""

import json
import os
import shutil
import subprocess

import pytest

from doc_files import doc_files
from real_delivery import real_delivery  # noqa: F401 (a fixture)
from test_signing import VECTOR_BODY, VECTOR_SECRET, VECTOR_SIGN

FILES = doc_files("signing-in-other-languages.md")


def build_go(src, tmp):
    binary = os.path.join(tmp, "calypso_sign")
    env = {**os.environ, "GOCACHE": os.path.join(tmp, "go-cache"), "GO111MODULE": "off"}
    subprocess.run(["go", "build", "-o", binary, src], check=True, cwd=tmp, env=env, capture_output=True)
    return [binary]


def build_java(src, tmp):
    subprocess.run(["javac", "-d", tmp, src], check=True, capture_output=True)
    return ["java", "-cp", tmp, "CalypsoSign"]


def build_php(src, tmp):
    return ["php", src]


LANGUAGES = {
    "go": ("calypso_sign.go", ["go"], build_go),
    "java": ("CalypsoSign.java", ["javac", "java"], build_java),
    "php": ("calypso_sign.php", ["php"], build_php),
}


def test_the_page_has_one_file_per_language():
    assert sorted(FILES) == sorted(name for name, _, _ in LANGUAGES.values())


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_snippet_signs_and_verifies(language, tmp_path, real_delivery):
    name, tools, build = LANGUAGES[language]
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CALYPSO_MOCK_REQUIRE_TOOLCHAINS") == "1":
            pytest.fail(f"{language}: {', '.join(missing)} not installed")
        pytest.skip(f"{language}: {', '.join(missing)} not installed: the snippet is untested here")
    src = tmp_path / name
    src.write_text(FILES[name] + "\n", encoding="utf-8")
    command = build(str(src), str(tmp_path))

    def run(*args, body):
        done = subprocess.run([*command, *args], input=body, capture_output=True, check=True, timeout=120)
        return done.stdout.decode().strip()

    body, sign, secret = real_delivery
    tampered = body.replace(b'"id":', b'"id": ', 1)
    assert json.loads(tampered) == json.loads(body) and tampered != body
    assert run("sign", VECTOR_SECRET, body=VECTOR_BODY) == VECTOR_SIGN
    assert run("sign", secret, body=body) == sign
    assert run("verify", secret, sign, body=body) == "true"
    assert run("verify", secret, sign, body=tampered) == "false"
    assert run("verify", secret, sign.upper(), body=body) == "false"
    assert run("verify", VECTOR_SECRET, VECTOR_SIGN, body=VECTOR_BODY) == "true"
