"""YAML parsing shared by the rule packs, the fusion files and the watchlist: one parse, with line numbers."""

from __future__ import annotations

from typing import Any

import yaml


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML document's node tree (for line numbers) and its data, as `yaml.compose` and `yaml.safe_load`
    give them, from a single parse.

    libyaml (C, ten times faster) parses when PyYAML has it; a document it rejects is parsed again by the
    pure-Python parser, so the error raised is the same whichever is installed.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is not None:
        try:
            return _compose_and_construct(loader_class, text)
        except yaml.YAMLError:
            pass
    return _compose_and_construct(yaml.SafeLoader, text)


def _compose_and_construct(loader_class: Any, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()
