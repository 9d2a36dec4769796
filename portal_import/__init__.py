"""Importers of an existing portal (NukeViet, WordPress, saved pages) into content/.

Pure logic behind ``invoke import-nukeviet``, ``import-wordpress`` and ``import-pages``:

  sqldump    MySQL dump reader (NukeViet's format: no column lists, addslashes)
  nukeviet   news module tables to articles
  wordpress  WXR export to articles
  pages      saved HTML pages and CSS selectors to articles
  mapping    old categories and bylines to our registries, with suggestions
  convert    sanitised HTML to Markdown, photo addresses
  existing   earlier imports (old id, digest of hand edits) and taken addresses
  importer   plan, photos, staging and writing, counter seed, redirects
  report     the Vietnamese report (text) and its JSON
"""
