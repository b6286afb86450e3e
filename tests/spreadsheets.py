"""Reading back the files ``common.spreadsheets`` writes: the heading lines, then the table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import load_workbook


@dataclass
class Read:
    title: str
    about: dict  # the heading's label -> value lines: filters, export time, exporter
    header: list
    rows: list[list]


def _split(lines: list[list]) -> Read:
    blank = next(n for n, line in enumerate(lines) if not any(cell not in (None, "") for cell in line))
    heading, table = lines[:blank], lines[blank + 1 :]
    return Read(
        title=heading[0][0],
        about={line[0]: line[1] for line in heading[1:]},
        header=table[0],
        rows=table[1:],
    )


def read_csv(data: bytes) -> Read:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return _split(list(csv.reader(io.StringIO(data.decode("utf-8-sig")))))


def read_xlsx(data: bytes, sheet: int = 0) -> Read:
    worksheet = load_workbook(io.BytesIO(data)).worksheets[sheet]
    read = _split([[cell.value for cell in row] for row in worksheet.iter_rows()])
    # A sheet reads back as wide as its widest row: the table is as wide as its header.
    while read.header and read.header[-1] is None:
        read.header.pop()
    read.rows = [row[: len(read.header)] for row in read.rows]
    return read


def read(data: bytes) -> Read:
    return read_xlsx(data) if data.startswith(b"PK") else read_csv(data)
