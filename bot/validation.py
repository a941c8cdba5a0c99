"""One wording for pydantic's validation errors, for maintainers (gjz check) and for
profiles (gjz assess): what is wrong, and the offending value where it is a plain one."""

from __future__ import annotations

from pydantic_core import ErrorDetails


def describe(err: ErrorDetails) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    if "input" in err and err["type"] not in ("model_type", "dict_type") and not isinstance(err["input"], (dict, list)):
        return f"{msg} (got {err['input']!r})"
    return msg
