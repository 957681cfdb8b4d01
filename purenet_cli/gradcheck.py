"""The gradcheck command's verdict: pass, fail, or inconclusive when the loss's guard explains it.

Backprop's (y - t) / N leaves out the 1e-7 inside the loss's log(y + 1e-7), a
difference of about 1e-7 / y. Where a label's probability y is tiny, that
difference alone exceeds any tolerance: such errors are named, not blamed on
backprop.
"""

from __future__ import annotations

from typing import Any

from purenet.functions import DELTA

# below this probability for a label, 1e-7 / y (the loss's guard, which backprop
# leaves out) reaches 1e-2, the size of a wrong derivative
SATURATED = 1e-5


def verdict(network: Any, x: Any, t: Any, worst: float, tolerance: float,
            weight_init_std: float) -> tuple[bool, str]:
    """Return (passed, one line) for the largest relative error worst of network on (x, t)."""
    if worst <= tolerance:
        return True, (f"OK: backprop agrees with the numerical gradient (largest error "
                      f"{worst:.1e} <= {tolerance:g})")
    y = network.predict(x)  # (N, C) probabilities
    smallest = min(float(y[i][int(k)]) for i, k in enumerate(t))
    guard = DELTA / smallest  # the largest gap the loss's guard explains (measured: <= 0.6x)
    if smallest < SATURATED:
        return False, (
            f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but the net is "
            f"saturated: it gives a sample's label probability {smallest:.1e} < "
            f"{SATURATED:g}, where the loss's 1e-7 guard in log(y + 1e-7) dominates "
            f"the gradient. Try a smaller --weight-init-std (now {weight_init_std:g})")
    if worst <= guard:
        return False, (
            f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but within the "
            f"1e-7 / y = {guard:.1e} that the loss's guard log(y + 1e-7) explains for "
            f"the smallest label probability y = {smallest:.1e}. Try a smaller "
            f"--weight-init-std (now {weight_init_std:g}) or --tolerance {guard:.1e}")
    return False, (f"FAIL: largest error {worst:.1e} > {tolerance:g}: backprop (or the "
                   f"numerical gradient) is wrong")
