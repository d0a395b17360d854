# A HyperDrive sweep from Azure ML's tuning document: a grid over --lr, a Bandit policy, then the
# best run by the primary metric (issue 24).
import json

from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import (BanditPolicy, GridParameterSampling, HyperDriveConfig,
                                      PrimaryMetricGoal, choice)

ws = Workspace.from_config()
est = Estimator(source_directory="./train", entry_script="sweep.py", compute_target="local")
param_sampling = GridParameterSampling({"--lr": choice(0.5, 0.9, 0.1)})
early_termination_policy = BanditPolicy(evaluation_interval=1, slack_factor=0.1)
hd_config = HyperDriveConfig(estimator=est, hyperparameter_sampling=param_sampling,
                             policy=early_termination_policy, primary_metric_name="accuracy",
                             primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=3,
                             max_concurrent_runs=1)
hd_run = Experiment(ws, "tune").submit(hd_config)
print("SWEEP", hd_run.id)
hd_run.wait_for_completion(show_output=True)
print("SWEEP_STATUS", hd_run.get_status())
best = hd_run.get_best_run_by_primary_metric()
print("BEST", best.id, json.dumps(best.get_metrics()))
print("BEST_PARAMS", hd_run.get_hyperparameters()[best.id])
print("CHILDREN", json.dumps({c.id: c.get_status() for c in hd_run.get_children()}, sort_keys=True))
print("SORTED", json.dumps([r["run_id"] for r in hd_run.get_children_sorted_by_primary_metric()]))
