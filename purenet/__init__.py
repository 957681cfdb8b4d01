"""purenet: chapter 4 of "Deep Learning from Scratch" in plain Python lists.

Every module here uses only the standard library, so each step of learning
(loss, gradient, update) can be read line by line. Its NumPy twin, with the
same module and function names, is the package ``reference``.
"""
