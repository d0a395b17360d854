#include "core/compute/slurm/SbatchScript.h"

#include "core/compute/launch/DistributedLaunch.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/RemoteEnvironment.h"
#include "core/compute/ssh/RemoteSecrets.h"
#include "core/compute/ssh/RemoteTarget.h"
#include "core/estimator/Estimator.h"
#include "core/remote/ShellQuote.h"

namespace lb {

int slurmMinutes(int seconds) { return seconds <= 0 ? 0 : (seconds + 59) / 60; }

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

    QByteArray& s = job.script;
    s += "#!/bin/sh\n";
    s += "# Labbench run " + run.id.toUtf8() + ", generated from its estimator.\n";
    s += ": >> " + shellQuote(runDir + QStringLiteral("/metrics.jsonl")).toUtf8() + "\n";
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
