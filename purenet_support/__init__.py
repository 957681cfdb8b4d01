"""purenet_support: what the lesson runs on, none of it chapter 4.

The MNIST loader (``mnist`` for plain Python lists, ``mnist_numpy`` for arrays:
the IDX files, their SHA-256 digests, the download into a per-user cache) and
the weights files (``weights_file``, ``weights_numpy``: .npz and .json, read
with bounds, written atomically; ``networks`` saves and loads a TwoLayerNet).
A learner never needs to open it: the book keeps its loader apart too, in
``dataset/``.
"""
