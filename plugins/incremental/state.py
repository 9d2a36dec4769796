"""What the last published build wrote: each page's input digest and the file it became.

Kept in a JSON file in the cache folder, one per output folder, and replaced only
after a build is published, so it always describes the live output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from plugins.portal_core.files import output_tag, write_atomic

FORMAT = 3  # 3: declared keys (no names read)


@dataclass
class Written:
    key: str  # hex digest of what the page declares it shows (``declared``)
    size: int
    mtime_ns: int
    digest: str = ""  # hex digest of the file's bytes


@dataclass
class BuildState:
    global_key: str = ""
    parts: dict[str, str] = field(default_factory=dict)  # what the global key is made of
    pages: dict[str, Written] = field(default_factory=dict)  # output-relative path -> file
    inputs: str = ""  # digest of every input of the build (see ``inputs_digest``)
    next_due: str = ""  # ISO time of the next scheduled post, when one is held back
    output: str = ""  # the output folder this state describes

    def to_json(self) -> str:
        pages = {
            name: [w.key, w.size, w.mtime_ns, w.digest] for name, w in sorted(self.pages.items())
        }
        return json.dumps(
            {
                "format": FORMAT,
                "global_key": self.global_key,
                "parts": self.parts,
                "inputs": self.inputs,
                "next_due": self.next_due,
                "output": self.output,
                "pages": pages,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> BuildState:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return cls()
        pages = {
            name: Written(key, size, mtime_ns, digest)
            for name, (key, size, mtime_ns, digest) in data["pages"].items()
        }
        return cls(
            data["global_key"],
            data.get("parts", {}),
            pages,
            data.get("inputs", ""),
            data.get("next_due", ""),
            data.get("output", ""),
        )


def state_file(cache_dir: str | Path, output: str | Path) -> Path:
    """One state file per output folder (the preview and a publish build are separate)."""
    return Path(cache_dir) / f"pages-{output_tag(output)}.json"


def load(path: Path) -> BuildState:
    """The saved state, or an empty one when there is none or it cannot be read."""
    try:
        return BuildState.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return BuildState()


def save(path: Path, state: BuildState) -> None:
    write_atomic(path, state.to_json())


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def prune(cache_dir: Path) -> list[Path]:
    """Drop the records of output folders that no longer exist (temporary builds)."""
    dropped = []
    for path in Path(cache_dir).glob("pages-*.json"):
        output = load(path).output
        if output and not Path(output).exists():
            forget(path)
            dropped.append(path)
    return dropped
