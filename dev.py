#!/usr/bin/env python3
"""Set up and run govdata from a fresh clone with nothing but Python ≥ 3.11 and pip.

    python3 dev.py demo     # build the demo city and serve the portal at http://127.0.0.1:8000
    python3 dev.py test     # lint, then the whole test suite

Both create ``.venv`` on first use and install the locked dependencies (``uv.lock``) into it.
Extra arguments go to ``govdata demo`` or to pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_env() -> None:
    """Create the virtual environment and sync it with uv.lock (fast when nothing changed)."""
    if sys.version_info < (3, 11):
        sys.exit("govdata needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        print("创建虚拟环境 / creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not (BIN / "uv").exists():
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
    env = dict(os.environ, VIRTUAL_ENV=str(VENV), UV_PROJECT_ENVIRONMENT=str(VENV))
    run(BIN / "uv", "sync", "--locked", "--quiet", env=env)


def demo(args: list[str]) -> None:
    home = os.environ.get("GOVDATA_HOME", str(ROOT / "home"))
    if not args and Path(home, "govdata.db").exists():
        print(f"{home} 已建好示例市，直接启动门户 / the demo city exists, serving it", flush=True)
        os.execv(BIN / "govdata", [str(BIN / "govdata"), "serve", "--home", home])
    os.execv(BIN / "govdata", [str(BIN / "govdata"), "demo", "--home", home, *args])


def test(args: list[str]) -> None:
    run(BIN / "ruff", "check", "src", "tests")
    run(BIN / "ruff", "format", "--check", "src", "tests")
    if shutil.which("chromium") is None and Path("/usr/bin/chromium").exists() is False:
        print("警告 / warning: Debian's chromium is not installed; browser tests will fail "
              "(apt-get install chromium chromium-driver)", file=sys.stderr)
    workers = ["-n", str(min(os.cpu_count() or 1, 4))] if "-n" not in args else []
    run(BIN / "pytest", *workers, *args)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test", "setup"):
        sys.exit(__doc__)
    ensure_env()
    {"demo": demo, "test": test, "setup": lambda a: None}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
