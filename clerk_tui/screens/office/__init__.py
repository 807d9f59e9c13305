"""Screens of the office's day (issue 17): reached from F9 Reports."""
