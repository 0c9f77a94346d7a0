"""Every error under ``/api/`` in the API's one body: a method a path does not have (405),
a URL it does not have (404), a body the framework cannot parse, a server error."""

from __future__ import annotations

from .core import error_response, said_for


class ApiErrorBody:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or getattr(response, "streaming", False)
            or response.content.startswith(b'{"error"')
        ):
            return response
        answer = error_response(
            response.status_code, *said_for(response.status_code, response.content)
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer
