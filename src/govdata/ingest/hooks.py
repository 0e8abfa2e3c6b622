"""The ingest pillar's hook: ``register_connectors``, re-exported from ``govdata.hookspecs``.

There is one pluggy project (``govdata``) with one pair of markers; this module only re-exports them
for connector plugins written against ``govdata.ingest.hooks``. ``pm.add_hookspecs(hooks)`` adds just
the connector hook (handy for a private manager in tests); the platform's manager is
``govdata.plugins.get_plugin_manager()``.
"""

from govdata.hookspecs import hookimpl, hookspec, register_connectors

__all__ = ["hookimpl", "hookspec", "register_connectors"]
