#include "core/runs/RunLaunch.h"

#include "core/compute/launch/DistributedLaunch.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunFolder.h"
#include "core/util/BytePaths.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QDir>

namespace lb {

QString pythonHelperDir(const QString& binDir) {
    return QDir::cleanPath(binDir + QStringLiteral("/../share/labbench/python"));
}

QString remoteHelperPath(const QString& binDir) {
    return QDir::cleanPath(binDir + QStringLiteral("/../share/labbench/remote/labbench-remote.sh"));
}

SpawnSpec buildLaunch(const Estimator& e, const RunFolder& folder, const LaunchContext& context,
                      const PreparedEnvironment& prepared) {
    SpawnSpec spec;
    spec.workingDirectory = folder.snapshotDir();
    const QString python = !prepared.python.isEmpty()   ? prepared.python
                           : !e.python.isEmpty()        ? e.python
                           : !context.targetPython.isEmpty() ? context.targetPython
                                                         : QStringLiteral("python3");
    if (e.runsBuiltinTrainer()) {
        spec.program = context.binDir + QStringLiteral("/labbench-train");
        spec.arguments = e.scriptParams;
    } else if (e.entryScript.endsWith(QLatin1String(".py"), Qt::CaseInsensitive)) {
        spec.program = python;
        spec.arguments = QStringList{QStringLiteral("-u"), e.entryScript} + e.scriptParams;
    } else {
        // The entry's name is bytes (#25): checked and started with its exact bytes.
        const QString entry = QDir::cleanPath(QDir(folder.snapshotDir()).absoluteFilePath(e.entryScript));
        if (!isExecutableFile(entry))
            throw Error(QStringLiteral("The entry script %1 is neither a .py file nor executable; "
                                       "make it executable (chmod +x) or use a Python script.")
                            .arg(displayText(e.entryScript)));
        spec.program = entry;
        spec.arguments = e.scriptParams;
    }

    QStringList env = context.baseEnvironment;
    const QString helper = pythonHelperDir(context.binDir);
    const QString oldPythonPath = environmentValue(env, QStringLiteral("PYTHONPATH"));
    setEnvironmentVariable(env, QStringLiteral("PYTHONPATH"),
                           oldPythonPath.isEmpty() ? helper : helper + QLatin1Char(':') + oldPythonPath);
    setEnvironmentVariable(env, QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    if (!prepared.pathPrepend.isEmpty()) {
        const QString path = environmentValue(env, QStringLiteral("PATH"));
        setEnvironmentVariable(env, QStringLiteral("PATH"),
                               prepared.pathPrepend.join(QLatin1Char(':')) + QLatin1Char(':') + path);
    }
    if (!context.devices.isEmpty())
        setEnvironmentVariable(env, QStringLiteral("CUDA_VISIBLE_DEVICES"), context.devices);
    else if (context.targetHasGpus)
        setEnvironmentVariable(env, QStringLiteral("CUDA_VISIBLE_DEVICES"), QString()); // CPU run: hands off the GPUs
    for (auto it = prepared.variables.begin(); it != prepared.variables.end(); ++it)
        setEnvironmentVariable(env, it.key(), it.value());
    const auto launchEnv = distributedEnvironment(e);
    for (auto it = launchEnv.begin(); it != launchEnv.end(); ++it)
        setEnvironmentVariable(env, it.key(), it.value());
    for (auto it = e.environmentVariables.begin(); it != e.environmentVariables.end(); ++it)
        setEnvironmentVariable(env, it.key(), it.value());
    // Last, so that nothing overrides what the helpers rely on.
    setEnvironmentVariable(env, QStringLiteral("LABBENCH_RUN_ID"), context.runId);
    setEnvironmentVariable(env, QStringLiteral("LABBENCH_RUN_DIR"), folder.dir());
    setEnvironmentVariable(env, QStringLiteral("LABBENCH_METRICS_FILE"), folder.metricsFile());
    setEnvironmentVariable(env, QStringLiteral("LABBENCH_CHECKPOINT_DIR"), folder.checkpointDir());
    setEnvironmentVariable(env, QStringLiteral("LABBENCH_EXPERIMENT"), context.experiment);
    // A later attempt of the run (the attempt contract, RunAttempts.h); a first attempt never
    // inherits these from whoever started the supervisor.
    env.removeIf([](const QString& entry) {
        return entry.startsWith(QLatin1String("LABBENCH_ATTEMPT=")) ||
               entry.startsWith(QLatin1String("LABBENCH_RESUME_CHECKPOINT="));
    });
    if (context.attempt > 1) {
        setEnvironmentVariable(env, QStringLiteral("LABBENCH_ATTEMPT"), QString::number(context.attempt));
        if (!context.resumeCheckpoint.isEmpty())
            setEnvironmentVariable(env, QStringLiteral("LABBENCH_RESUME_CHECKPOINT"), context.resumeCheckpoint);
    }
    spec.environment = env;
    if (isDistributed(e)) {
        // Several processes on this machine: mpirun starts them, each through the same
        // rank-exec helper as on SSH targets (rank variables, "[rank N] " prefixes, metrics of
        // rank 0). LocalTarget::checkCanRun refused containers and GPUs for these runs.
        const QStringList prefix = distributedPrefix(
            e, Launcher::Mpirun, {remoteHelperPath(context.binDir), folder.dir(), basePortFor(context.runId)});
        spec.arguments = prefix.mid(1) + QStringList{spec.program} + spec.arguments;
        spec.program = prefix.first();
        return spec;
    }
    if (prepared.container) {
        // custom_docker_image: the same command inside the image, with the run folder and the
        // helper mounted at their own paths, and every variable set above passed by name.
        QStringList names{QStringLiteral("PYTHONPATH"),
                          QStringLiteral("PYTHONUNBUFFERED"),
                          QStringLiteral("CUDA_VISIBLE_DEVICES"),
                          QStringLiteral("LABBENCH_RUN_ID"),
                          QStringLiteral("LABBENCH_RUN_DIR"),
                          QStringLiteral("LABBENCH_METRICS_FILE"),
                          QStringLiteral("LABBENCH_CHECKPOINT_DIR"),
                          QStringLiteral("LABBENCH_EXPERIMENT")};
        if (context.attempt > 1)
            names << QStringLiteral("LABBENCH_ATTEMPT");
        if (context.attempt > 1 && !context.resumeCheckpoint.isEmpty())
            names << QStringLiteral("LABBENCH_RESUME_CHECKPOINT");
        names += prepared.variables.keys();
        names += e.environmentVariables.keys();
        const QStringList argv = containerCommand(*prepared.container, spec.workingDirectory,
                                                  {folder.dir(), helper}, names,
                                                  QStringList{spec.program} + spec.arguments);
        spec.program = argv.first();
        spec.arguments = argv.mid(1);
    }
    return spec;
}

} // namespace lb
