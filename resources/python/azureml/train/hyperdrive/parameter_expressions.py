"""HyperDrive's parameter expressions, in Azure's own form (["uniform", [0, 1]]), which
sampling.py turns into a Labbench sweep's parameters ({"uniform": [0, 1]}). loguniform's bounds
are natural logarithms, as in Azure and in Labbench."""


def choice(*options):
    """One of the values: choice(1, 2, 3), choice([1, 2, 3]) or choice(range(1, 4))."""
    if len(options) == 1 and not isinstance(options[0], (str, bytes)) and hasattr(options[0], "__iter__"):
        options = tuple(options[0])
    return ["choice", [list(options)]]


def randint(upper):
    return ["randint", [upper]]


def uniform(min_value, max_value):
    return ["uniform", [min_value, max_value]]


def quniform(min_value, max_value, q):
    return ["quniform", [min_value, max_value, q]]


def loguniform(min_value, max_value):
    return ["loguniform", [min_value, max_value]]


def qloguniform(min_value, max_value, q):
    return ["qloguniform", [min_value, max_value, q]]


def normal(mu, sigma):
    return ["normal", [mu, sigma]]


def qnormal(mu, sigma, q):
    return ["qnormal", [mu, sigma, q]]


def lognormal(mu, sigma):
    return ["lognormal", [mu, sigma]]


def qlognormal(mu, sigma, q):
    return ["qlognormal", [mu, sigma, q]]


def _labbench_expression(name, expression):
    """["uniform", [0, 1]] -> {"uniform": [0, 1]}; ["choice", [[1, 2]]] -> {"choice": [1, 2]}."""
    if not (isinstance(expression, (list, tuple)) and len(expression) == 2 and isinstance(expression[0], str)):
        raise ValueError("parameter %s must be a parameter expression such as choice(1, 2) or uniform(0, 1), "
                         "not %r" % (name, expression))
    kind, args = expression
    args = list(args)
    if kind == "choice":
        values = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
        return {"choice": list(values)}
    return {kind: args}


__all__ = ["choice", "randint", "uniform", "quniform", "loguniform", "qloguniform", "normal", "qnormal",
           "lognormal", "qlognormal"]
