"""The study notes' training script (book section 4.5.3, train_neuralnet.py), mistakes fixed.

The notes end with this loop typed in from the book, with four mistakes: a misspelt
``one_hot_labe``, ``output=10`` for ``output_size=10``, the update loop over the one string
``'W1, b1, W2, b2'``, and ``network.numerical_gradient``, which would take days. The guide's
last section (docs/chapter4.md) shows each one with the error Python gives. Here they are
fixed, and the lines below are the notes' lines otherwise, in the notes' order.

Run it from the repository's root after ``pip install -e .``, with MNIST where
``PURENET_DATA`` points (or let the loader fetch it):

    python docs/train_neuralnet.py                       # the book's run: 10,000 iterations
    python docs/train_neuralnet.py --train-size 1000 --test-size 500 --iters 100   # seconds

Once per epoch it prints the book's line, ``train acc, test acc | 0.1124, 0.1135``.
``--numerical`` trains with the notes' ``numerical_gradient`` instead: try it with
``--iters 1`` to see what one step of it costs.
"""

# The imports, all together: where load_mnist and TwoLayerNet come from is said here only.
import argparse
import sys
from typing import NoReturn

import numpy as np

from purenet_support.mnist_numpy import DataError, load_mnist
from reference.two_layer_net import TwoLayerNet


def positive_int(text: str) -> int:
    """Return text as an int >= 1, or tell argparse why not (one line, exit status 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line (and exit status 2), not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        description="Train the book's 784-50-10 TwoLayerNet on MNIST (section 4.5.3).")
    parser.add_argument("--train-size", type=positive_int, default=60000,
                        help="use the first N training images (default: all 60000)")
    parser.add_argument("--test-size", type=positive_int, default=10000,
                        help="use the first N test images (default: all 10000)")
    parser.add_argument("--iters", type=positive_int, default=10000,
                        help="iterations (the book's iters_num, default 10000)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the weights and of the batches (default 0)")
    parser.add_argument("--numerical", action="store_true",
                        help="the notes' numerical_gradient instead of backpropagation (slow)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> tuple[list[float], list[float], list[float]]:
    """Train as the notes do; return (train_loss_list, train_acc_list, test_acc_list)."""
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)  # the book draws from np.random: unseeded

    # Mistake 1 fixed: the keyword is one_hot_label (the notes typed one_hot_labe).
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    x_train, t_train = x_train[:args.train_size], t_train[:args.train_size]
    x_test, t_test = x_test[:args.test_size], t_test[:args.test_size]

    # Mistake 2 fixed: the parameter is output_size (the notes typed output=10).
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, rng=rng)

    # hyperparameters
    iters_num = args.iters
    train_size = x_train.shape[0]
    batch_size = 100
    learning_rate = 0.1

    train_loss_list: list[float] = []
    train_acc_list: list[float] = []
    test_acc_list: list[float] = []

    # iterations per epoch: // keeps it a whole number (the book's / gives 600.0, and
    # i % 10.5 == 0 would skip epochs when train_size is not a multiple of batch_size)
    iter_per_epoch = max(train_size // batch_size, 1)

    for i in range(iters_num):
        # 1. a mini-batch
        batch_mask = rng.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]

        # 2. the gradient. Mistake 4 fixed: backpropagation (chapter 5) gives the gradient
        # numerical_gradient would, in about a millisecond instead of some 20 seconds.
        if args.numerical:
            grad = network.numerical_gradient(x_batch, t_batch)
        else:
            grad = network.gradient(x_batch, t_batch)

        # 3. the update. Mistake 3 fixed: a tuple of four names, not the one string
        # 'W1, b1, W2, b2', whose first character 'W' is no key of params.
        for key in ('W1', 'b1', 'W2', 'b2'):
            network.params[key] -= learning_rate * grad[key]

        # 4. the record
        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)

        # the accuracy once per epoch
        if i % iter_per_epoch == 0:
            train_acc = network.accuracy(x_train, t_train)
            test_acc = network.accuracy(x_test, t_test)
            train_acc_list.append(train_acc)
            test_acc_list.append(test_acc)
            print("train acc, test acc | " + str(train_acc) + ", " + str(test_acc))

    return train_loss_list, train_acc_list, test_acc_list


if __name__ == "__main__":
    try:
        main()
    except DataError as error:  # no MNIST files and no way to fetch them: say so in one line
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:
        sys.exit("interrupted")
