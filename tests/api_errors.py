"""Reading the API's one error body (satupintu.api_errors) in tests."""


def field_errors(response) -> dict[str, list[str]]:
    """{field: [messages]} from an error response; messages of no field under "__all__"."""
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}, body
    out: dict[str, list[str]] = {}
    for error in body["errors"]:
        out.setdefault(error["field"] or "__all__", []).append(error["message"])
    return out
