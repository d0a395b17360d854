// labbench sweep submit | show | cancel | resume
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/runs/RunControl.h"
#include "core/store/Store.h"
#include "core/sweep/Sweep.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QElapsedTimer>
#include <QHash>
#include <QThread>

#include <cmath>

namespace lb::cli {

namespace {

QString opt(const char* name) { return QString::fromLatin1(name); }

QString metricText(const std::optional<double>& v) {
    return v && std::isfinite(*v) ? QString::number(*v, 'g', 6) : QStringLiteral("-");
}

QString paramsText(const Json& params) {
    QStringList words;
    for (auto it = params.begin(); it != params.end(); ++it)
        words.append(fromStd(it.key()) + QLatin1Char('=') + sweep::valueText(it.value()));
    return words.join(QLatin1Char(' '));
}

void printSummary(QTextStream& out, const sweep::SweepSummary& s) {
    out << "Sweep:      " << s.parent.id << '\n'
        << "Experiment: " << s.parent.experiment << '\n'
        << "Status:     " << toString(s.parent.status) << '\n';
    if (!s.parent.reason.isEmpty())
        out << "Reason:     " << s.parent.reason << '\n';
    out << "Sampling:   " << s.spec.methodName() << ", " << s.children.size() << " of " << s.spec.maxTotalRuns
        << " runs, at most " << s.spec.maxConcurrentRuns << " at a time\n"
        << "Primary:    " << s.spec.primaryMetric << " (" << (s.spec.maximize ? "maximize" : "minimize") << ")\n"
        << "Policy:     " << s.spec.policy.name() << '\n'
        << "Best:       " << (s.bestId.isEmpty() ? QStringLiteral("-") : s.bestId + QStringLiteral(" (") +
                                                                         metricText(s.bestValue) + QLatin1Char(')'))
        << "\nChildren:\n";
    for (const sweep::SweepChild& c : s.children) {
        out << "  " << c.run.id.leftJustified(43) << ' ' << toString(c.run.status).leftJustified(10) << ' '
            << metricText(c.primaryMetric).leftJustified(10) << ' ' << paramsText(c.params) << '\n';
        if (!c.run.reason.isEmpty() && c.run.status != RunStatus::Completed)
            out << "      " << c.run.reason << '\n';
    }
}

int submit(Invocation& inv) {
    sweep::SweepSpec spec = sweep::SweepSpec::load(inv.positional(0));
    if (auto e = inv.value(opt("experiment")))
        spec.experiment = *e;
    Workspace& ws = inv.workspace();
    const RunRecord parent = sweep::submitSweep(ws, spec);
    inv.out << parent.id << '\n';
    inv.out.flush();
    if (!inv.flag(opt("wait")))
        return 0;
    // Follow: one line per child state change, then the summary.
    QHash<QString, RunStatus> seen;
    for (;;) {
        const sweep::SweepSummary s = sweep::loadSweep(ws, parent.id);
        for (const sweep::SweepChild& c : s.children) {
            if (seen.contains(c.run.id) && seen.value(c.run.id) == c.run.status)
                continue;
            seen.insert(c.run.id, c.run.status);
            inv.err << "labbench: " << c.run.id << ' ' << toString(c.run.status) << ' ' << paramsText(c.params);
            if (isTerminal(c.run.status))
                inv.err << ' ' << s.spec.primaryMetric << '=' << metricText(c.primaryMetric);
            inv.err << '\n';
            inv.err.flush();
        }
        if (isTerminal(s.parent.status)) {
            printSummary(inv.out, s);
            return s.parent.status == RunStatus::Completed ? 0 : 1;
        }
        QThread::msleep(200);
    }
}

int show(Invocation& inv) {
    const sweep::SweepSummary s = sweep::loadSweep(inv.workspace(), inv.positional(0));
    if (inv.flag(opt("json")))
        printJson(inv.out, s.toJson());
    else
        printSummary(inv.out, s);
    return 0;
}

int cancel(Invocation& inv) {
    Workspace& ws = inv.workspace();
    RunRecord parent = sweep::cancelSweep(ws, inv.positional(0));
    QElapsedTimer clock;
    clock.start();
    while (!isTerminal(parent.status) && clock.elapsed() < 20000) {
        QThread::msleep(50);
        parent = reconcileRun(ws, ws.store().runs().find(parent.id).value_or(parent));
    }
    inv.out << parent.id << ' ' << toString(parent.status) << '\n';
    if (!isTerminal(parent.status)) {
        inv.err << "labbench: the sweep has not stopped yet; its driver ends it once every child has stopped.\n";
        return 1;
    }
    return 0;
}

int resume(Invocation& inv) {
    const RunRecord parent = sweep::resumeSweep(inv.workspace(), inv.positional(0));
    inv.out << parent.id << '\n';
    return 0;
}

PositionalSpec sweepArg() {
    return {QStringLiteral("SWEEP"), QStringLiteral("a sweep id (or a unique prefix of one)")};
}

} // namespace

void registerSweepCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("sweep"), QStringLiteral("submit")},
             QStringLiteral("Start a hyperparameter sweep from a JSON spec; prints the sweep id first."),
             {{opt("experiment"), {}, QStringLiteral("NAME"), QStringLiteral("the experiment (default: the spec's)")},
              {opt("wait"), {}, {}, QStringLiteral("follow the sweep until it ends; exit 0 when it completed")}},
             {{QStringLiteral("FILE"), QStringLiteral("the sweep spec (JSON)")}},
             false,
             submit});
    cli.add({{QStringLiteral("sweep"), QStringLiteral("show")},
             QStringLiteral("Show a sweep: status, best child, children with their parameters and primary metric."),
             {jsonOption()},
             {sweepArg()},
             false,
             show});
    cli.add({{QStringLiteral("sweep"), QStringLiteral("cancel")},
             QStringLiteral("Cancel a sweep and every child run still active."),
             {},
             {sweepArg()},
             false,
             cancel});
    cli.add({{QStringLiteral("sweep"), QStringLiteral("resume")},
             QStringLiteral("Continue a sweep whose driver is gone; prints the id of the sweep that runs."),
             {},
             {sweepArg()},
             false,
             resume});
}

} // namespace lb::cli
