"""Path converters that refuse, by not matching (a JSON 404), what no row could be: an id longer
than a database integer holds, a UAI of another shape. A value that reached the query would be
an OverflowError on SQLite, a DataError on PostgreSQL: a 500."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class UaiConverter:
    regex = "[0-9]{7}[A-Za-z]"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "api_id")
register_converter(UaiConverter, "api_uai")
