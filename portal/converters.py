"""Path converters the portal's URLs share.

``<id:pk>`` is a row's id: at most 18 digits, which every 64-bit integer column holds. A longer
number (/records/99999999999999999999999/) matches no URL and is a page that does not exist (404),
instead of reaching the database, which cannot compare it with an id and would fail the request.
"""

from django.urls import register_converter


class RowIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RowIdConverter, "id")
