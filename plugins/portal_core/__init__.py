"""Shared, Pelican-free building blocks: content problems, text helpers, YAML files."""
