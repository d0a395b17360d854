// labbench compute create ssh | compute create slurm | compute test | compute remove, and the
// internal `remote follow` that a remote target starts for each run (core/compute/ssh).
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/TargetAdmin.h"
#include "core/compute/TargetSettings.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/SshTarget.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <unistd.h>

namespace lb::cli {

namespace {

int printCreated(Invocation& inv, const QString& name) {
    const auto target = openComputeTarget(inv.workspace(), name);
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, target->describe());
    else
        inv.out << "Created " << target->record().kind << " compute target '" << name
                << "' (check it with 'labbench compute test " << name << "')\n";
    return 0;
}

// `compute create ssh|slurm`: the options are the fields core/compute/TargetSettings checks.
int createRemote(Invocation& inv, const QString& kind) {
    const QString name = inv.positional(0);
    checkComputeTargetName(name);
    TargetFields fields;
    for (const QString& field : targetFieldNames(kind))
        fields.insert(field, inv.valueOr(field, QString()));
    fields.insert(QStringLiteral("name"), name);
    const TargetDraft draft = draftComputeTarget(kind, fields);
    throwFirstProblem(draft.problems);
    createComputeTarget(inv.workspace(), draft.record);
    return printCreated(inv, name);
}

int createSsh(Invocation& inv) { return createRemote(inv, QStringLiteral("ssh")); }
int createSlurm(Invocation& inv) { return createRemote(inv, QStringLiteral("slurm")); }

int testTarget(Invocation& inv) {
    const auto target = openComputeTarget(inv.workspace(), inv.positional(0));
    const QStringList found = testComputeTarget(*target);
    if (inv.flag(QStringLiteral("json"))) {
        Json j = Json::array();
        for (const QString& line : found)
            j.push_back(toStd(line));
        printJson(inv.out, {{"name", toStd(target->name())}, {"ok", true}, {"found", j}});
        return 0;
    }
    for (const QString& line : found)
        inv.out << line << '\n';
    inv.out << "OK\n";
    return 0;
}

int removeTarget(Invocation& inv) {
    const QString name = inv.positional(0);
    removeComputeTarget(inv.workspace(), name);
    inv.out << "Removed compute target '" << name << "'\n";
    return 0;
}

int follow(Invocation& inv) {
    // Fork before the workspace is opened: an SQLite connection must never cross a fork.
    if (!inv.flag(QStringLiteral("foreground"))) {
        // Whoever started us reaps this first process at once; the follower goes on alone.
        const pid_t pid = ::fork();
        if (pid < 0)
            throw Error(QStringLiteral("Cannot start the follower (fork failed)."));
        if (pid > 0)
            ::_exit(0);
        ::setsid();
    }
    FollowOptions options;
    options.workspaceRoot = inv.workspace().root();
    options.runId = inv.positional(0);
    if (auto fd = inv.intValue(QStringLiteral("lock-fd")))
        options.lockFd = static_cast<int>(*fd);
    if (auto ms = inv.intValue(QStringLiteral("poll-ms")))
        options.pollMs = static_cast<int>(*ms);
    return followRemoteRun(options);
}

QList<OptionSpec> sshOptions() {
    return {{QStringLiteral("host"), {}, QStringLiteral("HOST"), QStringLiteral("the machine's name or address")},
            {QStringLiteral("port"), {}, QStringLiteral("P"), QStringLiteral("sshd's port (default 22)")},
            {QStringLiteral("user"), {}, QStringLiteral("USER"), QStringLiteral("the account there")},
            {QStringLiteral("identity"), {}, QStringLiteral("KEY"), QStringLiteral("private key file (keys only)")},
            {QStringLiteral("known-hosts"), {}, QStringLiteral("FILE"), QStringLiteral("known_hosts file to check the host key against")},
            {QStringLiteral("host-key-policy"), {}, QStringLiteral("POLICY"),
             QStringLiteral("strict (default: the key must be known) or accept-new")},
            {QStringLiteral("remote-dir"), {}, QStringLiteral("DIR"), QStringLiteral("folder there for runs (absolute)")},
            {QStringLiteral("python"), {}, QStringLiteral("EXE"), QStringLiteral("the interpreter there for .py scripts")},
            jsonOption()};
}

} // namespace

void registerRemoteCommands(CommandLine& cli) {
    const QList<PositionalSpec> nameArg{{QStringLiteral("NAME"), QStringLiteral("the target's name")}};
    cli.add({{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("ssh")},
             QStringLiteral("Create a compute target on a remote machine reached with ssh."),
             sshOptions(), nameArg, false, createSsh});
    QList<OptionSpec> slurm = sshOptions();
    slurm[0].help = QStringLiteral("the login node (default: Slurm on this machine)");
    slurm << OptionSpec{QStringLiteral("partition"), {}, QStringLiteral("P"), QStringLiteral("Slurm partition")}
          << OptionSpec{QStringLiteral("account"), {}, QStringLiteral("A"), QStringLiteral("Slurm account")}
          << OptionSpec{QStringLiteral("time-limit"), {}, QStringLiteral("MIN"),
                        QStringLiteral("time limit in minutes when the run sets none")}
          << OptionSpec{QStringLiteral("gpus-per-node"), {}, QStringLiteral("G"),
                        QStringLiteral("GPUs per node for runs with use_gpu (default 1)")};
    cli.add({{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm")},
             QStringLiteral("Create a compute target on a Slurm cluster (through ssh, or on this machine)."),
             slurm, nameArg, false, createSlurm});
    cli.add({{QStringLiteral("compute"), QStringLiteral("test")},
             QStringLiteral("Check that a compute target can be reached and print what was found."),
             {jsonOption()}, nameArg, false, testTarget});
    cli.add({{QStringLiteral("compute"), QStringLiteral("remove")},
             QStringLiteral("Remove a compute target that has no unfinished runs."),
             {}, nameArg, false, removeTarget});
    cli.add({{QStringLiteral("remote"), QStringLiteral("follow")},
             QStringLiteral("(internal) Follow a run on a remote target to its end."),
             {{QStringLiteral("lock-fd"), {}, QStringLiteral("FD"), QStringLiteral("descriptor holding the run's lock")},
              {QStringLiteral("poll-ms"), {}, QStringLiteral("MS"), QStringLiteral("poll interval (default 200)")},
              {QStringLiteral("foreground"), {}, {}, QStringLiteral("do not detach")}},
             {{QStringLiteral("RUN"), QStringLiteral("the run id")}}, false, follow});
}

} // namespace lb::cli
