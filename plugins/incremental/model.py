"""The site model: what every page of the last full pass was rendered from.

A build that runs Pelican's generators (the reference path) records, for every page it
writes or links, a **recipe**: the template, the context and what the writer gave the
page, and the posts the page declares it shows (``declared.PageInputs``). The recipes
are pickled together at the end of the build, so the objects they share (the posts,
their categories and units, the context) stay shared, with the reverse index from a
post's source path to the pages that show it.

A build whose only change is the body of some posts (``patch``) loads the model instead
of running the generators, puts the new bodies in, and renders the pages the reverse
index names. What it changed is kept as **patches** beside the model (the body of each
post as last read, and its file's digest) until the next full pass records a new model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .declared import PageInputs

logger = logging.getLogger(__name__)

FORMAT = "site-model-1"


@dataclass
class Recipe:
    """How to render one page again: ``template.render(localcontext)``."""

    template: str
    context: dict
    page: dict  # what the writer gave it on top of the context
    relative_urls: bool
    inputs: PageInputs


@dataclass
class SiteModel:
    global_key: str = ""
    #: what every input but the content files digests to (see ``inputs_digest``)
    other_inputs: str = ""
    #: absolute path → digest of every content file the model was built from
    files: dict[str, bytes] = field(default_factory=dict)
    #: output name → recipe
    recipes: dict[str, Recipe] = field(default_factory=dict)
    #: source path → the post object the recipes share
    posts: dict[str, Any] = field(default_factory=dict)
    #: source path → the post's source key in the post store, as built
    source_keys: dict[str, str] = field(default_factory=dict)
    #: the context shared by most pages (for the plugins that update site-wide outputs)
    context: dict = field(default_factory=dict)

    def pages_showing(self, sources: set[str]) -> list[str]:
        """The pages that show any of these posts, or every collection of the site."""
        wanted = sorted(
            name
            for name, recipe in self.recipes.items()
            if recipe.inputs.site_wide or not recipe.inputs.posts.isdisjoint(sources)
        )
        return wanted


@dataclass
class Patch:
    """One post's body as changed since the model was recorded."""

    content: str  # ``_content`` as read and as shown
    file_digest: bytes
    source_key: str


class ModelRecorder:
    """The recipes of the build in progress."""

    def __init__(self) -> None:
        self.recipes: dict[str, Recipe] = {}
        self.posts: dict[str, Any] = {}

    def note(self, name: str, recipe: Recipe) -> None:
        self.recipes[name] = recipe

    def note_post(self, post) -> None:
        self.posts[post.source_path] = post

    def model(self, **fields) -> SiteModel:
        return SiteModel(recipes=self.recipes, posts=self.posts, **fields)


def model_file(cache_dir: Path, output: Path) -> Path:
    tag = hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / f"model-{tag}.pickle"


def patches_file(cache_dir: Path, output: Path) -> Path:
    return model_file(cache_dir, output).with_suffix(".patches")


def save(path: Path, model: SiteModel) -> bool:
    """Write the model (and drop the patches of the one it replaces); False when some
    value of the site cannot be pickled (then no build may patch it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))  # posts link posts: deep object graphs
    try:
        with open(temporary, "wb") as handle:
            pickle.dump((FORMAT, model), handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        temporary.unlink(missing_ok=True)
        forget(path)
        logger.info("incremental: the site model was not saved (%s): no patch builds", exc)
        return False
    finally:
        sys.setrecursionlimit(limit)
    patches_path = path.with_suffix(".patches")
    patches_path.unlink(missing_ok=True)
    os.replace(temporary, path)
    return True


def load(path: Path) -> SiteModel | None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        with open(path, "rb") as handle:
            found, model = pickle.load(handle)
    except Exception:
        return None
    finally:
        sys.setrecursionlimit(limit)
    if found != FORMAT or not isinstance(model, SiteModel):
        return None
    return model


def load_patches(path: Path) -> dict[str, Patch]:
    try:
        with open(path, "rb") as handle:
            found, patches = pickle.load(handle)
    except Exception:
        return {}
    return patches if found == FORMAT else {}


def save_patches(path: Path, patches: dict[str, Patch]) -> None:
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    with open(temporary, "wb") as handle:
        pickle.dump((FORMAT, patches), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_suffix(".patches").unlink(missing_ok=True)


def reverse_index(model: SiteModel) -> dict[str, list[str]]:
    """Source path → the pages that show that post (for reports and tests)."""
    index: dict[str, list[str]] = defaultdict(list)
    for name, recipe in model.recipes.items():
        for source in recipe.inputs.posts:
            index[source].append(name)
    return dict(index)
