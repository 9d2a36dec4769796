"""The portal's Pelican plugins, one package per concern.

Each plugin keeps its logic in plain modules (no Pelican imports) and wires it to
Pelican in ``register()`` in its ``__init__.py``. ``portal_core`` is shared code, not a
plugin.
"""
