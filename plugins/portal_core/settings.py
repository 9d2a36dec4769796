"""One way for every plugin to declare its settings and its receivers.

A plugin is one object (``class Feeds(Plugin)``) whose ``settings`` schema gives the
defaults, the start-up check (one Vietnamese line per bad setting, naming it, the value
given and what is expected) and its table in docs/settings.md (scripts/settings_table.py
writes it); its methods named after a
signal (``initialized``, ``get_generators``, ``before_publish``…) are that signal's
receivers. Nothing here imports Pelican until a plugin registers.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, ClassVar

from plugins.portal_core.failure import fail
from plugins.portal_core.files import beside_content


@dataclass(frozen=True)
class Option:
    """One setting: its default, what it is for (English, for the docs table), what a
    good value is (Vietnamese, for the error line) and the test of one.

    ``default`` may be a function of the settings (a default read from another setting);
    ``shown`` then says it in the docs. ``message`` replaces the uniform error line where
    an exact older wording is kept (``{name}`` and ``{value!r}`` are filled in); ``valid``
    may also return the line itself, for a value that can be wrong in several ways.
    """

    default: Any
    doc: str
    expected: str = ""
    valid: Callable[[Any, Mapping], bool | str] = lambda value, settings: True
    message: str = ""
    shown: str = ""

    def default_for(self, settings: Mapping) -> Any:
        return self.default(settings) if callable(self.default) else copy.deepcopy(self.default)

    def error(self, name: str, value: Any) -> str:
        if self.message:
            return self.message.format(name=name, value=value)
        return f"{name} = {value!r} không dùng được: cần {self.expected}."


def whole_number(value: Any) -> bool:
    """An int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def flag(default: Any, doc: str, **more: Any) -> Option:
    """True or False."""
    return Option(default, doc, "True hoặc False", lambda v, s: isinstance(v, bool), **more)


def number(default: int, doc: str, low: int = 0, high: int | None = None, **more: Any) -> Option:
    """A whole number from ``low`` (to ``high``)."""
    bounds = f"từ {low} đến {high}" if high is not None else f"≥ {low}"
    return Option(
        default,
        doc,
        f"một số nguyên {bounds}",
        lambda v, s: whole_number(v) and v >= low and (high is None or v <= high),
        **more,
    )


def text(default: Any, doc: str, blank: bool = True, **more: Any) -> Option:
    """A string (with ``blank=False``, one with something in it)."""
    return Option(
        default,
        doc,
        "một chuỗi ký tự" + ("" if blank else " khác rỗng"),
        lambda v, s: isinstance(v, str) and (blank or bool(v.strip())),
        **more,
    )


def choice(default: Any, doc: str, choices: tuple, **more: Any) -> Option:
    """One of ``choices``."""
    listed = ", ".join(repr(c) for c in choices)
    return Option(default, doc, f"một trong {listed}", lambda v, s: v in choices, **more)


def strings(default: list[str], doc: str, **more: Any) -> Option:
    """A list of strings."""
    return Option(
        default,
        doc,
        'một danh sách chuỗi, ví dụ ["a", "b"]',
        lambda v, s: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v),
        **more,
    )


def outside_output(settings: Mapping, value: Any) -> bool:
    """Whether the folder ``value`` is outside the output (which every build replaces)."""
    output = os.path.abspath(
        settings.get("PORTAL_FINAL_OUTPUT_PATH") or settings.get("OUTPUT_PATH") or "output"
    )
    return os.path.commonpath([output, beside_content(settings, value)]) != output


def folder(default: str, doc: str, **more: Any) -> Option:
    """A folder path (relative ones: from the folder holding PATH)."""
    return Option(
        default,
        doc,
        f'một đường dẫn thư mục, ví dụ "{default}"',
        lambda v, s: isinstance(v, (str, os.PathLike)) and bool(str(v).strip()),
        **more,
    )


class Settings:
    """A plugin's settings, in the order the docs list them."""

    def __init__(self, **options: Option) -> None:
        self.options = options

    def defaults(self, settings: Mapping | None = None) -> dict[str, Any]:
        """Every default (those read from other settings, from ``settings``)."""
        return {name: o.default_for(settings or {}) for name, o in self.options.items()}

    def apply(self, settings: MutableMapping) -> list[str]:
        """Fill in the defaults; one line for each setting whose value cannot be used."""
        errors = []
        for name, option in self.options.items():
            if name not in settings:
                settings[name] = option.default_for(settings)
            verdict = option.valid(settings[name], settings)
            if isinstance(verdict, str) or not verdict:
                errors.append(verdict or option.error(name, settings[name]))
        return errors

    def check(self, settings: MutableMapping) -> None:
        """Fill in the defaults and stop the build on any setting that cannot be used."""
        errors = [f"pelicanconf.py: {line}" for line in self.apply(settings)]
        if errors:
            fail(errors[0], errors[1:])


#: The one object of each registered plugin class: kept here, so the receivers (bound
#: methods, which blinker holds weakly) live as long as the process.
_registered: dict[type, Plugin] = {}


class Plugin:
    """Base of a plugin: ``settings`` checked at ``initialized``; every method named after
    a Pelican or portal signal is connected to it by ``register`` (aliases connect one
    method to two signals: ``get_generators = initialized``).

    The module says ``register = Feeds.register``; a subclass that overrides
    ``initialized`` calls ``super().initialized(pelican)`` first.
    """

    settings: ClassVar[Settings] = Settings()

    @classmethod
    def instance(cls) -> Plugin:
        """The plugin's one object (a generator Pelican makes itself reaches it so)."""
        if cls not in _registered:
            _registered[cls] = cls()
        return _registered[cls]

    @classmethod
    def register(cls) -> None:
        from blinker import NamedSignal
        from pelican.plugins import signals as pelican_signals

        from plugins.portal_core import signals as portal_signals

        plugin = cls.instance()
        for name in dir(cls):
            signal = getattr(pelican_signals, name, None) or getattr(portal_signals, name, None)
            if isinstance(signal, NamedSignal) and not name.startswith("_"):
                signal.connect(getattr(plugin, name), weak=False)

    def initialized(self, pelican: Any) -> None:
        check_every_plugin(pelican.settings)


#: the settings the schemas of every plugin were last checked against
_checked: list[MutableMapping] = []


def check_every_plugin(settings: MutableMapping) -> None:
    """Fill in every registered plugin's defaults and stop the build with one line for
    each bad setting of any of them (the first plugin to start checks them all, so an
    operator fixes every setting in one go, not one plugin per build)."""
    if _checked and _checked[0] is settings:
        return
    _checked[:] = [settings]
    errors = []
    for plugin in _registered.values():
        errors += [f"pelicanconf.py: {line}" for line in plugin.settings.apply(settings)]
    errors += [f"pelicanconf.py: {line}" for line in misspelt(settings)]
    if len(errors) == 1:
        fail(errors[0])
    if errors:
        fail(
            f"Bản dựng dừng lại: {len(errors)} cài đặt không dùng được (các dòng trên); "
            "sửa trong pelicanconf.py rồi chạy lại.",
            errors,
        )


def misspelt(settings: Mapping) -> list[str]:
    """A setting nothing reads whose name is one letter or two away from a plugin's: a
    typo that would silently turn a feature off (``COMPLIANCE_FAIL_ON_ERORR = True``)."""
    from pelican.settings import DEFAULT_CONFIG

    ours = {name for plugin in _registered.values() for name in plugin.settings.options}
    lines = []
    for name in sorted(settings):
        if not name.isupper() or name in ours or name in DEFAULT_CONFIG:
            continue
        close = difflib.get_close_matches(name, ours, n=1, cutoff=0.85)
        if close:
            lines.append(
                f"không có cài đặt {name}: có phải là {close[0]}? Sửa tên (cài đặt viết sai "
                "bị bỏ qua, như thể chưa đặt)."
            )
    return lines
