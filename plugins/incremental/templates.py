"""Compiled templates kept between builds (Jinja's bytecode cache).

Pelican gives every generator its own Jinja environment, so each build compiles the
theme's templates several times over: about a second, on every build of any size.
Jinja's bytecode cache keys a template by its name and source; compiled code also
depends on the environment's syntax options and extensions, so those go into the key
too: a settings change never loads code compiled for other options.
"""

from __future__ import annotations

import hashlib
import time
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


def _pass_arg(function: object) -> str:
    """Whether a filter, test or finalize gets the context, eval context or environment:
    decided when a template is compiled."""
    found = jinja2.utils._PassArg.from_obj(function)  # type: ignore[arg-type]
    return found.name if found else "-"


def environment_key(environment: jinja2.Environment, extra: str = "") -> str:
    """What compiled code depends on besides the template's source; ``extra`` is the
    caller's (the plugin code and library versions, which define the filters)."""
    parts = [f"jinja2 {jinja2.__version__}", extra]
    parts += [f"{name}={getattr(environment, name, None)!r}" for name in _COMPILE_OPTIONS]
    parts.append("extensions=" + ",".join(sorted(environment.extensions)))
    parts.append(f"newstyle_gettext={getattr(environment, 'newstyle_gettext', None)!r}")
    finalize = environment.finalize
    if finalize is not None:
        parts.append(f"finalize={getattr(finalize, '__qualname__', '?')}:{_pass_arg(finalize)}")
    for kind, table in (("filter", environment.filters), ("test", environment.tests)):
        parts += [f"{kind} {name}:{_pass_arg(table[name])}" for name in sorted(table)]
    autoescape = environment.autoescape
    if callable(autoescape):  # select_autoescape(): its choices, not its address
        cells = getattr(autoescape, "__closure__", None) or ()
        parts.append(f"autoescape={autoescape.__qualname__}{[c.cell_contents for c in cells]!r}")
    else:
        parts.append(f"autoescape={autoescape!r}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache with the environment's compile options in every key."""

    def __init__(self, directory: Path, extra_key: str = "") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(str(directory), "%s.jinja")
        self.extra_key = extra_key

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = environment_key(environment, self.extra_key)
        return super().get_bucket(environment, f"{key}:{name}", filename, source)


#: compiled templates older than this are deleted (one still in use is simply compiled again)
MAX_AGE_SECONDS = 30 * 24 * 3600


def prune_templates(directory: Path) -> None:
    """Old keys' files (another theme, plugin code or Jinja) do not pile up for ever."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.jinja"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass
