"""The built wheel works on its own, and requirements.lock pins what pyproject.toml asks for.

The wheel is built from this checkout (a copy of its bot/, knowledge/ and dialogs/, so no
build/ folder is left behind) and installed into a virtual environment outside the checkout.
That environment sees the project venv's already-installed dependencies through a .pth line
(a plain path: the editable install's finder there is not loaded), so nothing is downloaded.
Each command then runs from a folder outside the repository with no GJZ_* variable set, and
must print what the checkout itself prints for the same input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.resources import SHIPPED
from tests.conftest import REPO
from tests.profiles import CHAOYANG_MASTER

PROFILE = CHAOYANG_MASTER  # undated: assessed as of the day the test runs, by both
# The welcome's own example sentence, then the first button for whatever is still asked.
CHAT = "我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁\n" + "1\n" * 12
SOURCE = ("pyproject.toml", "setup.py", "README.md", "bot", *SHIPPED)


def _env() -> dict[str, str]:
    """The environment without any GJZ_* setting (the knowledge must be the wheel's own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GJZ_") and k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCE:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    (built,) = dist.glob("gjz_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment (outside the checkout) holding the wheel."""
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "project_deps.pth").write_text("".join(f"{p}\n" for p in sorted(deps)), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    return root / "bin"


def _run(gjz: Path, *args: str, stdin: str = "", cwd: Path) -> str:
    done = subprocess.run(
        [str(gjz), *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_wheel_ships_every_file_of_knowledge_and_dialogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, inside in SHIPPED.items():
        files = [p for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files
        missing = [
            str(p.relative_to(REPO))
            for p in files
            if f"bot/{inside}/{p.relative_to(REPO / folder).as_posix()}" not in names
        ]
        assert not missing, f"not in the wheel (add a glob to [tool.setuptools.package-data]): {missing}"


def test_the_installed_wheel_reads_its_own_data(installed, tmp_path):
    out = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "from bot.resources import data_dir, checkout; import bot.knowledge.loader as l;"
            "print(data_dir('knowledge')); print(data_dir('dialogs')); print(l.default_knowledge_dir());"
            "print(checkout())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        check=True,
    ).stdout.split("\n")
    venv_root = installed.parent.resolve()
    for line in out[:3]:
        assert Path(line).is_dir() and Path(line).resolve().is_relative_to(venv_root), out
    assert out[3] == "None"  # no repository beside an installed wheel


def test_the_four_commands_run_from_the_wheel_as_from_the_checkout(installed, tmp_path, knowledge):
    checkout = Path(sys.executable).with_name("gjz")  # the project venv's (editable) gjz
    gjz = installed / "gjz"

    check = _run(gjz, "check", cwd=tmp_path)
    assert check.startswith("knowledge ok:") and check == _run(checkout, "check", cwd=tmp_path)

    profile = json.dumps(PROFILE, ensure_ascii=False)
    assessed = json.loads(_run(gjz, "assess", "-", "--json", stdin=profile, cwd=tmp_path))
    assert assessed["verdict"] and assessed["materials"]
    assert assessed == json.loads(_run(checkout, "assess", "-", "--json", stdin=profile, cwd=tmp_path))
    text = _run(gjz, "assess", "-", stdin=profile, cwd=tmp_path)
    assert text == _run(checkout, "assess", "-", stdin=profile, cwd=tmp_path)
    assert knowledge.districts["chaoyang"].name in text

    # No guides are beside an installed wheel: the checkout's answer without them is the same.
    answer = _run(gjz, "ask", "朝阳在哪办", cwd=tmp_path)
    assert "朝阳" in answer and answer == _run(checkout, "ask", "朝阳在哪办", "--no-guides", cwd=tmp_path)

    chat = _run(gjz, "chat", stdin=CHAT, cwd=tmp_path)
    assert chat == _run(checkout, "chat", stdin=CHAT, cwd=tmp_path)
    assert chat.count("\n> ") >= 3 and knowledge.districts["bda"].name in chat  # answered, up to a verdict


def test_the_lock_pins_every_dependency_within_its_range():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]]
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, _, version = line.split(" ")[0].partition("==")
            pins[canonicalize_name(name)] = version
    for req in wanted:
        pinned = pins.get(canonicalize_name(req.name))
        assert pinned is not None, f"{req.name} is not in requirements.lock: regenerate it (its first lines say how)"
        assert req.specifier.contains(pinned, prereleases=True), (
            f"requirements.lock pins {req.name}=={pinned}, outside pyproject's {req.specifier}"
        )
