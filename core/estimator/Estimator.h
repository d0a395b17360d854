#pragma once
// The estimator: how to run a training script (Azure ML's Estimator fields), as a JSON value type.

#include "core/util/Json.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace lb {

// A run specification. Only source_directory and entry_script are required; every other field
// has the default written here. JSON keys are the Azure ML names in snake_case.
//
// Framework presets (applyFrameworkDefaults):
//   generic        nothing is changed; a multi-process run must name its distributed_backend.
//   pytorch        distributed_backend "pytorch" when node_count * process_count_per_node > 1.
//   tensorflow     distributed_backend "parameter_server" when more than one process or worker is
//                  asked for; then worker_count defaults to node_count * process_count_per_node
//                  and parameter_server_count to 1.
//   chainer        distributed_backend "mpi" when node_count * process_count_per_node > 1.
//   builtin-mnist  runs Labbench's own trainer (labbench-train): entry_script defaults to
//                  "labbench-train", which needs no file in source_directory.
struct Estimator {
    // The entry script that means "run labbench-train" for the builtin-mnist framework.
    static inline const QString kBuiltinTrainer = QStringLiteral("labbench-train");

    QString sourceDirectory;            // "source_directory" (required)
    QString entryScript;                // "entry_script" (required), relative to sourceDirectory
    QStringList scriptParams;           // "script_params": argv words, in order
    QString computeTarget;              // "compute_target" (empty = the workspace default)
    QString framework = QStringLiteral("generic"); // generic|pytorch|tensorflow|chainer|builtin-mnist
    QStringList pipPackages, condaPackages;          // "pip_packages", "conda_packages"
    QString customDockerImage;          // "custom_docker_image"
    bool useGpu = false;                // "use_gpu"
    int nodeCount = 1;                  // "node_count"
    int processCountPerNode = 1;        // "process_count_per_node"
    QString distributedBackend = QStringLiteral("none"); // none|mpi|pytorch|parameter_server
    int workerCount = 1, parameterServerCount = 0;   // parameter_server only
    QMap<QString, QString> environmentVariables;     // "environment_variables"
    // Which of those are secret (SecretVariables.h): names given with --secret-env, and names
    // that look secret (TOKEN, SECRET, PASSWORD, KEY) but were given with --public-env.
    QStringList secretVariables;        // "secret_environment_variables"
    QStringList publicVariables;        // "public_environment_variables"
    std::optional<int> maxRunDurationSeconds;        // "max_run_duration_seconds"
    QMap<QString, QString> tags;        // "tags"
    QString python;                     // "python": interpreter for .py entry scripts
    QString experiment;                 // "experiment" (optional; CLI --experiment wins)
    // A Slurm target's per-run requests (SlurmResources.h); empty: the target's defaults.
    // slurm_time wins over max_run_duration_seconds for the job's --time.
    QString slurmTime, slurmMem, slurmGres; // "slurm_time", "slurm_mem", "slurm_gres"
    // How often Labbench lets a preempted or node-failed job be queued again before the run
    // ends Failed ("slurm_max_requeues"; unset: kDefaultSlurmMaxRequeues, 0: never).
    std::optional<int> slurmMaxRequeues;

    // Where this estimator came from ("estimator.json", "command line"), used in messages only;
    // not serialised.
    QString origin;

    // Parses an estimator object. script_params may be a list of words or Azure ML's dict form
    // {"--lr": 0.01, "--flag": ""} (values stringified; "", true or null give a bare flag, false
    // leaves the flag out, a list gives several words). Unknown keys and wrong types throw
    // lb::Error naming `origin`, the field and the fix. Does not check the file system: see
    // validate().
    static Estimator fromJson(const Json& json, const QString& origin);

    // Reads an estimator file. Syntax errors give FILE:LINE:COL, field errors FILE:LINE:COL of
    // the key. A relative source_directory is taken relative to the file's folder and made
    // absolute.
    static Estimator load(const QString& path);

    // Every field, so that fromJson(toJson()) gives the same estimator (origin aside). With
    // Masked, the values of secret variables are written as "***": the form for everything
    // stored with a run (the store, run.json, sweep.json).
    enum class SecretValues { Kept, Masked };
    Json toJson(SecretValues secrets = SecretValues::Kept) const;

    // True for a secret environment variable (see SecretVariables.h).
    bool isSecretVariable(const QString& name) const;

    // Throws lb::Error naming the field and the fix: required fields, source_directory is a
    // folder, entry_script is a file inside it (relative, no "..", not escaping by symlink),
    // counts >= 1, known framework and backend, a multi-process run has a backend, valid
    // environment variable names (LABBENCH_* is reserved), durations > 0, no NUL characters.
    void validate() const;

    // Fills the framework preset's defaults (see above); idempotent. Call before validate().
    void applyFrameworkDefaults();

    // node_count * process_count_per_node.
    int totalProcessCount() const { return nodeCount * processCountPerNode; }

    // True when the builtin trainer runs instead of a file from source_directory.
    bool runsBuiltinTrainer() const {
        return framework == QLatin1String("builtin-mnist") && entryScript == kBuiltinTrainer;
    }

    bool operator==(const Estimator& other) const;
};

// The framework and backend names an estimator accepts.
const QStringList& knownFrameworks();
const QStringList& knownDistributedBackends();

} // namespace lb
