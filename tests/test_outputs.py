"""Tests of the command's output files: purenet_cli/outputs.py and the one atomic_write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import pytest

from purenet.weights_file import atomic_write
from purenet_cli.outputs import write_json


def test_write_json_writes_what_json_dump_writes(tmp_path: Path) -> None:
    data = {"loss": [2.5, 0.1], "message": "é", "final": None}
    write_json(str(tmp_path / "h.json"), data)
    assert (tmp_path / "h.json").read_text(encoding="utf-8") == json.dumps(data, indent=1) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["h.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "w.npz"
    target.write_bytes(b"old")

    def half(f: IO[bytes]) -> None:
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(str(target), half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]
