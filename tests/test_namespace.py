"""paperkg installs one top-level import package, `paperkg`, so it never shadows another
distribution's `schema`, `kg`, `extract` or `viz` (the PyPI `schema` validation library among them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "hf-daily-papers-interpretability-1.txt"


def test_installed_top_level_is_paperkg_alone():
    import paperkg.extract
    import paperkg.kg
    import paperkg.schema
    import paperkg.viz

    for package in (paperkg.kg, paperkg.extract, paperkg.viz, paperkg.schema):
        assert Path(package.__file__).resolve().parent.parent == ROOT


def test_a_foreign_schema_package_and_kg_build_work_side_by_side(tmp_path):
    # A stand-in for PyPI's `schema` (same module name, same call), first on the path.
    foreign = tmp_path / "site"
    (foreign / "schema").mkdir(parents=True)
    (foreign / "schema" / "__init__.py").write_text(
        "class Schema:\n"
        "    def __init__(self, kind):\n"
        "        self.kind = kind\n"
        "    def validate(self, value):\n"
        "        assert isinstance(value, self.kind)\n"
        "        return value\n"
    )
    for name in ("kg", "extract", "viz"):
        (foreign / name).mkdir()
        (foreign / name / "__init__.py").write_text(f"WHO = 'foreign {name}'\n")
    store = tmp_path / "store"
    script = textwrap.dedent(
        f"""
        import json, schema, kg, extract, viz
        assert schema.Schema(int).validate(1) == 1
        from paperkg.kg.cli import main
        try:
            main(["build", {str(DEMO)!r}, "--store", {str(store)!r}, "-q"])
        except SystemExit as stop:
            assert not stop.code, stop.code
        print(json.dumps([kg.WHO, extract.WHO, viz.WHO, schema.__file__]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(foreign)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    who = json.loads(done.stdout.strip().splitlines()[-1])
    assert who[:3] == ["foreign kg", "foreign extract", "foreign viz"]
    assert who[3].startswith(str(foreign))
    assert (store).exists()
