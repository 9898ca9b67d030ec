import subprocess
import sys
from pathlib import Path

from tests.subprocess_env import clean_environ as _clean_environ

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kP2!vQ9@mZ4$wL8^nR3&tY6*bH1(cJ5)dF0_gS2+eA9-uI4=oK7",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.gov.cn",
}


def _manage(*args, env_overrides):
    env = {**_clean_environ(), **env_overrides}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or insecure" in result.stderr


def test_production_mode_refuses_an_insecure_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "django-insecure-" + "a" * 60}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or insecure" in result.stderr
