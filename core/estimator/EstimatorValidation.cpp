// Estimator::validate and the framework presets: every problem names its field and the fix.

#include "core/estimator/Estimator.h"

#include "core/estimator/SecretVariables.h"
#include "core/estimator/SlurmResources.h"
#include "core/util/BytePaths.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QDir>
#include <QRegularExpression>

namespace lb {

const QStringList& knownFrameworks() {
    static const QStringList names = {QStringLiteral("generic"), QStringLiteral("pytorch"),
                                      QStringLiteral("tensorflow"), QStringLiteral("chainer"),
                                      QStringLiteral("builtin-mnist")};
    return names;
}

const QStringList& knownDistributedBackends() {
    static const QStringList names = {QStringLiteral("none"), QStringLiteral("mpi"),
                                      QStringLiteral("pytorch"), QStringLiteral("parameter_server")};
    return names;
}

namespace {

struct Checker {
    const Estimator& e;

    [[noreturn]] void fail(const char* field, const QString& problem, const QString& fix) const {
        const QString where = e.origin.isEmpty() ? QStringLiteral("estimator") : e.origin;
        throw Error(QStringLiteral("%1: \"%2\" %3 %4").arg(where, QLatin1String(field), problem, fix));
    }

    // argv words and environment entries cannot hold NUL; a program would see a cut string.
    void noNul(const char* field, const QString& value) const {
        if (value.contains(QChar(0)))
            fail(field, QStringLiteral("contains a NUL character, which no program can receive."),
                 QStringLiteral("Remove it."));
    }

    void slurm(const char* field, const QString& problem) const {
        if (!problem.isEmpty())
            fail(field, QStringLiteral("is not accepted."), problem);
    }

    void count(const char* field, int value, int minimum) const {
        if (value < minimum)
            fail(field, QStringLiteral("is %1 but must be %2 or more.").arg(value).arg(minimum),
                 QStringLiteral("Set it to %1 or more (the default is %2).")
                     .arg(minimum)
                     .arg(minimum));
    }

    void packages(const char* field, const QStringList& list) const {
        for (const QString& p : list) {
            noNul(field, p);
            if (p.trimmed().isEmpty())
                fail(field, QStringLiteral("has an empty package name."),
                     QStringLiteral("Remove the empty entry."));
            if (p.trimmed().startsWith(QLatin1Char('-')))
                fail(field,
                     QStringLiteral("entry \"%1\" looks like an installer option, not a package.")
                         .arg(p),
                     QStringLiteral("List package names with optional versions, e.g. "
                                    "\"numpy==1.26\"."));
        }
    }

    void sourceAndEntry() const {
        if (e.sourceDirectory.trimmed().isEmpty())
            fail("source_directory", QStringLiteral("is missing."),
                 QStringLiteral("Name the folder that holds your training code, e.g. "
                                "\"source_directory\": \".\" (or --source DIR)."));
        noNul("source_directory", e.sourceDirectory);
        // Paths are bytes (#25): checked with their exact bytes, shown with \xNN for the rest.
        if (canonicalPath(e.sourceDirectory).isEmpty())
            fail("source_directory", QStringLiteral("%1 does not exist.").arg(displayText(e.sourceDirectory)),
                 QStringLiteral("Create it or fix the path."));
        if (!isDirectory(e.sourceDirectory))
            fail("source_directory", QStringLiteral("%1 is not a folder.").arg(displayText(e.sourceDirectory)),
                 QStringLiteral("Name the folder that holds the entry script, not a file."));

        if (e.entryScript.trimmed().isEmpty())
            fail("entry_script", QStringLiteral("is missing."),
                 QStringLiteral("Name the script to run, relative to source_directory, e.g. "
                                "\"entry_script\": \"train.py\" (or --entry FILE)."));
        noNul("entry_script", e.entryScript);
        if (e.runsBuiltinTrainer())
            return; // labbench-train ships with Labbench; nothing to find in the source folder
        if (QDir::isAbsolutePath(e.entryScript) || e.entryScript.startsWith(QLatin1Char('~')))
            fail("entry_script", QStringLiteral("%1 is an absolute path.").arg(e.entryScript),
                 QStringLiteral("Give it relative to source_directory (%1), e.g. \"train.py\".")
                     .arg(e.sourceDirectory));
        const QStringList parts = e.entryScript.split(QRegularExpression(QStringLiteral("[/\\\\]")));
        if (parts.contains(QStringLiteral("..")))
            fail("entry_script",
                 QStringLiteral("%1 points outside source_directory with \"..\".").arg(e.entryScript),
                 QStringLiteral("Move the script into %1 or choose a source_directory that "
                                "contains it.")
                     .arg(e.sourceDirectory));
        const QString script = QDir(e.sourceDirectory).filePath(e.entryScript);
        const QString target = canonicalPath(script);
        if (target.isEmpty())
            fail("entry_script",
                 QStringLiteral("%1 was not found in source_directory %2.")
                     .arg(displayText(e.entryScript), displayText(e.sourceDirectory)),
                 QStringLiteral("Check the name, or point source_directory at the folder that "
                                "holds it."));
        if (!isRegularFile(script))
            fail("entry_script", QStringLiteral("%1 is not a file.").arg(displayText(e.entryScript)),
                 QStringLiteral("Name a script file, e.g. \"train.py\"."));
        // A symlink may lead out of the source folder; the snapshot would not contain it.
        const QString root = canonicalPath(e.sourceDirectory);
        if (!target.startsWith(root + QLatin1Char('/')))
            fail("entry_script",
                 QStringLiteral("%1 leads outside source_directory (to %2).")
                     .arg(displayText(e.entryScript), displayText(target)),
                 QStringLiteral("Copy the script into %1 instead of linking to it.")
                     .arg(e.sourceDirectory));
    }

    void distribution() const {
        count("node_count", e.nodeCount, 1);
        count("process_count_per_node", e.processCountPerNode, 1);
        count("worker_count", e.workerCount, 1);
        count("parameter_server_count", e.parameterServerCount, 0);
        if (!knownDistributedBackends().contains(e.distributedBackend))
            fail("distributed_backend",
                 QStringLiteral("\"%1\" is not a known backend.").arg(e.distributedBackend),
                 QStringLiteral("Use one of: %1.")
                     .arg(knownDistributedBackends().join(QStringLiteral(", "))));
        const bool ps = e.distributedBackend == QLatin1String("parameter_server");
        if (ps && e.parameterServerCount < 1)
            fail("parameter_server_count",
                 QStringLiteral("is 0 but the parameter_server backend needs at least one."),
                 QStringLiteral("Set \"parameter_server_count\": 1 or more."));
        if (!ps && e.parameterServerCount > 0)
            fail("parameter_server_count",
                 QStringLiteral("is %1 but distributed_backend is \"%2\".")
                     .arg(e.parameterServerCount)
                     .arg(e.distributedBackend),
                 QStringLiteral("Set \"distributed_backend\": \"parameter_server\" or remove "
                                "parameter_server_count."));
        if (!ps && e.workerCount != 1)
            fail("worker_count",
                 QStringLiteral("is %1 but distributed_backend is \"%2\".")
                     .arg(e.workerCount)
                     .arg(e.distributedBackend),
                 QStringLiteral("Use node_count and process_count_per_node for mpi and pytorch, "
                                "or set \"distributed_backend\": \"parameter_server\"."));
        if (e.distributedBackend == QLatin1String("none") && e.totalProcessCount() > 1)
            fail("distributed_backend",
                 QStringLiteral("is \"none\" but node_count x process_count_per_node is %1.")
                     .arg(e.totalProcessCount()),
                 QStringLiteral("Set \"distributed_backend\" to \"mpi\" or \"pytorch\", or run a "
                                "single process."));
    }

    void environment() const {
        static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        for (auto it = e.environmentVariables.cbegin(); it != e.environmentVariables.cend(); ++it) {
            if (!name.match(it.key()).hasMatch())
                fail("environment_variables",
                     QStringLiteral("has an invalid name \"%1\".").arg(it.key()),
                     QStringLiteral("Use letters, digits and '_', not starting with a digit, e.g. "
                                    "\"OMP_NUM_THREADS\"."));
            if (it.key().startsWith(QLatin1String("LABBENCH_")))
                fail("environment_variables",
                     QStringLiteral("sets %1, but LABBENCH_* variables are set by Labbench for "
                                    "every run.")
                         .arg(it.key()),
                     QStringLiteral("Rename the variable."));
            noNul("environment_variables", it.value());
            // "***" is what Labbench shows in place of a secret: a run copied from a stored
            // estimator would hand the mask to the script instead of the secret.
            if (e.isSecretVariable(it.key()) && it.value() == kMaskedSecret)
                fail("environment_variables",
                     QStringLiteral("gives the secret variable %1 the value \"***\", the mask "
                                    "Labbench shows in place of secret values.")
                         .arg(it.key()),
                     QStringLiteral("Give its real value, e.g. --secret-env %1=VALUE.").arg(it.key()));
        }
        secretLists();
    }

    // secret_environment_variables and public_environment_variables name variables that are
    // set, and no name is in both.
    void secretLists() const {
        for (const char* field : {"secret_environment_variables", "public_environment_variables"}) {
            const bool secret = field[0] == 's';
            for (const QString& name : secret ? e.secretVariables : e.publicVariables) {
                if (!e.environmentVariables.contains(name))
                    fail(field, QStringLiteral("names %1, which is not in environment_variables.").arg(name),
                         QStringLiteral("Set it with --%1 %2=VALUE, or remove the name.")
                             .arg(QLatin1String(secret ? "secret-env" : "public-env"), name));
                if (secret && e.publicVariables.contains(name))
                    fail(field, QStringLiteral("names %1, which is public_environment_variables too.").arg(name),
                         QStringLiteral("Give it with either --secret-env or --public-env, not both."));
            }
        }
    }

    void rest() const {
        if (!knownFrameworks().contains(e.framework))
            fail("framework", QStringLiteral("\"%1\" is not a known framework.").arg(e.framework),
                 QStringLiteral("Use one of: %1.").arg(knownFrameworks().join(QStringLiteral(", "))));
        for (const QString& word : e.scriptParams)
            noNul("script_params", word);
        packages("pip_packages", e.pipPackages);
        packages("conda_packages", e.condaPackages);
        static const QRegularExpression image(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$"));
        if (!e.customDockerImage.isEmpty() && !image.match(e.customDockerImage).hasMatch())
            fail("custom_docker_image",
                 QStringLiteral("\"%1\" is not an image reference.").arg(e.customDockerImage),
                 QStringLiteral("Write it like \"pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\"."));
        if (e.maxRunDurationSeconds && *e.maxRunDurationSeconds <= 0)
            fail("max_run_duration_seconds",
                 QStringLiteral("is %1 but must be more than 0.").arg(*e.maxRunDurationSeconds),
                 QStringLiteral("Give the limit in seconds, e.g. 3600, or leave it out for no "
                                "limit."));
        static const QRegularExpression targetName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
        if (!e.computeTarget.isEmpty() && !targetName.match(e.computeTarget).hasMatch())
            fail("compute_target",
                 QStringLiteral("\"%1\" is not a compute target name.").arg(e.computeTarget),
                 QStringLiteral("Use the name shown by 'labbench compute list', e.g. \"local\"."));
        if (!e.python.isEmpty() && e.python.trimmed().isEmpty())
            fail("python", QStringLiteral("is blank."),
                 QStringLiteral("Name an interpreter such as \"/usr/bin/python3\", or leave it "
                                "out to use python3 on PATH."));
        noNul("python", e.python);
        for (auto it = e.tags.cbegin(); it != e.tags.cend(); ++it) {
            if (it.key().trimmed().isEmpty())
                fail("tags", QStringLiteral("has an empty tag name."),
                     QStringLiteral("Give every tag a name, e.g. {\"team\": \"vision\"}."));
        }
        slurm("slurm_time", slurmTimeProblem(e.slurmTime));
        slurm("slurm_mem", slurmMemProblem(e.slurmMem));
        slurm("slurm_gres", slurmGresProblem(e.slurmGres));
        if (e.slurmMaxRequeues)
            slurm("slurm_max_requeues", slurmMaxRequeuesProblem(*e.slurmMaxRequeues));
        if (!e.experiment.isEmpty() && e.experiment.trimmed().isEmpty())
            fail("experiment", QStringLiteral("is blank."),
                 QStringLiteral("Name the experiment, e.g. \"mnist\", or leave it out."));
    }
};

} // namespace

void Estimator::validate() const {
    const Checker c{*this};
    c.sourceAndEntry();
    c.rest();
    c.distribution();
    c.environment();
}

void Estimator::applyFrameworkDefaults() {
    const bool none = distributedBackend == QLatin1String("none");
    if (framework == QLatin1String("pytorch")) {
        if (none && totalProcessCount() > 1)
            distributedBackend = QStringLiteral("pytorch");
    } else if (framework == QLatin1String("tensorflow")) {
        if (none && (totalProcessCount() > 1 || workerCount > 1 || parameterServerCount > 0)) {
            distributedBackend = QStringLiteral("parameter_server");
            if (workerCount == 1)
                workerCount = totalProcessCount();
            if (parameterServerCount == 0)
                parameterServerCount = 1;
        }
    } else if (framework == QLatin1String("chainer")) {
        if (none && totalProcessCount() > 1)
            distributedBackend = QStringLiteral("mpi");
    } else if (framework == QLatin1String("builtin-mnist")) {
        if (entryScript.isEmpty())
            entryScript = kBuiltinTrainer;
    }
}

} // namespace lb
