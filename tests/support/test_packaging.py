"""The wheel and the sdist hold what users and packagers need, and nothing else.

Both are built by setuptools' own PEP 517 hooks in a subprocess, without build isolation, so
no package index is asked (setuptools>=77 comes with the test extra). They are built from a copy
of the source tree in which decoys were planted where stray files really turn up (compiled
bytecode, saved weights, MNIST downloads beside the code), so the exclusions are tested against
files that exist, not against an already clean tree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("purenet", "reference", "purenet_support", "purenet_cli")
# What a developer's tree holds that a build never reads: copying it would only cost time.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", ".*_cache", ".hypothesis", "runs"
)
DECOYS = (
    "purenet/__pycache__/matrix.cpython-311.pyc",
    "reference/weights.npz",
    "purenet_cli/train-images-idx3-ubyte.gz",
    "purenet_support/t10k-labels-idx1-ubyte",
    "docs/run.npz",
    "tests/__pycache__/test_cli.cpython-311.pyc",
)
# Anything in a file name that marks it as a cache, data, weights, or not part of the library.
FORBIDDEN = re.compile(
    r"(^|/)(__pycache__|\.venv[^/]*|\.ci|\.git)/"  # caches, environments, CI, history
    r"|\.py[cod]$|\.npz$|-ubyte(\.gz)?$"  # bytecode, weights, MNIST files
)
BUILD = (
    "import sys\n"
    "from setuptools import build_meta\n"
    "out = sys.argv[1]\n"
    "build_meta.build_wheel(out)\n"
    "build_meta.build_sdist(out)\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str], str]:
    """Build once for the module: (wheel names, sdist names under its top folder, METADATA)."""
    work = tmp_path_factory.mktemp("packaging")
    source, out = work / "source", work / "dist"
    shutil.copytree(ROOT, source, ignore=NOT_COPIED)
    for decoy in DECOYS:
        (source / decoy).parent.mkdir(parents=True, exist_ok=True)
        (source / decoy).write_bytes(b"not for a package\n")
    out.mkdir()
    done = subprocess.run([sys.executable, "-c", BUILD, str(out)], cwd=source,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"build failed:\n{done.stderr[-3000:]}"
    (wheel_path,), (sdist_path,) = out.glob("*.whl"), out.glob("*.tar.gz")
    with zipfile.ZipFile(wheel_path) as wheel:
        wheel_files = wheel.namelist()
        metadata_name = next(n for n in wheel_files if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(metadata_name).decode()
    with tarfile.open(sdist_path) as sdist:
        top = sdist_path.name.removesuffix(".tar.gz") + "/"
        sdist_files = [m.name.removeprefix(top) for m in sdist.getmembers() if m.isfile()]
    return wheel_files, sdist_files, metadata


def _python_files(package: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / package).rglob("*.py")
            if "__pycache__" not in p.parts}


def _readme_targets() -> set[str]:
    """The local files README.md shows or links to (images and links; web addresses left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s#]+)", text) + re.findall(r'src="([^"#]+)"', text)
    return {t.removeprefix("./") for t in targets if not re.match(r"[a-z]+:", t)}


def test_the_decoys_were_planted_where_a_careless_build_would_pick_them_up():
    assert {d.split("/")[0] for d in DECOYS} >= set(PACKAGES)


def test_wheel_carries_every_module_of_the_four_packages(built):
    wheel_files, _, _ = built
    expected = set().union(*(_python_files(p) for p in PACKAGES))
    missing = sorted(expected - set(wheel_files))
    assert not missing, f"missing from the wheel: {missing}"


def test_wheel_holds_only_the_library_and_its_metadata(built):
    wheel_files, _, _ = built
    allowed_top = set(PACKAGES)  # no generic top-level module: cli.py is a checkout's shim
    strays = [n for n in wheel_files
              if n.split("/")[0] not in allowed_top and ".dist-info/" not in n]
    assert not strays, f"not library code, yet in the wheel: {strays}"
    forbidden = [n for n in wheel_files if FORBIDDEN.search(n)]
    assert not forbidden, f"caches, data or weights in the wheel: {forbidden}"


def test_wheel_carries_the_license_and_declares_it(built):
    wheel_files, _, metadata = built
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel_files)
    fields = Parser().parsestr(metadata)
    assert fields["License-Expression"] == "MIT"
    assert fields.get_all("License-File") == ["LICENSE"]
    classifiers = fields.get_all("Classifier") or []
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert fields["Requires-Python"] == ">=3.10"


def test_sdist_carries_the_source_the_license_and_what_the_readme_shows(built):
    _, sdist_files, _ = built
    shown = _readme_targets()
    assert "docs/figures/training.png" in shown  # the parser still finds the README's figure
    expected = {"LICENSE", "README.md", "pyproject.toml", "cli.py", *shown}
    expected |= set().union(*(_python_files(p) for p in PACKAGES))
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*")
                 if p.is_file() and not FORBIDDEN.search(p.as_posix())}
    expected |= _python_files("tests")
    missing = sorted(expected - set(sdist_files))
    assert not missing, f"missing from the sdist: {missing}"


def test_sdist_leaves_out_caches_data_weights_and_ci(built):
    _, sdist_files, _ = built
    forbidden = [n for n in sdist_files if FORBIDDEN.search("/" + n)]
    assert not forbidden, f"caches, data, weights or CI files in the sdist: {forbidden}"
