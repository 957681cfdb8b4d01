"""The parts of the ``purenet`` command that are not the lesson: loading data for a run,
printing progress, explaining a step, drawing plots and figures, writing output files.

``cli.py`` declares the commands and their options; each module here does one thing
for them. None of it is needed to follow chapter 4: the lesson is in ``purenet/`` and
``reference/``.
"""
