#include "core/compute/slurm/SbatchArray.h"

#include "core/remote/ShellQuote.h"
#include "core/util/Error.h"

namespace lb {

namespace {

// The options that name one run's files: the array sets its own.
bool namesOneRun(const QString& option) {
    for (const char* prefix : {"--job-name=", "--output=", "--chdir="})
        if (option.startsWith(QLatin1String(prefix)))
            return true;
    return false;
}

} // namespace

SbatchJob makeSbatchArray(const QList<ArrayChild>& children, const SlurmTargetConfig& config,
                          const RemoteLayout& layout, const QString& logDir, int maxConcurrent) {
    if (children.isEmpty() || children.size() > kMaxArrayTasks)
        throw Error(QStringLiteral("A Slurm job array takes 1 to %1 runs, not %2.")
                        .arg(kMaxArrayTasks)
                        .arg(children.size()));
    SbatchJob array;
    const int n = int(children.size());
    QStringList& a = array.arguments;
    a << QStringLiteral("--job-name=lb-array-") + children.first().run.parentId.left(90)
      << QStringLiteral("--output=") + logDir + QStringLiteral("/array-%A_%a.log")
      << QStringLiteral("--chdir=") + layout.root;
    QString range = QStringLiteral("--array=0-%1").arg(n - 1);
    if (maxConcurrent > 0 && maxConcurrent < n)
        range += QLatin1Char('%') + QString::number(maxConcurrent);
    a << range;

    QByteArray& s = array.script;
    s += "#!/bin/sh\n";
    s += "# Labbench sweep " + children.first().run.parentId.toUtf8() + ": array task i runs child run i.\n";
    s += "case \"$SLURM_ARRAY_TASK_ID\" in\n";
    for (int i = 0; i < n; ++i) {
        const ArrayChild& child = children.at(i);
        const SbatchJob job = makeSbatchJob(child.estimator, config, child.run, layout);
        if (i == 0)
            for (const QString& option : job.arguments)
                if (!namesOneRun(option))
                    a << option;
        const QString runDir = layout.runDir(child.run.id);
        s += QByteArray::number(i) + ")\n";
        // What the child's own job would get from --output, --open-mode=append and --chdir.
        s += "exec >> " + shellQuote(runDir + QStringLiteral("/driver.log")).toUtf8() + " 2>&1\n";
        s += "cd " + shellQuote(runDir + QStringLiteral("/snapshot")).toUtf8() + " || exit 1\n";
        QByteArray body = job.script;
        if (body.startsWith("#!"))
            body = body.mid(body.indexOf('\n') + 1);
        s += body;
        s += ";;\n";
    }
    s += "*) echo \"labbench: array task $SLURM_ARRAY_TASK_ID has no run\" >&2; exit 1 ;;\n";
    s += "esac\n";
    return array;
}

} // namespace lb
