"""Compiled templates kept between builds (Jinja's bytecode cache).

Pelican gives every generator its own Jinja environment, so each build compiles the
theme's templates several times over: about a second, on every build of any size.
Jinja's bytecode cache keys a template by its name and source; compiled code also
depends on the environment's syntax options and extensions, so those go into the key
too: a settings change never loads code compiled for other options.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

#: Environment attributes that change what a template compiles to.
_COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def environment_key(environment: jinja2.Environment) -> str:
    parts = [f"jinja2 {jinja2.__version__}"]
    parts += [f"{name}={getattr(environment, name, None)!r}" for name in _COMPILE_OPTIONS]
    parts.append("extensions=" + ",".join(sorted(environment.extensions)))
    autoescape = environment.autoescape
    if callable(autoescape):  # select_autoescape(): its choices, not its address
        cells = getattr(autoescape, "__closure__", None) or ()
        parts.append(f"autoescape={autoescape.__qualname__}{[c.cell_contents for c in cells]!r}")
    else:
        parts.append(f"autoescape={autoescape!r}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache with the environment's compile options in every key."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(str(directory), "%s.jinja")

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        return super().get_bucket(
            environment, f"{environment_key(environment)}:{name}", filename, source
        )
