"""Every route in the URL conf, with its path parameters filled in: what the hostile-input
walker and the access-control matrix go over, so that a new route is covered (or, in the
matrix, must be given a row) as soon as it is added."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve


@dataclass(frozen=True)
class Route:
    template: str  # "track/<str:token>/", as the URL conf spells it, prefixes included
    name: str  # "namespace:name", or the view's dotted path for a route without a name
    view: str  # the view's dotted path

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    def parameters(self) -> list[str]:
        groups = _regex_groups(self.template)
        rest = self.template
        for _, group in groups:
            rest = rest.replace(group, "", 1)
        return [name for name, _ in groups] + [name for _, name in _PARAMETERS.findall(rest)]

    def url(self, values: dict[str, str]) -> str:
        """The route's address with each parameter given its value (not escaped: the values
        are chosen to be safe, or escaped by the caller on purpose)."""
        path = self.template
        for name, group in _regex_groups(path):
            path = path.replace(group, values[name], 1)
        path = _PARAMETERS.sub(lambda found: values[found.group(2)], path)
        return "/" + path.replace("^", "").replace("$", "")


# <int:delivery_id>, <token>
_PARAMETERS = re.compile(r"<(?:(\w+):)?(\w+)>")


def _regex_groups(template: str) -> list[tuple[str, str]]:
    """(name, the whole group) of each `(?P<name>...)`, its parentheses balanced."""
    groups = []
    start = template.find("(?P<")
    while start != -1:
        depth, end = 0, start
        for end in range(start, len(template)):
            if template[end] == "(" and template[end - 1 : end] != "\\":
                depth += 1
            elif template[end] == ")" and template[end - 1 : end] != "\\":
                depth -= 1
                if depth == 0:
                    break
        name = template[start + 4 : template.index(">", start)]
        groups.append((name, template[start : end + 1]))
        start = template.find("(?P<", end)
    return groups


def all_routes() -> list[Route]:
    """Each route the URL conf can reach, once (a route shadowed by an earlier one with the
    same address, such as django.contrib.auth's own login, is left out)."""
    found: dict[str, Route] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                template = prefix + str(pattern.pattern)
                name = f"{namespace}{pattern.name}" if pattern.name else pattern.lookup_str
                found.setdefault(template, Route(template, name, pattern.lookup_str))

    walk(get_resolver().url_patterns, "", "")
    return list(found.values())


def resolves_to(route: Route, url: str) -> bool:
    try:
        match = resolve(url.split("?", 1)[0])
    except Exception:
        return False
    return route.template in (match.route, match.route.replace("^", "", 1)) or (
        match.view_name == route.name
    )
