"""`kg build` under mimalloc, a faster memory allocator than glibc's for what a build does.

Most of a large build's end is Oxigraph's bulk loader, which sorts millions of small keys, each an
allocation of its own, and RocksDB merging what it loaded. glibc's allocator spends about a fifth
of the loader's CPU putting freed chunks back together (`malloc_consolidate`, `unlink_chunk`,
`_int_free` in a profile of one load); under mimalloc the same load takes 16% less CPU, and a
build of the whole arXiv corpus (71,893 abstracts) 4.7% less CPU and 6.6% less wall
(bench/results/2026-12-07-issue27-allocator.md). glibc's tunables (a larger thread cache, no
trimming) left the load's CPU unchanged.

An allocator replaces glibc's only when the dynamic loader loads it before anything else, so
`kg build` starts its own command line again, once, with mimalloc's library preloaded
(`LD_PRELOAD`); the extraction workers it forks inherit it. On Linux only, and only when the
`cmeel-mimalloc` distribution (a dependency there) provides the library.
`PAPERKG_ALLOCATOR=system` keeps glibc's.

mimalloc's own options stay at its defaults (mimalloc 3.4). It hands freed ranges back to the OS a
second after they are freed (`purge_delay`) and faults them in again, zeroed: the kernel's zeroing
(`clear_page_erms`) was 13-29% of a bulk load's samples and looked worth cutting, but none of the
options measured cut a build. `MIMALLOC_ALLOW_LARGE_OS_PAGES=1` (arenas in transparent huge pages) took one load of a
10,000-abstract build's spool 13.2 -> 11.9 s of CPU, but the build itself 107.7 -> 110.9 s
(RocksDB's compaction 6.6 -> 7.2 s); `MIMALLOC_PURGE_DECOMMITS=0` and `MIMALLOC_PURGE_DELAY=-1`
fault less but took more system time, not less (bench/results/2026-12-07-issue27-allocator-options.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

ALLOCATOR = "PAPERKG_ALLOCATOR"  # "system": glibc's; a path: the library this process was started with
COMMANDS = frozenset({"build"})  # the commands worth a second start (a few ms); readers are not


def library() -> Path | None:
    """mimalloc's shared library, as the `cmeel-mimalloc` distribution installs it, if it does."""
    try:
        files = metadata.files("cmeel-mimalloc") or []
    except metadata.PackageNotFoundError:
        return None
    found = (Path(str(f.locate())) for f in files if f.name.startswith("libmimalloc.so"))
    return next((path for path in sorted(found) if path.is_file()), None)


def relaunched(args: Sequence[str], environ: Mapping[str, str], platform: str = sys.platform) -> dict[str, str] | None:
    """The environment to start `kg ARGS...` again in under mimalloc, or None to go on as this
    process is: not a build, not Linux, no library, glibc asked for, or started under it already."""
    if not args or args[0] not in COMMANDS or not platform.startswith("linux") or ALLOCATOR in environ:
        return None
    path = library()
    if path is None:
        return None
    preload = " ".join(filter(None, (str(path), environ.get("LD_PRELOAD"))))
    return {**environ, ALLOCATOR: str(path), "LD_PRELOAD": preload}


def relaunch_if_worth_it() -> None:
    """Replace this process by `kg`'s command line started again under mimalloc when `relaunched`
    says so (never returns then); otherwise return at once."""
    environ = relaunched(sys.argv[1:], os.environ)
    if environ is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    script = sys.argv[0]
    if sys.orig_argv[1:] == sys.argv and os.path.isfile(script) and os.access(script, os.X_OK):
        os.execve(script, sys.argv, environ)  # the `kg` script again: the process keeps its name
    os.execve(sys.executable, sys.orig_argv, environ)  # the interpreter's own command line
