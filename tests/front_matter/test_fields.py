import pytest

from plugins.front_matter.fields import (
    FieldError,
    check_content_path,
    check_slug,
    check_status,
    parse_source,
    split_list,
)


@pytest.mark.parametrize("slug", ["hop-giao-ban", "tin-2024", "a"])
def test_safe_slugs_pass(slug):
    assert check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["../etc", "a/b", "Có dấu", "two words", "x..y", "-x", "UPPER"])
def test_unsafe_slugs_are_refused_with_an_example(slug):
    with pytest.raises(FieldError) as info:
        check_slug(slug)
    assert "hop-giao-ban" in info.value.hint


def test_status_values():
    assert check_status("Draft") == "draft"
    assert check_status("published") == "published"
    with pytest.raises(FieldError):
        check_status("nháp")


def test_source_forms():
    assert parse_source("Báo Lam Sơn | https://baolamson.vn/a") == (
        parse_source({"name": "Báo Lam Sơn", "url": "https://baolamson.vn/a"})
    )
    bare = parse_source("https://baolamson.vn/a")
    assert (bare.name, bare.url) == ("baolamson.vn", "https://baolamson.vn/a")
    assert parse_source("Báo Lam Sơn").url == ""
    with pytest.raises(FieldError):
        parse_source("Báo Lam Sơn | javascript:alert(1)")


def test_content_paths_stay_inside_content():
    assert check_content_path("{static}/images/a.jpg", "Image") == "images/a.jpg"
    for bad in ("../secret.jpg", "https://x/a.jpg", "images\\a.jpg"):
        with pytest.raises(FieldError):
            check_content_path(bad, "Image")


def test_lists_split_on_commas_or_semicolons_without_duplicates():
    assert split_list("an toàn giao thông, Tết ,Tết") == ["an toàn giao thông", "Tết"]
    assert split_list("a, b; c") == ["a, b", "c"]
    assert split_list(["x", None, "y"]) == ["x", "y"]
