"""Every test directory runs: in the plain `pytest` order (pyproject's testpaths) and in
`make test` (the emulator-backed tests on two workers, then the browser tests)."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _test_dirs() -> set[str]:
    return {f"tests/{d.name}" for d in (ROOT / "tests").iterdir()
            if d.is_dir() and any(d.rglob("test_*.py"))}


def test_every_test_directory_is_in_testpaths_and_in_make_test():
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"]["testpaths"]
    make = (ROOT / "Makefile").read_text()
    units = re.search(r"^UNIT_TESTS := (.*?)\n(?!\s)", make, re.S | re.M).group(1)
    in_make = set(re.findall(r"tests/\w+", units)) | {"tests/e2e"}
    assert _test_dirs() == set(testpaths) == in_make
    # The fuzzers write into their worker's emulator: they come after the other rooms.
    assert testpaths[-2:] == ["tests/contract", "tests/e2e"]
    assert re.findall(r"tests/\w+", units)[-1] == "tests/contract"
    assert "pytest -q tests/e2e" in make and "-n 2 --dist loadfile $(UNIT_TESTS)" in make
