"""How a sweep draws its hyperparameters: Random, Grid (every combination of choices) or
Bayesian (a Gaussian-process model of the primary metric), as Labbench's sweep driver does."""

from azureml import _labbench
from azureml.train.hyperdrive.parameter_expressions import _labbench_expression


class HyperParameterSampling:
    """The base of the samplings: Labbench's method name and the parameter space."""

    def __init__(self, sampling_method_name, parameter_space, properties=None, supported_distributions=None,
                 distributions_validators=None):
        self._method = sampling_method_name
        if not isinstance(parameter_space, dict) or not parameter_space:
            raise ValueError("parameter_space must be a dict of script argument -> expression, like "
                             "{'--lr': uniform(0.001, 0.1)}")
        self._parameter_space = dict(parameter_space)
        self._properties = dict(properties or {})
        seed = self._properties.pop("rngSeed", None)
        _labbench.reject_unsupported(type(self).__name__, {"properties": (self._properties or None, None)})
        self._seed = seed

    def _labbench_fields(self):
        sampling = {"method": self._method}
        if self._seed is not None:
            sampling["seed"] = int(self._seed)
        return {"sampling": sampling,
                "parameters": {str(name): _labbench_expression(name, expression)
                               for name, expression in self._parameter_space.items()}}


class RandomParameterSampling(HyperParameterSampling):
    """Values drawn at random from each expression. properties={"rngSeed": N} fixes the draws."""

    def __init__(self, parameter_space, properties=None):
        super().__init__("random", parameter_space, properties)


class GridParameterSampling(HyperParameterSampling):
    """Every combination of choice() values."""

    def __init__(self, parameter_space, properties=None):
        super().__init__("grid", parameter_space, properties)


class BayesianParameterSampling(HyperParameterSampling):
    """Values chosen where a model of the primary metric expects the best."""

    def __init__(self, parameter_space, properties=None):
        super().__init__("bayesian", parameter_space, properties)


__all__ = ["HyperParameterSampling", "RandomParameterSampling", "GridParameterSampling",
           "BayesianParameterSampling"]
