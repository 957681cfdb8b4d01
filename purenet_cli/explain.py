"""For ``train --explain``: the four steps of iteration 0 printed in full, shapes and norms."""

from __future__ import annotations

import math
from typing import Any

import click

from purenet.train import Hyperparameters
from purenet_cli.arrays import flat, label_of, norm, shape_of
from purenet_cli.watch import Step, plural


class Explainer:
    """For --explain: print the four steps of iteration 0 in full, then stay silent."""

    def __init__(self, network: Any, hp: Hyperparameters, train_size: int,
                 grad: str) -> None:
        self.network, self.hp, self.train_size, self.grad = network, hp, train_size, grad
        self.before: dict[str, list[float]] = {}

    def __call__(self, phase: str, step: Step) -> None:
        if step.iteration != 0:
            return
        if phase == "gradient":
            self.before = {k: flat(v) for k, v in self.network.params.items()}
            self.explain_batch_and_gradient(step)
        else:
            self.explain_update(step)

    def explain_batch_and_gradient(self, step: Step) -> None:
        p = {k: shape_of(v) for k, v in self.network.params.items()}
        x, n = shape_of(step.x_batch), len(step.indices)
        labels = [label_of(row) for row in step.t_batch[:10]]
        how = ("with replacement (an image may come twice)" if self.hp.sampling == "replacement"
               else "from a shuffled order (each image once per epoch)")
        echo = click.echo
        echo("\n--explain: iteration 0, step by step")
        echo(f"1) mini-batch: {n} of the {plural(self.train_size, 'training image')}, drawn "
             f"at random {how}")
        echo(f"   first indices: {', '.join(map(str, step.indices[:10]))}, ...")
        echo(f"   their labels:  {', '.join(map(str, labels))}, ...")
        echo(f"2) gradient ({self.grad}); the forward pass (predict) on rows of images:")
        echo(f"   x {x} @ W1 {p['W1']} + b1 {p['b1']} -> a1 {(n, p['W1'][1])}")
        echo(f"   sigmoid(a1) -> z1 {(n, p['W1'][1])}")
        echo(f"   z1 {(n, p['W1'][1])} @ W2 {p['W2']} + b2 {p['b2']} -> a2 {(n, p['W2'][1])}")
        echo(f"   softmax(a2) -> y {(n, p['W2'][1])}: a probability per class and image")
        echo(f"   loss = cross_entropy_error(y, t) = {step.loss:.6f} "
             f"(log({p['W2'][1]}) = {math.log(p['W2'][1]):.6f} is a uniform guess)")
        for key, g in step.grads.items():
            echo(f"   dL/d{key:<2} {str(shape_of(g)):<10} norm {norm(flat(g)):.6g}")

    def explain_update(self, step: Step) -> None:
        echo = click.echo
        echo(f"3) update with SGD: W <- W - lr * dL/dW, lr = {self.hp.lr:g}")
        for key, v in self.network.params.items():
            change = norm([a - b for a, b in zip(flat(v), self.before[key])])
            echo(f"   {key:<2} changed by {change:.6g} (norm of the change = lr * "
                 f"{norm(flat(step.grads[key])):.6g})")
        after = float(self.network.loss(step.x_batch, step.t_batch))
        echo(f"   loss on the same batch after the step: {after:.6f} (was {step.loss:.6f})")
        echo(f"4) repeat: {plural(self.hp.iters - 1, 'more iteration')}\n")
