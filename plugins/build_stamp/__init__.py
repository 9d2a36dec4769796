"""Stamps the built site with the settings that decide what it makes public.

Writes ``.portal-build.json`` (see ``core.stamp_for``) into every build; ``invoke deploy``
reads it and refuses a preview build (drafts, posts not yet due, local links). Settings:
none of its own; it records DRAFT_SAVE_AS, SCHEDULING_PUBLISH_MODE, SITEURL, RELATIVE_URLS.
"""

from __future__ import annotations

from plugins.portal_core.settings import Plugin

from .core import STAMP_NAME, deploy_problems, stamp_for, write_stamp

__all__ = ["STAMP_NAME", "deploy_problems", "register", "stamp_for"]


class BuildStamp(Plugin):
    """The build stamp: what the build made public, for ``invoke deploy``."""

    def before_publish(self, sender, output_path: str, settings) -> None:
        write_stamp(output_path, stamp_for(settings))

    def plan_outputs(self, sender, generators, settings):
        return [(STAMP_NAME, "dấu hiệu thiết lập của lần dựng (bản xem trước hay bản xuất bản)")]


register = BuildStamp.register
