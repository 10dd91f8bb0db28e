"""The teacher's journal: the home page, the class grid, a lesson's page, and the cell, final
mark and remark endpoints the grid posts to."""

from .cells import cell_save, final_save, remark_add
from .grid import grid
from .home import teacher_home
from .lesson import lesson_edit

__all__ = ["cell_save", "final_save", "grid", "lesson_edit", "remark_add", "teacher_home"]
