"""The base of every decided-fact model: a pydantic model with a fast deep copy."""

from __future__ import annotations

import copy
import datetime as dt
from enum import Enum
from typing import Any, Self

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

_IMMUTABLE: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, dt.timedelta}
)


def _deep(value: Any, memo: dict[int, Any]) -> Any:
    """`copy.deepcopy` for the plain data models hold; immutable values are shared."""
    cls = type(value)
    if cls in _IMMUTABLE or isinstance(value, Enum):
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    if cls is list:
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(_deep(v, memo) for v in value)
        return items
    if cls is dict:
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        for key, item in value.items():
            mapping[_deep(key, memo)] = _deep(item, memo)
        return mapping
    if isinstance(value, BaseModel):
        return value.__deepcopy__(memo)
    return copy.deepcopy(value, memo)


class Record(BaseModel):
    """A model whose deep copies skip `copy.deepcopy`'s generic machinery (same result)."""

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        """Return a deep copy: fields, extra and fields-set copied as pydantic does."""
        if memo is None:
            memo = {}
        cls = type(self)
        out = cls.__new__(cls)
        memo[id(self)] = out
        setattr_ = object.__setattr__
        setattr_(out, "__dict__", {k: _deep(v, memo) for k, v in self.__dict__.items()})
        extra = self.__pydantic_extra__
        setattr_(out, "__pydantic_extra__", None if extra is None else _deep(extra, memo))
        setattr_(out, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        private = getattr(self, "__pydantic_private__", None)
        if private is not None:
            private = _deep({k: v for k, v in private.items() if v is not PydanticUndefined}, memo)
        setattr_(out, "__pydantic_private__", private)
        return out
