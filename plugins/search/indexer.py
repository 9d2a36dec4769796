"""Run Pagefind (the binary shipped by the ``pagefind[extended]`` wheel) over a built site."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .folding import FoldedRecord


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # HTML pages Pagefind indexed (those with data-pagefind-body)
    records: int  # folded records added


async def _index(
    site: Path, records: Sequence[FoldedRecord], bundle_dir: str, language: str
) -> IndexReport:
    from pagefind.index import PagefindIndex  # imported late: only builds that index need it

    config = {"force_language": language, "output_path": str(site / bundle_dir)}
    async with PagefindIndex(config=config) as index:
        indexed = await index.add_directory(str(site))
        for record in records:
            await index.add_custom_record(
                url=record.url,
                content=record.content,
                language=language,
                meta=record.meta,
                filters=record.filters,
            )
    return IndexReport(pages=int(indexed.get("page_count", 0)), records=len(records))


def build_index(
    site: str | Path,
    records: Sequence[FoldedRecord],
    bundle_dir: str = "pagefind",
    language: str = "vi",
) -> IndexReport:
    """Index every page of ``site`` that has ``data-pagefind-body`` plus ``records``.

    Writes the search bundle to ``site/bundle_dir``. Raises SearchIndexError with
    Pagefind's own message when it fails.
    """
    site = Path(site).resolve()
    try:
        return asyncio.run(_index(site, records, bundle_dir, language))
    except SearchIndexError:
        raise
    except Exception as exc:  # the service reports failures as several exception types
        raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
