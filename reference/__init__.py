"""reference: the NumPy twin of purenet.

Same modules, same function names, same order: hold a file of ``purenet`` next
to its namesake here and the difference is vectorization alone.
"""
