"""A small least-recently-used cache: the engine's resized photos and style vectors, the desktop's
loaded photos, paintings and clips."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class LruCache(Generic[Key, Value]):
    """Keeps the ``capacity`` most recently used values; ``capacity`` None keeps every one."""

    def __init__(self, capacity: int | None):
        self.capacity = capacity
        self._values: OrderedDict[Key, Value] = OrderedDict()

    def get(self, key: Key, make: Callable[[Key], Value]) -> Value:
        """The value for ``key``, made (and kept) the first time it is asked for."""
        if key not in self._values:
            self.put(key, make(key))
        self._values.move_to_end(key)
        return self._values[key]

    def find(self, key: Key) -> Value | None:
        if key not in self._values:
            return None
        self._values.move_to_end(key)
        return self._values[key]

    def put(self, key: Key, value: Value) -> None:
        self._values[key] = value
        self._values.move_to_end(key)
        while self.capacity is not None and len(self._values) > self.capacity:
            self._values.popitem(last=False)

    def pop(self, key: Key) -> Value | None:
        return self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    def items(self) -> list[tuple[Key, Value]]:
        return list(self._values.items())

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)
