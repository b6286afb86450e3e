"""Text written into CSV and Excel files people open in a spreadsheet program.

Records come from other systems and from the public (12345 complaints): a cell that starts with
``=``, ``+``, ``-`` or ``@`` would be run as a formula when the file is opened (CSV injection),
and openpyxl itself stores such a string as a formula. A leading apostrophe makes the
spreadsheet show the text as text. Numbers are left alone, so amounts stay numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value`` safe to put in a spreadsheet cell: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(cells) -> list:
    return [inert(cell) for cell in cells]
