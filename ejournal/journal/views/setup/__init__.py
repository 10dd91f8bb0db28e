"""The curator's set-up of the school year (mounted at curator/schedule/): year.py holds the
school-wide pages (bells, holidays, making lessons), timetable.py a class's week, teaching
assignments and groups."""
