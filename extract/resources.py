"""Where the project's `data/` directory (gazetteers, demo corpus) is.

`extract/data` is a symlink to the top-level `data/`, so a checkout and an installed package
(where setuptools copies the files into `extract/data`) see the same path.
"""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    return Path(__file__).with_name("data")
