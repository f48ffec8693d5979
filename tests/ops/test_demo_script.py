"""`scripts/demo` installs into .venv only when needed: the first launch, and after
pyproject.toml changed. A stand-in .venv records what pip was asked to do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo"

# Plays .venv/bin/python: `-m pip install` is recorded and "installs" the entry point.
FAKE_PYTHON = """#!/usr/bin/env bash
here="$(cd "$(dirname "$0")" && pwd)"
echo "python $*" >> "$here/../../pip-calls.log"
cat > "$here/threads-bridge" <<'SCRIPT'
#!/usr/bin/env bash
echo "threads-bridge $*"
SCRIPT
chmod +x "$here/threads-bridge"
"""


def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "demo")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "threads-bridge"\n')
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def launch(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / "scripts" / "demo"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


def installs(root: Path) -> int:
    log = root / "pip-calls.log"
    return log.read_text().count("-m pip install") if log.exists() else 0


def test_installs_on_the_first_launch_only(tmp_path: Path) -> None:
    root = checkout(tmp_path)

    first = launch(root, "--db", "x.db")
    second = launch(root)
    third = launch(root)

    assert installs(root) == 1
    assert "Installing threads-bridge" in first.stderr
    assert first.stdout == "threads-bridge demo --db x.db\n"
    assert (second.stdout, second.stderr) == ("threads-bridge demo\n", "")
    assert third.stderr == ""


def test_installs_again_when_pyproject_changes(tmp_path: Path) -> None:
    root = checkout(tmp_path)
    launch(root)

    with (root / "pyproject.toml").open("a") as pyproject:
        pyproject.write('dependencies = ["httpx"]\n')
    launch(root)
    launch(root)

    assert installs(root) == 2
