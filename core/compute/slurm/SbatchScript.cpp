#include "core/compute/slurm/SbatchScript.h"

#include "core/compute/launch/DistributedLaunch.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/RemoteEnvironment.h"
#include "core/compute/ssh/RemoteSecrets.h"
#include "core/compute/ssh/RemoteTarget.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SlurmResources.h"
#include "core/remote/ShellQuote.h"

namespace lb {

int slurmMinutes(int seconds) { return seconds <= 0 ? 0 : (seconds + 59) / 60; }

namespace {

// A requeued job runs this script again from the top (SLURM_RESTART_COUNT > 0): the next
// attempt of the same run (the attempt contract of #20). Before the script starts, the attempt
// marker goes into metrics.jsonl (the ingester numbers attempts by counting these lines, so
// LABBENCH_ATTEMPT is counted the same way) and LABBENCH_RESUME_CHECKPOINT names the
// checkpoints folder when it holds one. Slurm appends to driver.log (--open-mode=append), and
// both files only grow, so the follower's offsets stay right across the restart.
QByteArray restartPrologue(const QString& runDir) {
    const QByteArray metrics = shellQuote(runDir + QStringLiteral("/metrics.jsonl")).toUtf8();
    const QByteArray checkpoints = shellQuote(runDir + QStringLiteral("/snapshot/checkpoints")).toUtf8();
    QByteArray s;
    s += "if [ \"${SLURM_RESTART_COUNT:-0}\" -gt 0 ] 2>/dev/null; then\n";
    // Milliseconds where date knows %N (GNU), else whole seconds. No `case` here: a sweep's
    // array script puts this inside a case arm of its own.
    s += "    t=$(date +%s.%3N); [ \"${t#*N}\" = \"$t\" ] || t=$(date +%s)\n";
    s += "    printf '{\"type\":\"attempt\",\"reason\":\"requeue\",\"time\":%s}\\n' \"$t\" >> " + metrics + "\n";
    s += "    LABBENCH_ATTEMPT=$(( $(grep -c '\"type\": *\"attempt\"' " + metrics + ") + 1 ))\n";
    s += "    export LABBENCH_ATTEMPT\n";
    s += "    if [ -n \"$(ls -A " + checkpoints + " 2>/dev/null)\" ]; then\n";
    s += "        LABBENCH_RESUME_CHECKPOINT=" + checkpoints + "\n";
    s += "        export LABBENCH_RESUME_CHECKPOINT\n";
    s += "    fi\n";
    s += "    echo \"labbench: attempt $LABBENCH_ATTEMPT of this run: Slurm started job $SLURM_JOB_ID again "
         "(restart $SLURM_RESTART_COUNT)${LABBENCH_RESUME_CHECKPOINT:+, resuming from $LABBENCH_RESUME_CHECKPOINT}\"\n";
    s += "fi\n";
    return s;
}

} // namespace

SbatchJob makeSbatchJob(const Estimator& e, const SlurmTargetConfig& config, const RunRecord& run,
                        const RemoteLayout& layout) {
    const QString runDir = layout.runDir(run.id);
    SbatchJob job;
    QStringList& a = job.arguments;
    a << QStringLiteral("--parsable") << QStringLiteral("--job-name=lb-") + run.id.left(100)
      << QStringLiteral("--output=") + runDir + QStringLiteral("/driver.log")
      << QStringLiteral("--open-mode=append") << QStringLiteral("--chdir=") + runDir + QStringLiteral("/snapshot")
      << QStringLiteral("--nodes=%1").arg(e.nodeCount);
    if (e.distributedBackend == QLatin1String("parameter_server"))
        a << QStringLiteral("--ntasks=%1").arg(taskCount(e));
    else
        a << QStringLiteral("--ntasks-per-node=%1").arg(e.processCountPerNode);
    // A run that names its GPUs with slurm_gres (gpu:2) asks for them there only: Slurm refuses
    // the two forms together.
    if (e.useGpu && !e.slurmGres.contains(QLatin1String("gpu")))
        a << QStringLiteral("--gpus-per-node=%1").arg(config.gpusPerNode > 0 ? config.gpusPerNode : 1);
    const int minutes = e.maxRunDurationSeconds ? slurmMinutes(*e.maxRunDurationSeconds) : config.timeLimitMinutes;
    // The run's own requests (checked by Estimator::validate) win over the target's.
    if (!e.slurmTime.isEmpty())
        a << QStringLiteral("--time=") + e.slurmTime;
    else if (minutes > 0)
        a << QStringLiteral("--time=%1").arg(minutes);
    if (!e.slurmMem.isEmpty())
        a << QStringLiteral("--mem=") + e.slurmMem;
    if (!e.slurmGres.isEmpty())
        a << QStringLiteral("--gres=") + e.slurmGres;
    if (!config.partition.isEmpty())
        a << QStringLiteral("--partition=") + config.partition;
    if (!config.account.isEmpty())
        a << QStringLiteral("--account=") + config.account;
    // Requeueable, so that a preempted or node-failed job starts again as the run's next
    // attempt (SlurmRequeue.h); a run that allows no requeue says so, whatever the cluster's
    // JobRequeue default.
    a << (e.slurmMaxRequeues.value_or(kDefaultSlurmMaxRequeues) > 0 ? QStringLiteral("--requeue")
                                                                     : QStringLiteral("--no-requeue"));

    QByteArray& s = job.script;
    s += "#!/bin/sh\n";
    s += "# Labbench run " + run.id.toUtf8() + ", generated from its estimator.\n";
    s += ": >> " + shellQuote(runDir + QStringLiteral("/metrics.jsonl")).toUtf8() + "\n";
    s += restartPrologue(runDir);
    if (isDistributed(e)) {
        // The nodes' addresses in allocation order, for MASTER_ADDR and TF_CONFIG.
        s += "LABBENCH_NODE_HOSTS=$(for n in $(scontrol show hostnames \"$SLURM_JOB_NODELIST\"); do\n"
             "    a=$(scontrol show node -o \"$n\" | sed -n 's/.* NodeAddr=\\([^ ]*\\).*/\\1/p')\n"
             "    echo \"${a:-$n}\"\n"
             "done)\n"
             "export LABBENCH_NODE_HOSTS\n";
    }
    const auto env = remoteEnvironment(e, layout, config.python);
    if (env) {
        // Built here, on the job's first node, before srun starts any rank: remote_dir is shared
        // by the nodes (the snapshot lives there too), so every rank finds the environment.
        s += shellCommand(QStringList{QStringLiteral("sh"), layout.helper(),
                                      QStringLiteral("prepare-env"), runDir} +
                          env->prepareWords())
                 .toUtf8() +
             " || exit 1\n";
        s += "VIRTUAL_ENV=" + shellQuote(env->dir()).toUtf8() +
             "\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\n";
        s += "export VIRTUAL_ENV PATH\n";
    }
    // The run's secret variables, from the 0600 file the follower wrote (RemoteSecrets.h): Slurm
    // keeps this script, so no value may be written into it. srun passes them on to every rank.
    const QByteArray secrets = shellQuote(remoteSecretsFile(layout, run.id)).toUtf8();
    s += "if [ -f " + secrets + " ]; then . " + secrets + "; fi\n";
    // System metrics (issue 19) of what this script becomes on exec; srun's ranks start theirs.
    if (!isDistributed(e))
        s += shellCommand(QStringList{QStringLiteral("sh"), layout.helper(),
                                      QStringLiteral("sysmon"), runDir})
                 .toUtf8() +
             " \"$$\" &\n";
    s += "exec " +
         shellCommand(remoteProgram(e, layout, run, config.python, Launcher::Srun,
                                    env ? env->dir() : QString()))
             .toUtf8() +
         "\n";
    return job;
}

} // namespace lb
