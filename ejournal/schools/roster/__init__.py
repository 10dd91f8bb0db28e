"""The curator's roster import: read a CSV or XLSX file, check every row, then create the
students and move last year's pupils into this year's classes.

`parse` reads bytes into raw rows (`xlsx` checks a workbook's archive before openpyxl opens
it), `rows` validates each of them by the rules of `schools.people`, `compare` sets them
against the school's students, `services` stores a checked file and applies it in one
transaction (ejournal.core.uploads stops an upload over the size limit while it streams in).
The web pages and the `import_roster` command both go through `services`.
"""
