"""Contains shared errors types that can be raised from API functions"""

import httpx2


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class MalformedResponse(Exception):
    """Raised by api functions when a successful response's body does not match the spec; keeps the response."""

    def __init__(self, response: httpx2.Response):
        self.response = response
        super().__init__(f"Malformed {response.status_code} response body")


__all__ = ["MalformedResponse", "UnexpectedStatus"]
