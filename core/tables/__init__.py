"""The store's tables, one module per area; :mod:`core.models` gathers them on one ``Base``."""
