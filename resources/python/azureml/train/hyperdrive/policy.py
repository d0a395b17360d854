"""Early termination policies: Labbench's sweep driver stops a child run by the same rules as
Azure's (see core/sweep/EarlyTermination.h)."""


class EarlyTerminationPolicy:
    """The base of the policies: a name (Labbench's) and the policy's settings."""

    def __init__(self, name, properties=None):
        self._name = name
        self._properties = dict(properties or {})
        self.evaluation_interval = self._properties.get("evaluation_interval", 1)
        self.delay_evaluation = self._properties.get("delay_evaluation", 0)

    def _labbench_fields(self):
        return {"policy": self._name, "evaluation_interval": int(self.evaluation_interval),
                "delay_evaluation": int(self.delay_evaluation)}


class BanditPolicy(EarlyTerminationPolicy):
    """Stops a run whose primary metric falls behind the best run by more than slack_factor (a
    ratio) or slack_amount (an amount); give exactly one."""
    def __init__(self, evaluation_interval=1, slack_factor=None, slack_amount=None, delay_evaluation=0):
        if (slack_factor is None) == (slack_amount is None):
            raise ValueError("BanditPolicy needs exactly one of slack_factor and slack_amount")
        super().__init__("bandit", {"evaluation_interval": evaluation_interval,
                                    "delay_evaluation": delay_evaluation})
        self.slack_factor = slack_factor
        self.slack_amount = slack_amount

    def _labbench_fields(self):
        fields = super()._labbench_fields()
        if self.slack_factor is not None:
            fields["slack_factor"] = float(self.slack_factor)
        else:
            fields["slack_amount"] = float(self.slack_amount)
        return fields


class MedianStoppingPolicy(EarlyTerminationPolicy):
    """Stops a run whose best primary metric is worse than the median of the runs' averages."""
    def __init__(self, evaluation_interval=1, delay_evaluation=0):
        super().__init__("median_stopping", {"evaluation_interval": evaluation_interval,
                                             "delay_evaluation": delay_evaluation})


class TruncationSelectionPolicy(EarlyTerminationPolicy):
    """Stops the lowest truncation_percentage percent of the runs at each evaluation."""
    def __init__(self, truncation_percentage, evaluation_interval=1, delay_evaluation=0):
        super().__init__("truncation_selection", {"evaluation_interval": evaluation_interval,
                                                  "delay_evaluation": delay_evaluation})
        self.truncation_percentage = truncation_percentage

    def _labbench_fields(self):
        fields = super()._labbench_fields()
        fields["truncation_percentage"] = float(self.truncation_percentage)
        return fields


class NoTerminationPolicy(EarlyTerminationPolicy):
    """Every run goes to its end."""
    def __init__(self):
        super().__init__("none")

    def _labbench_fields(self):
        return None


__all__ = ["EarlyTerminationPolicy", "BanditPolicy", "MedianStoppingPolicy", "TruncationSelectionPolicy",
           "NoTerminationPolicy"]
