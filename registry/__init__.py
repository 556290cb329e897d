"""The agency registry: agencies, aliases, matching defendant names to agencies."""
