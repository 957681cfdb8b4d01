"""purenet: chapter 4 of "Deep Learning from Scratch" in plain Python lists.

Read it in the book's order: ``functions`` (sigmoid, softmax and the two
losses, 3.2-4.2), ``gradient`` (numerical differentiation and gradient descent,
4.3-4.4), ``simple_net`` (the gradient of a one-layer net, 4.4.2),
``two_layer_net`` (the network of 4.5, with 5.7's backpropagation),
``optimizer`` (SGD's update), ``train`` (the mini-batch loop of 4.5.2-4.5.3)
and ``gradient_check`` (5.7.3). ``matrix`` is the little linear algebra they
share, ``checks`` the input checks each lesson function makes in one call; both
can be skipped. Only the standard library is used; the NumPy twin, with the
same modules and names, is the package ``reference``. The MNIST loader and
the weights files are support code, in ``purenet_support``.
"""
