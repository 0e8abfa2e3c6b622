"""Same seed → byte-identical output; another seed → other data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from govdata.demo import DemoManifest, generate, rich_progress
from govdata.errors import InvalidInput


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(city: tuple[Path, DemoManifest], tmp_path: Path) -> None:
    out, manifest = city
    done: dict[str, list[int]] = {}

    def progress(label: str, total: int) -> Callable[[int], None]:
        done[label] = [total, 0]
        return lambda n: done[label].__setitem__(1, done[label][1] + n)

    generate(tmp_path, progress=progress)
    assert len(done) == 3 and all(total == advanced for total, advanced in done.values())
    assert [total for total, _ in done.values()][0] == manifest.people
    first, second = _files(out), _files(tmp_path)
    assert first.keys() == second.keys()
    for name in first:
        if name == "manifest.json":  # holds absolute paths; equal once the root is replaced
            a = first[name].decode().replace(str(out.resolve()), "ROOT")
            b = second[name].decode().replace(str(tmp_path.resolve()), "ROOT")
            assert a == b
        else:
            assert first[name] == second[name], name


def test_different_seed_differs(city: tuple[Path, DemoManifest], tmp_path: Path) -> None:
    out, manifest = city
    other = generate(tmp_path, seed=7)
    for name in (
        "sources/gaj.sqlite",
        "files/mzj_hy_djxx.csv",
        "files/wjw_cs_yxzm.xlsx",
        "files/mzj_db_dx.json",
    ):
        assert (out / name).read_bytes() != (tmp_path / name).read_bytes(), name
    assert other.defects[0].keys != manifest.defects[0].keys


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scale": "huge"}, "demo.unknown_scale"),
        ({"sources": ("oracle",)}, "demo.unknown_source"),
        ({"namespace": "Bad-Name"}, "demo.bad_namespace"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate(tmp_path, **kwargs)
    assert caught.value.code == code
    assert "{" not in caught.value.message("en")


def test_rich_progress_bars() -> None:
    with rich_progress() as progress:
        advance = progress("x", 3)
        advance(3)
