"""The platform's one plugin manager, and the name registries it fills.

``get_plugin_manager()`` builds the pluggy manager once, on first call (never at import): it adds the
specs of ``govdata.hookspecs``, registers the built-in plugin modules of ``DEFAULT_PLUGINS`` and loads
every installed package's entry points of group ``govdata``. A ``Registry`` maps stable names to the
objects one hook returns (``CONNECTORS``, ``RULES`` and ``MASKERS`` in their pillars). It asks the
manager on its first lookup and again whenever the manager's set of plugins has changed, so an outside
package's classes appear exactly like built-ins, and a plugin registered for a while
(``temporary_plugin``) disappears again when it is unregistered.

Raises ``InvalidInput`` for an unknown name (the registry's own code, listing the known names) or a
plugin object without a ``name`` (``plugins.no_name``), ``Conflict`` (the registry's own code) when
two different classes claim one name, and ``GovdataError("plugins.load_failed")`` when an installed
entry point cannot be loaded.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import pluggy

from govdata import hookspecs
from govdata.errors import Conflict, GovdataError, InvalidInput

ENTRY_POINT_GROUP = "govdata"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "govdata.ingest.connectors.builtin",
    "govdata.govern.quality.builtin",
    "govdata.security.builtin_maskers",
)

T = TypeVar("T")


@functools.cache
def get_plugin_manager() -> pluggy.PluginManager:
    """The platform's plugin manager: hook specs, built-in plugins, then installed entry points."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    try:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    except Exception as exc:  # an outside package's import error must name the cause
        raise GovdataError("plugins.load_failed", detail=f"{type(exc).__name__}: {exc}") from exc
    return pm


def hook_names() -> list[str]:
    """The names of every hook the platform declares in ``govdata.hookspecs``."""
    return sorted(
        name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), f"{hookspecs.PROJECT}_spec")
    )


@contextmanager
def temporary_plugin(plugin: object, name: str | None = None) -> Iterator[pluggy.PluginManager]:
    """Register ``plugin`` (a module or an object with hook implementations) until the block exits."""
    pm = get_plugin_manager()
    registered = pm.register(plugin, name=name)
    try:
        yield pm
    finally:
        pm.unregister(plugin, name=registered)


def _origin(obj: object) -> object:
    """What makes two registrations "the same": the class itself, or an instance's class."""
    return obj if isinstance(obj, type) else type(obj)


def _qualname(obj: object) -> str:
    origin = _origin(obj)
    return f"{getattr(origin, '__module__', '?')}.{getattr(origin, '__qualname__', repr(origin))}"


class Registry(MutableMapping[str, T], Generic[T]):
    """Name → object for one hook: the hook's results plus objects registered directly.

    ``unknown`` and ``taken`` are the error codes for an unknown name and a name clash; ``adapt``
    turns what a hook returns into the stored object (e.g. instantiates a masker class).
    Deleting a name the hook provides only hides it until the manager's plugins next change.
    """

    def __init__(
        self, hook: str, *, unknown: str, taken: str, adapt: Callable[[Any], T] | None = None
    ) -> None:
        self.hook = hook
        self._unknown = unknown
        self._taken = taken
        self._adapt = adapt
        self._direct: dict[str, T] = {}
        self._merged: dict[str, T] = {}
        self._built_from: tuple[pluggy.PluginManager, set[object]] | None = None
        self._lock = threading.RLock()

    def _name_of(self, item: object) -> str:
        name = getattr(item, "name", None)
        if not isinstance(name, str) or not name:
            raise InvalidInput("plugins.no_name", hook=self.hook, plugin=_qualname(item))
        return name

    def _check(self, into: dict[str, T], name: str, item: T) -> None:
        existing = into.get(name)
        if existing is not None and _origin(existing) is not _origin(item):
            raise Conflict(self._taken, name=name, existing=_qualname(existing), new=_qualname(item))

    def _add(self, into: dict[str, T], name: str, item: T) -> None:
        self._check(into, name, item)
        into[name] = item

    def _current(self) -> dict[str, T]:
        """The merged mapping, rebuilt when the manager or its set of plugins changed."""
        pm = get_plugin_manager()
        plugins = pm.get_plugins()
        built = self._built_from
        if built is not None and built[0] is pm and built[1] == plugins:
            return self._merged
        with self._lock:
            built = self._built_from  # another thread may have rebuilt it meanwhile
            if built is not None and built[0] is pm and built[1] == plugins:
                return self._merged
            merged: dict[str, T] = {}
            for result in getattr(pm.hook, self.hook)():
                for raw in result or []:
                    item = self._adapt(raw) if self._adapt is not None else raw
                    self._add(merged, self._name_of(item), item)
            for name, item in self._direct.items():
                self._add(merged, name, item)
            self._merged = merged
            self._built_from = (pm, plugins)
            return merged

    def register(self, item: T) -> T:
        """Add ``item`` under its ``name``; the same class again is harmless. Usable as a decorator."""
        self[self._name_of(item)] = item
        return item

    def lookup(self, name: str) -> T:
        """The object registered as ``name``; raises ``InvalidInput`` listing the known names."""
        try:
            return self._current()[name]
        except KeyError:
            raise InvalidInput(self._unknown, name=name, known=", ".join(self.names())) from None

    def names(self) -> list[str]:
        return sorted(self._current())

    def __getitem__(self, name: str) -> T:
        return self._current()[name]

    def __setitem__(self, name: str, item: T) -> None:
        with self._lock:
            targets = [self._direct] + ([self._merged] if self._built_from is not None else [])
            for target in targets:
                self._check(target, name, item)
            for target in targets:
                target[name] = item

    def __delitem__(self, name: str) -> None:
        with self._lock:
            current = self._current()
            if name not in current:
                raise KeyError(name)
            self._direct.pop(name, None)
            del current[name]

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._current()))

    def __len__(self) -> int:
        return len(self._current())

    def __repr__(self) -> str:
        return f"Registry({self.hook!r}, names={self.names()!r})"
