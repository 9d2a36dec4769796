"""The CI pipelines: valid against their published schemas (offline), and doing what they say.

Schemas come from check-jsonschema's vendored copy of the SchemaStore (GitHub workflows,
GitLab CI), so no network is needed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from check_jsonschema.cli.main_command import main as check_jsonschema
from click.testing import CliRunner

from tests.conftest import ROOT

GITHUB = ROOT / ".github/workflows/portal.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def validate(path: Path, schema: str):
    """``check-jsonschema --builtin-schema SCHEMA PATH``, in-process (the same CLI, faster)."""
    return CliRunner().invoke(check_jsonschema, ["--builtin-schema", schema, str(path)])


@pytest.mark.parametrize(
    ("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")]
)
def test_pipeline_matches_its_schema(path, schema):
    done = validate(path, schema)
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize(
    ("path", "schema", "old", "new"),
    [
        (GITHUB, "vendor.github-workflows", "runs-on:", "runs_on:"),
        (GITLAB, "vendor.gitlab-ci", "interruptible: false", "when: sometimes"),
    ],
)
def test_the_validator_rejects_a_broken_pipeline(tmp_path, path, schema, old, new):
    broken = tmp_path / path.name
    text = path.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert validate(broken, schema).exit_code == 1


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _scripts(job: dict) -> str:
    steps = job.get("steps") or []
    parts = [s.get("run", "") for s in steps] + job.get("before_script", []) + job.get("script", [])
    return "\n".join(parts)


def test_github_tests_on_push_deploys_main_and_runs_hourly():
    flow = _load(GITHUB)
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads "on" as True
    assert triggers["push"]["branches"] == ["main"]
    cron = triggers["schedule"][0]["cron"].split()
    assert cron[1:] == ["*", "*", "*", "*"] and cron[0].isdigit()  # every hour
    test, deploy = flow["jobs"]["test"], flow["jobs"]["deploy"]
    assert ".ci/run" in _scripts(test) and "invoke check" in _scripts(test)
    assert "apt-get install" in _scripts(test)
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert "make publish" in _scripts(deploy)
    assert "invoke deploy" in _scripts(deploy)
    env = deploy["env"]
    for secret in ("DEPLOY_USER", "DEPLOY_HOST", "DEPLOY_PATH"):
        assert f"secrets.{secret}" in env["PORTAL_DEPLOY_TARGET"]
    assert "DEPLOY_SSH_KEY" in str(deploy["steps"]) and "DEPLOY_KNOWN_HOSTS" in str(deploy["steps"])
    assert deploy["concurrency"]["cancel-in-progress"] is False  # never two deploys at once


def test_gitlab_tests_on_push_and_deploys_on_main_and_schedule():
    ci = _load(GITLAB)
    test, deploy = ci["test"], ci["deploy"]
    assert ".ci/run" in _scripts(test) and "invoke check" in _scripts(test)
    assert "apt-get install" in _scripts(test)
    assert deploy["stage"] == "deploy" and deploy["resource_group"] == "production"
    rules = " ".join(r["if"] for r in deploy["rules"])
    assert '"schedule"' in rules and "$CI_DEFAULT_BRANCH" in rules
    assert "make publish" in _scripts(deploy) and "invoke deploy" in _scripts(deploy)
    assert "$DEPLOY_HOST" in deploy["variables"]["PORTAL_DEPLOY_TARGET"]


BUILD_STATE = ["cache", "output", "reports"]  # what the next build reuses (every default path)


def test_github_deploy_keeps_the_build_state_between_runs():
    deploy = _load(GITHUB)["jobs"]["deploy"]
    steps = deploy["steps"]
    kept = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache"))
    build = next(i for i, s in enumerate(steps) if "make publish" in s.get("run", ""))
    assert steps.index(kept) < build  # restored before the build, saved after the job
    assert kept["with"]["path"].split() == BUILD_STATE
    # a cache key cannot be overwritten: each run saves its own, the next restores the newest
    assert "github.run_id" in kept["with"]["key"]
    assert kept["with"]["key"].startswith(kept["with"]["restore-keys"])


def test_gitlab_deploy_keeps_the_build_state_between_runs():
    ci = _load(GITLAB)
    caches = ci["deploy"]["cache"]
    state = next(c for c in caches if "output/" in c["paths"])
    assert [p.rstrip("/") for p in state["paths"]] == BUILD_STATE
    assert any(".cache/pip" in c["paths"] for c in caches)  # the job's own keeps pip's too


def test_the_kept_folders_hold_every_default_cache_and_report():
    from plugins.compliance.settings import DEFAULTS as COMPLIANCE
    from plugins.images import Images
    from plugins.incremental import Incremental
    from plugins.related_posts import RelatedPosts
    from plugins.search import Search

    paths = [
        COMPLIANCE["COMPLIANCE_REPORT_DIR"],
        COMPLIANCE["COMPLIANCE_CACHE_PATH"],
        Images.settings.defaults()["IMAGES_CACHE_PATH"],
        Incremental.settings.defaults()["INCREMENTAL_CACHE_PATH"],
        RelatedPosts.settings.defaults()["RELATED_POSTS_CACHE_PATH"],
        Search.settings.defaults()["SEARCH_CACHE_PATH"],
    ]
    assert {p.split("/")[0] for p in paths} <= set(BUILD_STATE), paths


# The newest majors, both on the node24 runtime (node20 is retired on GitHub's runners):
# actions/checkout v7.0.1 (2026-07) and actions/cache v6.1.0 (2026-06). Raise these when
# a new major is out; an older pin fails here.
CURRENT_MAJORS = {"actions/checkout": 7, "actions/cache": 6, "actions/upload-artifact": 7}


def test_github_actions_are_on_their_current_majors():
    flow = _load(GITHUB)
    used = [s["uses"] for job in flow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert {u.split("@")[0] for u in used} == set(CURRENT_MAJORS)
    for ref in used:
        name, version = ref.split("@")
        assert version == f"v{CURRENT_MAJORS[name]}", ref


def test_github_fetches_the_counter_snapshot_with_the_token_before_the_build():
    deploy = _load(GITHUB)["jobs"]["deploy"]
    steps = deploy["steps"]
    env = deploy["env"]
    assert "COUNTER_ADMIN_TOKEN" not in env  # only the step that needs it sees the token
    assert "/api/v1/snapshot" in env["COUNTER_SNAPSHOT_URL"]
    assert float(env["COUNTER_SNAPSHOT_MAX_AGE"].split("'")[-2]) > 0
    # kept with the build state, so a failed fetch leaves the last figures (and their age)
    assert env["COUNTER_SNAPSHOT"].split("/")[0] in BUILD_STATE
    fetch = next(i for i, s in enumerate(steps) if "counter.fetch" in s.get("run", ""))
    cache = next(
        i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/cache")
    )
    build = next(i for i, s in enumerate(steps) if "make publish" in s.get("run", ""))
    assert cache < fetch < build
    assert steps[fetch]["env"]["COUNTER_ADMIN_TOKEN"] == "${{ secrets.COUNTER_ADMIN_TOKEN }}"
    assert "continue-on-error" not in steps[fetch]  # a stale snapshot must stop the run


def test_gitlab_fetches_the_counter_snapshot_before_the_build():
    deploy = _load(GITLAB)["deploy"]
    script = deploy["script"]
    assert script.index("python3 -m counter.fetch") < script.index("make publish")
    variables = deploy["variables"]
    assert variables["COUNTER_SNAPSHOT"].split("/")[0] in BUILD_STATE
    assert variables["COUNTER_SNAPSHOT_URL"].endswith("/api/v1/snapshot")
    assert float(variables["COUNTER_SNAPSHOT_MAX_AGE"]) > 0
