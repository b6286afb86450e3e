"""The generator's files for a fixed seed and count, byte for byte: a digest of every file of a run.

The digests were taken from the generator as it was before it was split into modules by concern;
the same seed and count must give the same bytes, the planted patterns and spoiled rows included.
"""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

RUNS = {
    ("--count", "50", "--seed", "1"):
        "a74dd2675a411c3c2f6e43718b246b254b561d8e5fb1c833e2491d396b942180",
    ("--count", "50", "--seed", "1", "--format", "csv", "--bad-rate", "0.1"):
        "f4541cd8f89804dd6bf4036e6fa48002634c2f4623b5d495d537845b7fb4282a",
    ("--count", "200", "--seed", "jiangzhou"):  # every planted row fits from 200 rows a system
        "bdbb380bec1e0d93b1acb95e034fc27c02a52f3e83511e98b19de761bab15cc6",
}


def digest(folder: Path) -> str:
    """One digest over the names and the bytes of every file the run wrote."""
    total = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        total.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


@pytest.mark.parametrize("arguments", list(RUNS), ids=[" ".join(run) for run in RUNS])
def test_the_same_seed_and_count_write_the_same_bytes(tmp_path, arguments):
    call_command("generate_records", "--out", str(tmp_path), *arguments, stdout=StringIO(), stderr=StringIO())
    assert digest(tmp_path) == RUNS[arguments]
