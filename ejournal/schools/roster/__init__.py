"""The curator's roster import: read a CSV or XLSX file, check every row, then create the students.

`parse` reads bytes into raw rows, `rows` validates each of them, `compare` sets them against
the school's students, `services` stores a checked file and applies it in one transaction.
The web pages and the `import_roster` command both go through `services`.
"""
