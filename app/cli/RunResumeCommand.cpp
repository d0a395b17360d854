// labbench runs resume RUN: the next attempt of a Failed, Canceled or Preempted run (issue 20
// item 2), from the last checkpoint the run reported.
#include "app/cli/RunCommands.h"

#include "core/runs/RunControl.h"
#include "core/runs/RunResume.h"
#include "core/store/RunAttempts.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

int resume(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = resumeRun(ws, findRun(ws, inv.positional(0)));
    const QList<RunAttempt> attempts = RunAttemptRepository(ws.store().database()).attempts(run.id);
    const RunAttempt& now = attempts.last();
    inv.out << run.id << " attempt " << now.number << ' ' << toString(run.status) << '\n';
    inv.err << "labbench: "
            << (now.resumedFrom.isEmpty() ? QStringLiteral("no checkpoint was reported; the script starts over")
                                          : QStringLiteral("resuming from %1").arg(now.resumedFrom))
            << '\n';
    inv.out.flush();
    if (!inv.flag(QStringLiteral("wait")))
        return 0;
    const RunRecord done = waitForRun(ws, run.id);
    inv.out << done.id << ' ' << toString(done.status) << '\n';
    if (!done.reason.isEmpty())
        inv.err << "labbench: " << done.reason << '\n';
    return exitStatusOf(done);
}

} // namespace

void registerRunResumeCommand(CommandLine& cli) {
    cli.add({{QStringLiteral("runs"), QStringLiteral("resume")},
             QStringLiteral("Start a new attempt of a Failed, Canceled or Preempted run: same id, "
                            "estimator, target and folder, from the last checkpoint it reported "
                            "(LABBENCH_RESUME_CHECKPOINT)."),
             {{QStringLiteral("wait"), {}, {}, QStringLiteral("wait until the attempt ends")}},
             {{QStringLiteral("RUN"), QStringLiteral("a run id (or a unique prefix of one)")}},
             false,
             resume});
}

} // namespace lb::cli
