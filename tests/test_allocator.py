"""`kg build` starts itself again under mimalloc (kg/allocator.py); nothing else does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from paperkg.kg import allocator
from paperkg.kg.allocator import ALLOCATOR, library, relaunched

LIBRARY = library()
needs_library = pytest.mark.skipif(
    LIBRARY is None or not sys.platform.startswith("linux"), reason="mimalloc's library (cmeel-mimalloc) is Linux-only"
)


@pytest.fixture
def lib(monkeypatch, tmp_path):
    path = tmp_path / "libmimalloc.so"
    monkeypatch.setattr(allocator, "library", lambda: path)
    return path


def test_a_build_is_started_again_with_the_library_preloaded(lib):
    environ = relaunched(["build", "in.jsonl", "--store", "s"], {"HOME": "/h"}, platform="linux")
    assert environ == {"HOME": "/h", ALLOCATOR: str(lib), "LD_PRELOAD": str(lib)}


def test_a_preload_of_the_users_own_is_kept_after_ours(lib):
    environ = relaunched(["build", "x"], {"LD_PRELOAD": "/opt/libmine.so"}, platform="linux")
    assert environ is not None and environ["LD_PRELOAD"] == f"{lib} /opt/libmine.so"


@pytest.mark.parametrize(
    ("args", "environ", "platform"),
    [
        (["lookup", "SAE"], {}, "linux"),  # a reader: not worth a second start
        ([], {}, "linux"),  # `kg` alone prints its help
        (["--help"], {}, "linux"),
        (["build", "x"], {ALLOCATOR: "system"}, "linux"),  # glibc's asked for
        (["build", "x"], {ALLOCATOR: "/lib/libmimalloc.so"}, "linux"),  # started under it already
        (["build", "x"], {}, "darwin"),
    ],
)
def test_nothing_else_is_started_again(lib, args, environ, platform):
    assert relaunched(args, environ, platform=platform) is None


def test_without_the_library_a_build_goes_on_as_it_is(monkeypatch):
    monkeypatch.setattr(allocator, "library", lambda: None)
    assert relaunched(["build", "x"], {}, platform="linux") is None


def _maps_then_kg(*args: str) -> str:
    """Python code that prints whether mimalloc is mapped into its process, then runs `kg ARGS`
    through the console command's function."""
    return (
        "import sys\n"
        "print('mimalloc' if any('libmimalloc' in line for line in open('/proc/self/maps')) else 'glibc', flush=True)\n"
        f"sys.argv = ['kg', *{list(args)!r}]\n"
        "from paperkg.kg.cli import run\n"
        "run()\n"
    )


@needs_library
def test_the_console_command_runs_a_build_under_mimalloc():
    done = subprocess.run(
        [sys.executable, "-c", _maps_then_kg("build", "--help")], capture_output=True, text=True, check=True
    )
    first, second, usage = done.stdout.splitlines()[:3]
    assert (first, second) == ("glibc", "mimalloc")  # started once more, with the library loaded
    assert usage.startswith("Usage: kg build")


@needs_library
@pytest.mark.parametrize("environ", [{ALLOCATOR: "system"}, {}])
def test_the_console_command_leaves_readers_and_opt_outs_alone(environ, monkeypatch):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    args = ("build", "--help") if environ else ("lookup", "--help")
    done = subprocess.run([sys.executable, "-c", _maps_then_kg(*args)], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0] == "glibc"
    assert done.stdout.splitlines()[1].startswith("Usage: kg")
