"""The MLflow half of bench_vs_mlflow.sh (issue 17 item 6): the same 10,000 runs in MLflow's own
SQLite store, and MLflow's search_runs timed on what bench_runs_table times on Labbench.

    mlflow_side.py generate DIR   fill DIR/mlflow.db: 200 runs through MlflowClient (create_run, log_batch,
                                  set_terminated), the rest as the same rows (see generate())
    mlflow_side.py measure DIR    time search_runs: open (first page, newest first), a two-term
                                  filter, a sort by a metric; prints "RESULT mlflow_<name> ..."
    mlflow_side.py cli DIR QUERY  what a command line search prints: every matching run as JSON

Every value is computed with the integer and IEEE arithmetic of RunsBenchData.h, so both stores
hold the same doubles.
"""
import json
import sqlite3
import statistics
import sys
import time
import uuid

RUNS, PARAMS, METRICS, STEPS = 10000, 20, 10, 100
START_SECS = 1764547200
METRIC_NAMES = ["loss", "accuracy", "val_loss", "val_accuracy", "lr_now", "grad_norm", "throughput", "m7", "m8", "m9"]
PAGE = 200  # the runs table's page (RunsTableModel::kPageSize)
FILTERS = ["metrics.accuracy > 0.9 and params.optimizer = 'adam'",
           "metrics.accuracy > 0.8 and params.optimizer = 'adam'"]


def frac(run, salt):
    return ((run * 2654435761 + salt * 40503) % 1000003) / 1000003.0


def param_name(k):
    return ["lr", "batch_size", "optimizer", "seed"][k] if k < 4 else "p%d" % k


def param_value(run, k):
    if k == 0:
        return ["0.1", "0.03", "0.01", "0.003", "0.001"][run % 5]
    if k == 1:
        return ["32", "64", "128", "256"][run // 5 % 4]
    if k == 2:
        return ["adam", "sgd", "adamw"][run // 20 % 3]
    if k == 3:
        return str(run % 7)
    return str((run * 2654435761 * (k + 3)) % 1000)


def metric_value(run, m, step):
    q = frac(run, m + 1)
    s = float(step)
    if m % 2 == 0:
        return q + 1.0 / (s + 1.0)
    return q * (s + 1.0) / (s + 10.0)


def client_for(folder):
    from mlflow.tracking import MlflowClient
    return MlflowClient(tracking_uri="sqlite:///%s/mlflow.db" % folder)


def generate(folder, runs=RUNS, by_client=200):
    """The first `by_client` runs go through MlflowClient (create_run, log_batch, set_terminated),
    at about 3 runs a second here (10,000 would take an hour). The rest are written with
    executemany into the tables MLflow created, as the rows MLflow wrote for the first ones; the
    rows of those first runs are rebuilt the same way and must equal what MLflow wrote, or the
    generation stops."""
    from mlflow.entities import Metric, Param
    client = client_for(folder)
    exp = client.create_experiment("bench", artifact_location="file://%s/artifacts" % folder)
    t0 = time.time()
    for i in range(min(runs, by_client)):
        start = START_SECS + i * 60
        run = client.create_run(exp, start_time=start * 1000, tags={"stage": stage_tag(i)}, run_name=run_name(i))
        rid = run.info.run_id
        params = [Param(param_name(k), param_value(i, k)) for k in range(PARAMS)]
        metrics = [Metric(METRIC_NAMES[m], metric_value(i, m, s), (start + s) * 1000, s)
                   for m in range(METRICS) for s in range(STEPS)]
        # log_batch takes at most 1000 entities a call: parameters and the first 980 points, then the rest.
        first = 1000 - len(params)
        client.log_batch(rid, metrics=metrics[:first], params=params)
        client.log_batch(rid, metrics=metrics[first:])
        client.set_terminated(rid, "FINISHED", end_time=(start + STEPS) * 1000)
    print("mlflow store: %d runs through MlflowClient in %.1f s" % (min(runs, by_client), time.time() - t0), flush=True)
    db = sqlite3.connect("%s/mlflow.db" % folder)
    template = db.execute("SELECT * FROM runs WHERE name = ?", (run_name(0),)).fetchone()
    check_rows_match(db, template, min(runs, by_client))
    t0 = time.time()
    with db:
        for i in range(by_client, runs):
            rows = rows_of_run(template, i, uuid.uuid4().hex)
            for table, values in rows.items():
                db.executemany("INSERT INTO %s VALUES (%s)" % (table, ",".join("?" * len(values[0]))), values)
            if (i + 1) % 2000 == 0:
                print("  mlflow store: %d runs in %.1f s" % (i + 1, time.time() - t0), flush=True)
    db.close()
    print("mlflow store: %d runs, %d metric points in all (%.1f s for the SQL part)"
          % (runs, runs * METRICS * STEPS, time.time() - t0), flush=True)


def stage_tag(i):
    return "tuned" if i % 2 else "baseline"


def run_name(i):
    return "b%05d" % i


def rows_of_run(template, i, run_uuid):
    """The rows MLflow's SqlAlchemyStore writes for run i, by table (columns in table order)."""
    start = START_SECS + i * 60
    (_, _, source_type, source_name, entry_point, user, _, _, _, source_version, stage, artifact_uri, exp, _) = template
    artifact_uri = artifact_uri.replace(template[0], run_uuid)
    last = STEPS - 1
    return {
        "runs": [(run_uuid, run_name(i), source_type, source_name, entry_point, user, "FINISHED", start * 1000,
                  (start + STEPS) * 1000, source_version, stage, artifact_uri, exp, None)],
        "params": [(param_name(k), param_value(i, k), run_uuid) for k in range(PARAMS)],
        "tags": [("stage", stage_tag(i), run_uuid), ("mlflow.runName", run_name(i), run_uuid)],
        "metrics": [(METRIC_NAMES[m], metric_value(i, m, s), (start + s) * 1000, run_uuid, s, 0)
                    for m in range(METRICS) for s in range(STEPS)],
        "latest_metrics": [(METRIC_NAMES[m], metric_value(i, m, last), (start + last) * 1000, last, 0, run_uuid)
                           for m in range(METRICS)],
    }


def check_rows_match(db, template, runs):
    for i in range(runs):
        run_uuid = db.execute("SELECT run_uuid FROM runs WHERE name = ?", (run_name(i),)).fetchone()[0]
        for table, expected in rows_of_run(template, i, run_uuid).items():
            got = db.execute("SELECT * FROM %s WHERE run_uuid = ?" % table, (run_uuid,)).fetchall()
            if sorted(got, key=repr) != sorted(expected, key=repr):
                sys.exit("the rows MLflow wrote for run %d in %s differ from the bulk path's:\n%r\n%r"
                         % (i, table, sorted(got, key=repr)[:3], sorted(expected, key=repr)[:3]))
    print("mlflow store: the bulk path's rows equal MlflowClient's for the first %d runs" % runs, flush=True)


CPU = {}  # name -> CPU milliseconds of each timed call (this process: MLflow runs in it)


def timed(fn, repeat, name=None):
    ms = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        ms.append((time.perf_counter() - t) * 1000)
        CPU.setdefault(name, []).append((time.process_time() - c) * 1000)
    return ms, result


def report(name, ms, matching):
    print("RESULT mlflow_%s %.1f %.1f %d" % (name, statistics.median(ms), min(ms), matching), flush=True)
    print("CPU mlflow_%s %.1f" % (name, statistics.median(CPU.pop(name))), flush=True)


def measure(folder):
    from mlflow.entities import ViewType
    client = client_for(folder)
    exp = client.get_experiment_by_name("bench").experiment_id

    def page(filter_string="", order_by=None):
        return client.search_runs([exp], filter_string=filter_string, run_view_type=ViewType.ACTIVE_ONLY,
                                  max_results=PAGE, order_by=order_by)

    # The experiment page asks for runs newest first, as the Labbench table shows them.
    ms, runs = timed(lambda: page(order_by=["attributes.start_time DESC"]), 7, "open")
    report("open", ms, len(runs))
    ms, matching = [], 0
    for i in range(10):
        one, runs = timed(lambda: page(FILTERS[i % 2]), 1, "filter")
        ms += one
        if i % 2 == 0:
            matching = len(runs)
    report("filter", ms, matching)
    ms = []
    for i in range(4):  # about 14 s each here: four are enough for a median
        one, runs = timed(lambda: page(order_by=["metrics.loss %s" % ("DESC" if i % 2 else "ASC")]), 1, "sort")
        ms += one
    report("sort", ms, len(runs))
    print("  first row after sorting by metrics.loss descending: %s, loss %r"
          % (runs[0].info.run_name, runs[0].data.metrics["loss"]), flush=True)


def cli(folder, query):
    import mlflow
    mlflow.set_tracking_uri("sqlite:///%s/mlflow.db" % folder)
    runs = mlflow.search_runs(experiment_names=["bench"], filter_string=query, output_format="list")
    json.dump([r.to_dictionary() for r in runs], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    command, folder = sys.argv[1], sys.argv[2]
    if command == "generate":
        generate(folder, int(sys.argv[3]) if len(sys.argv) > 3 else RUNS)
    elif command == "measure":
        measure(folder)
    elif command == "cli":
        cli(folder, sys.argv[3])
    else:
        sys.exit("usage: mlflow_side.py generate|measure|cli DIR [QUERY]")
