"""The names `purenet check` looks for, and the guide's sections it sends a learner to.

Kept apart from purenet_cli/check_cases.py, which needs NumPy: the command itself
(purenet_cli/check.py) must not load it, as no command does before it runs.
"""

SECTIONS = {
    1: "1. Loss functions", 2: "2. Mini-batches", 3: "3. Why a loss and not accuracy",
    4: "4. Numerical differentiation", 5: "5. Partial derivatives and the gradient",
    7: "7. Gradient descent and the learning rate", 8: "8. The gradient of a weight matrix",
    9: "9. The four steps of SGD", 11: "11. The notes' training script, fixed line by line",
}
# the order the check reports in: the guide's order
NAMES = ["sigmoid", "sigmoid_grad", "softmax", "sum_squared_error", "cross_entropy_error",
         "numerical_diff", "function_2", "numerical_gradient", "gradient_descent", "simpleNet",
         "TwoLayerNet"]
NET_PARTS = ["params", "predict", "loss", "accuracy", "numerical_gradient", "gradient"]
