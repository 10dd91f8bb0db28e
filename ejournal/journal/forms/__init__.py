"""The journal's forms, one module per side (teacher.py: the teacher's journal). They parse
input; the services decide."""
