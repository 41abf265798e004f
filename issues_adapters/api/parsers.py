"""JSON bodies, refused with 400 when nested deeper than any request of this API needs.

Python's decoder recurses once per level, so `[[[[...` a thousand deep raised RecursionError,
which nothing catches: a 500 on every POST. The deepest body this API takes is 2 levels; 32
leaves room for whatever comes without letting a body walk the stack.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels is not accepted."


class NestingLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data


def _deeper_than(value, levels: int) -> bool:
    if isinstance(value, dict | list):
        if levels == 0:
            return True
        items = value.values() if isinstance(value, dict) else value
        return any(_deeper_than(item, levels - 1) for item in items)
    return False
