"""Operations logic behind tasks.py: scaffolding, releases, deploy planning, summaries.

Pure functions where possible, so tasks.py stays a thin layer of prompts and
printing and the tests can call the logic directly.

  scaffold   a new post: slug, path, front-matter, unit/category choice
  releases   release names, which releases to prune, which one to roll back to
  deploy     targets (local path or SSH), the commands of a deploy or rollback
  report     build log parsing, output diffs, the one-screen summary box
"""
