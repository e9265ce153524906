"""kg.files: the one atomic file write, and "cannot write" as one error in every command."""

from __future__ import annotations

import errno
import json
import os

import pytest
from click.testing import CliRunner
from graph_papers import build, vsae

from paperkg.kg.cli import main
from paperkg.kg.files import cannot_write, replacing, write_text
from paperkg.schema.errors import PaperkgError, WriteError


@pytest.fixture
def small_store(tmp_path_factory):
    return build(tmp_path_factory.mktemp("files") / "store", [vsae()])


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


def test_a_written_file_has_the_mode_open_would_give_it_and_no_temporary_file_stays(tmp_path, umask_027):
    target = tmp_path / "out.txt"
    write_text(target, "first")
    write_text(target, iter(["sec", "ond"]))
    assert target.read_text(encoding="utf-8") == "second"
    assert target.stat().st_mode & 0o777 == 0o640  # 0o666 less the umask, not mkstemp's 0o600
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_failure_while_writing_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "old")

    def pieces():
        yield "half of the new"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        write_text(target, pieces())
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    write_text(target, "old")

    def broken_replace(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr("paperkg.kg.files.os.replace", broken_replace)
    with pytest.raises(OSError), replacing(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_cannot_write_is_a_paperkg_error_with_the_reason():
    error = cannot_write("x/out.txt", OSError(errno.ENOENT, "No such file or directory"))
    assert isinstance(error, WriteError) and isinstance(error, PaperkgError)
    assert str(error) == "cannot write x/out.txt: No such file or directory; nothing was written"


@pytest.mark.parametrize("args", [["export", "--format", "turtle", "-o"], ["viz", "-o"]])
def test_every_command_says_cannot_write_the_same_way(small_store, tmp_path, monkeypatch, args):
    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("paperkg.kg.files.os.replace", full_disk)
    target = tmp_path / "out"
    result = CliRunner().invoke(main, [*args, str(target), "--store", str(small_store.path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: No space left on device; nothing was written\n"
    assert os.listdir(tmp_path) == []


def test_a_label_cache_is_written_like_any_other_file(small_store, umask_027):
    from paperkg.kg import label_index

    label_index.load(small_store)
    path = label_index.cache_path(small_store)
    assert json.loads(path.read_text(encoding="utf-8"))["generation"] == small_store.generation
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
