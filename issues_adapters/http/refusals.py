"""How the edge refuses a request before any view sees it: a program under /api/ gets the
API's JSON error shape (issues_adapters/api/errors.py), a person the friendly 400 page."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def refuse(request, api_body: dict, *, api_status: int = 400) -> HttpResponse:
    if is_api(request):
        return JsonResponse(api_body, status=api_status)
    return render(request, "400.html", status=400)
