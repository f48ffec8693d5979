"""The shipped service files: the systemd unit is valid and sandboxed, the image runs as a
numeric user with its configuration and database on the /data volume."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "threads-bridge.service"
EXEC = "/opt/threads-bridge/bin/threads-bridge"  # the install path the unit's header documents


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def test_the_unit_sets_the_sandboxing_keys() -> None:
    settings = unit_settings()
    expected = {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ReadWritePaths": "/var/lib/threads-bridge",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
        "RestrictNamespaces": "yes",
        "MemoryDenyWriteExecute": "yes",
        "SystemCallArchitectures": "native",
        "UMask": "0077",
    }
    assert {key: settings.get(key, [None])[0] for key in expected} == expected
    assert settings["SystemCallFilter"][0] == "@system-service"
    assert settings["ExecStart"][0].startswith(f"{EXEC} run --config ")


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A root directory with the unit and the executable where the header installs them."""
    if shutil.which("systemd-analyze") is None or not Path("/lib/systemd/system").is_dir():
        pytest.skip("systemd-analyze is not installed here")
    executable = tmp_path / EXEC.lstrip("/")
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    units = tmp_path / "etc" / "systemd" / "system"
    units.mkdir(parents=True)
    shutil.copy(UNIT, units)
    (tmp_path / "usr" / "lib" / "systemd").mkdir(parents=True)
    # The targets the unit orders itself against (network-online.target, multi-user.target...).
    shutil.copytree(
        "/lib/systemd/system", tmp_path / "usr" / "lib" / "systemd" / "system", symlinks=True
    )
    return tmp_path


def analyze(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [shutil.which("systemd-analyze") or "systemd-analyze", *args, f"--root={root}", UNIT.name],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_systemd_analyze_verify_passes(installed: Path) -> None:
    result = analyze(installed, "verify")
    assert (result.returncode, result.stderr) == (0, "")


def test_systemd_analyze_security_rates_it_under_4(installed: Path) -> None:
    result = analyze(installed, "security", "--offline=yes")
    found = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert found is not None, result.stdout + result.stderr
    assert float(found.group(1)) < 4.0


def test_the_image_runs_as_a_numeric_user_with_everything_on_the_volume() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert re.search(r"^USER \d+:\d+$", dockerfile, re.MULTILINE)
    # The configuration inside /data: relative storage paths are read from its folder.
    assert 'CMD ["run", "--config", "/data/config.toml"' in dockerfile
    assert 'VOLUME ["/data"]' in dockerfile
    assert 'health_host = "0.0.0.0"' in dockerfile
    assert "threads-bridge auth url --config /data/config.toml" in dockerfile
