"""One import mechanism for every file a hall brings in (punches, ratings, 12345 orders, cases).

How it works, for a capability that plugs in:

1. Describe the rows with an `ImportSpec` (spec.py): its kind, the fields a column mapping may point
   at, `parse` (mapped cells -> records, raising `RowError` with a Chinese reason), `key` (the
   idempotency key of a record), `classify` (the capability's own classes, e.g. unknown id), the
   classes it keeps, and the model its records go into. The model has `hall_id`, `import_id` and a
   `key` column unique per hall.
2. `reading.read_rows` turns a file (CSV in UTF-8, UTF-8 with BOM or GBK; .xlsx/.xls by calamine;
   tab-separated .dat) into numbered rows; an `ImportProfile` (models.py) names the encoding, the
   title rows to skip and the mapping of fields to columns (by header name or position).
3. `service.preview` classifies every row (new / already imported / the capability's classes /
   unreadable, each with its line number and reason) and stores the preview in the database under a
   token (several app servers share it). `service.confirm` saves exactly what the preview showed as
   an `ImportBatch`; `service.reverse` removes a whole import and leaves an `ImportReversal`.
4. The pages: an `ImportPages` (pages.py) names the spec, presets, roles, words and the capability's own
   confirm/reverse steps; `views.register(bp, pages)` adds upload, preview, confirm, the imports, the
   reversal and the profile pages to its blueprint (templates/imports/), `cli.command(name, pages)` the
   `<capability>-import` command (registered in portal/cli.py).
"""
