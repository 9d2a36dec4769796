"""Every file a build will write, listed before the first one is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pelican.paginator import Paginator


def paginated_outputs(
    save_as: str, url: str, count: int, settings: dict, template: str, description: str
) -> list[tuple[str, str]]:
    """``(save_as, description)`` for each page of a paginated listing."""
    if not save_as:
        return []
    per_page = settings.get("PAGINATED_TEMPLATES", {}).get(template, False)
    if per_page is False:
        return [(save_as, description)]
    paginator = Paginator(
        save_as, url, list(range(count)), settings, per_page or settings["DEFAULT_PAGINATION"]
    )
    outputs = []
    for number in range(1, paginator.num_pages + 1):
        suffix = f" (trang {number})" if number > 1 else ""
        outputs.append((paginator.page(number).save_as, description + suffix))
    return outputs


def _source(content) -> str:
    return getattr(content, "source_file", None) or getattr(content, "relative_source_path", "?")


def pelican_outputs(generators: Iterable, settings: dict) -> list[tuple[str, str]]:
    """The files Pelican's own generators will write."""
    outputs: list[tuple[str, str]] = []
    for gen in generators:
        name = type(gen).__name__
        if name == "ArticlesGenerator":
            for article in [
                *gen.articles,
                *gen.translations,
                *gen.hidden_articles,
                *gen.hidden_translations,
            ]:
                outputs.append((article.save_as, f"bài {_source(article)}"))
            if settings.get("DRAFT_SAVE_AS"):
                for draft in [*gen.drafts, *gen.drafts_translations]:
                    outputs.append((draft.save_as, f"bản nháp {_source(draft)}"))
            for kind, items in (("tag", gen.tags.items()), ("category", gen.categories)):
                for wrapper, articles in items:
                    outputs += paginated_outputs(
                        wrapper.save_as,
                        wrapper.url,
                        len(articles),
                        settings,
                        kind,
                        f'trang {"thẻ" if kind == "tag" else "chuyên mục"} "{wrapper.name}"',
                    )
            if settings.get("AUTHOR_SAVE_AS"):
                for author, articles in gen.authors:
                    outputs += paginated_outputs(
                        author.save_as,
                        author.url,
                        len(articles),
                        settings,
                        "author",
                        f'trang tác giả "{author.name}"',
                    )
            for granularity, archives in gen.period_archives.items():
                for archive in archives:
                    outputs += paginated_outputs(
                        archive["save_as"],
                        archive["url"],
                        len(archive["articles"]),
                        settings,
                        "period_archives",
                        f"trang lưu trữ theo {granularity}",
                    )
            for template in settings.get("DIRECT_TEMPLATES", []):
                save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
                url = settings.get(f"{template.upper()}_URL", f"{template}.html")
                outputs += paginated_outputs(
                    save_as, url, len(gen.articles), settings, template, f"trang {template}"
                )
        elif name == "PagesGenerator":
            for page in [
                *gen.pages,
                *gen.translations,
                *gen.hidden_pages,
                *gen.hidden_translations,
            ]:
                outputs.append((page.save_as, f"trang {_source(page)}"))
        elif name == "StaticGenerator":
            for static in gen.staticfiles:
                outputs.append((static.save_as, f"tệp {_source(static)}"))
    return [(path, desc) for path, desc in outputs if path]


def find_collisions(outputs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Output paths claimed by more than one writer, with every claimant."""
    claims: dict[str, list[str]] = defaultdict(list)
    for path, description in outputs:
        key = path.lstrip("/").replace("\\", "/")
        if key.endswith("/"):
            key += "index.html"
        claims[key].append(description)
    return {path: who for path, who in claims.items() if len(who) > 1}
