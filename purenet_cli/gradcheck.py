"""The gradcheck command's verdict: pass, fail, or inconclusive when the loss's guard explains it.

Backprop's (y - t) / N leaves out the 1e-7 inside the loss's log(y + 1e-7), a
difference of about 1e-7 / y. Where a label's probability y is tiny, that
difference alone exceeds any tolerance: such errors are named, not blamed on
backprop. Nor is a gradient too small for the numerical gradient to resolve at
all (a loss that moves by less than its own rounding when a weight is nudged).
"""

from __future__ import annotations

import math
from typing import Any

from purenet.functions import DELTA
from purenet.gradient import H
from purenet_cli.arrays import flat

# below this probability for a label, 1e-7 / y (the loss's guard, which backprop
# leaves out) reaches 1e-2, the size of a wrong derivative
SATURATED = 1e-5
# a gradient this many times the numerical gradient's resolution is one it can see
SEEN = 1e3


def verdict(network: Any, x: Any, t: Any, errors: dict[str, float], tolerance: float,
            weight_init_std: float) -> tuple[bool, str]:
    """Return (passed, one line) for the relative errors, one per parameter, on (x, t)."""
    worst = max(errors.values())
    if worst <= tolerance:
        return True, (f"OK: backprop agrees with the numerical gradient (largest error "
                      f"{worst:.1e} <= {tolerance:g})")
    y = network.predict(x)  # (N, C) probabilities
    smallest = min(float(y[i][int(k)]) for i, k in enumerate(t))
    if smallest < SATURATED:  # (0 included: a probability that underflowed)
        return False, (
            f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but the net is "
            f"saturated: it gives a sample's label probability {smallest:.1e} < "
            f"{SATURATED:g}, where the loss's 1e-7 guard in log(y + 1e-7) dominates "
            f"the gradient. Try a smaller --weight-init-std (now {weight_init_std:g})")
    unseen = too_small_to_see(network, x, t, errors, tolerance)
    if unseen is not None:
        key, largest, resolution = unseen
        if largest > SEEN * resolution:  # a real slope: the tolerance is what is too fine
            return False, (
                f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but --tolerance "
                f"{tolerance:g} is finer than the numerical gradient can resolve: "
                f"(f(w + h) - f(w - h)) / 2h with h = {H:g} is good only to about "
                f"{resolution:.1e} (the loss's rounding), {resolution / largest:.0e} of "
                f"{key}'s largest gradient {largest:.1e}. Try --tolerance 1e-6 (the default)")
        return False, (
            f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but both gradients "
            f"of {key} are at most {largest:.1e}, below what the numerical gradient "
            f"can see: (f(w + h) - f(w - h)) / 2h with h = {H:g} resolves only about "
            f"{resolution:.1e} (the loss's rounding), so it gives noise or 0. Try a larger "
            f"--weight-init-std (now {weight_init_std:g})")
    guard = DELTA / smallest  # the largest gap the loss's guard explains (measured: <= 0.6x)
    if worst <= guard:
        return False, (
            f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but within the "
            f"1e-7 / y = {guard:.1e} that the loss's guard log(y + 1e-7) explains for "
            f"the smallest label probability y = {smallest:.1e}. Try a smaller "
            f"--weight-init-std (now {weight_init_std:g}) or --tolerance {guard:.1e}")
    return False, (f"FAIL: largest error {worst:.1e} > {tolerance:g}: backprop (or the "
                   f"numerical gradient) is wrong")


def too_small_to_see(network: Any, x: Any, t: Any, errors: dict[str, float],
                     tolerance: float) -> tuple[str, float, float] | None:
    """Return (key, largest |gradient|, resolution) for a failing parameter whose gradient
    the numerical gradient cannot resolve; else None.

    f(w + h) and f(w - h) are each rounded to the loss's ulp, so their difference
    over 2h is only good to about ulp(loss) / 2h; a gradient whose largest entry
    is not well above that (a tiny --weight-init-std makes gradients of 1e-300)
    is lost in the rounding, and the error measures that, not backprop. Both
    gradients must be that small: a wrong backprop giving ~0 where the numerical
    gradient sees a real slope is a failure. (The numerical gradient is computed
    again here, only for a check that did not pass.)
    """
    resolution = math.ulp(float(network.loss(x, t))) / (2 * H)
    failing = [key for key, error in errors.items() if error > tolerance]
    # both gradients small: a wrong backprop that gives ~0 where the slope is real fails
    both = (network.gradient(x, t), network.numerical_gradient(x, t))
    for key in failing:
        largest = max(max(map(abs, flat(grads[key]))) for grads in both)
        if largest * tolerance < resolution:
            return key, largest, resolution
    return None
