"""Refuse a NUL character in the path or the query string with 400, once, for every page.

PostgreSQL cannot hold U+0000 in text, so `/track/a%00b/` or `/staff/?q=%00` reached a query
and failed there with 500. Refusing is better than stripping: what was sent is not what was
meant, and a silently different search would mislead.
"""

from rest_framework.settings import api_settings

from issues_adapters.http.refusals import refuse

NUL = "\x00"
MESSAGE = "Contains a NUL character, which cannot be stored."


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The raw query string is checked first: most requests have none or no "%00".
        query = request.META.get("QUERY_STRING", "")
        if NUL in request.path or (
            ("%00" in query or NUL in query) and self._query_has_nul(request)
        ):
            return refuse(request, self._errors(request))
        return self.get_response(request)

    @staticmethod
    def _query_has_nul(request) -> bool:
        return any(
            NUL in name or any(NUL in value for value in values)
            for name, values in request.GET.lists()
        )

    @staticmethod
    def _errors(request) -> dict[str, list[str]]:
        """The API's 400 shape: each parameter with a NUL under its name, else no one field."""
        errors = {
            name: [MESSAGE]
            for name, values in request.GET.lists()
            if NUL not in name and any(NUL in value for value in values)
        }
        if NUL in request.path or not errors:
            return {api_settings.NON_FIELD_ERRORS_KEY: ["The address contains a NUL character."]}
        return errors
