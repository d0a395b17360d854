// labbench logs | metrics | files | download
#include "app/cli/RunCommands.h"

#include "app/cli/JsonOutput.h"
#include "app/cli/SystemMetricsCommand.h"

#include "core/runs/RunControl.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/store/Store.h"
#include "core/util/BytePaths.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/util/ShortestNumber.h"
#include "core/util/SparseCopy.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace lb::cli {

namespace {

QString opt(const char* name) { return QString::fromLatin1(name); }

int logs(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    const QString log = RunFolder(run.runDir).driverLog();
    inv.out.flush();
    qint64 offset = streamFileFrom(log, 0);
    if (inv.flag(opt("follow")) && !isTerminal(run.status)) {
        waitForRun(ws, run.id, [&] { offset = streamFileFrom(log, offset); });
        streamFileFrom(log, offset);
    }
    return 0;
}

// The shortest text that reads back to the same double: no float noise such as
// 0.17906723499999999 (#23 item 15).
QString number(double v) { return shortestNumber(v); }

int metrics(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    if (inv.flag(opt("system"))) return printSystemMetrics(inv, run);
    auto store = ws.store().metrics();
    if (inv.flag(opt("json")) && inv.flag(opt("csv")))
        throw UsageError(QStringLiteral("Choose one of --json and --csv."));
    // Points a resumed attempt superseded stay out unless asked for (issue 20 item 2); with
    // them, each point says its attempt and whether it is superseded.
    const bool allAttempts = inv.flag(opt("all-attempts"));
    const auto points = store.all(run.id, allAttempts);
    if (inv.flag(opt("json"))) {
        Json j = Json::array();
        for (const MetricPoint& p : points) {
            Json point = {{"name", toStd(p.name)}, {"step", p.step}, {"value", jsonNumber(p.value)},
                          {"time", jsonNumber(p.time)}}; // NaN -> "NaN", not null (#25)
            if (allAttempts) {
                point["attempt"] = p.attempt;
                point["superseded"] = p.superseded;
            }
            j.push_back(point);
        }
        printJson(inv.out, j);
        return 0;
    }
    if (inv.flag(opt("csv"))) {
        inv.out << (allAttempts ? "name,step,value,time,attempt,superseded\n" : "name,step,value,time\n");
        for (const MetricPoint& p : points) {
            QString name = p.name;
            if (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"')))
                name = QLatin1Char('"') + name.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
            inv.out << name << ',' << p.step << ',' << number(p.value) << ',' << QString::number(p.time, 'f', 3);
            if (allAttempts)
                inv.out << ',' << p.attempt << ',' << (p.superseded ? 1 : 0);
            inv.out << '\n';
        }
        return 0;
    }
    const QStringList names = store.names(run.id);
    if (names.isEmpty()) {
        inv.out << "No metrics logged (yet).\n";
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(32) << QStringLiteral("POINTS").rightJustified(9)
            << QStringLiteral("LAST STEP").rightJustified(11) << "  LAST VALUE"
            << (allAttempts ? "  SUPERSEDED\n" : "\n");
    for (const QString& name : names) {
        qint64 count = 0, superseded = 0;
        MetricPoint last;
        for (const MetricPoint& p : points) {
            if (p.name != name)
                continue;
            if (p.superseded) {
                ++superseded;
                continue;
            }
            ++count;
            last = p;
        }
        if (count == 0 && superseded == 0)
            continue;
        QString line = name.leftJustified(31) + QLatin1Char(' ') + QString::number(count).rightJustified(9) +
                       QString::number(last.step).rightJustified(11) + QStringLiteral("  ") + number(last.value);
        if (allAttempts)
            line = line.leftJustified(66) + QStringLiteral("  ") + QString::number(superseded);
        inv.out << line << '\n';
    }
    return 0;
}

QList<RunFile> filesOf(Workspace& ws, const RunRecord& run) {
    // The folder is the truth while the run is going; the store has the list once it ended.
    if (isTerminal(run.status)) {
        const auto stored = ws.store().runs().files(run.id);
        if (!stored.isEmpty())
            return stored;
    }
    return listKeptFiles(RunFolder(run.runDir));
}

int files(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    const auto list = filesOf(ws, run);
    if (inv.flag(opt("json"))) {
        Json j = Json::array();
        for (const RunFile& f : list)
            j.push_back({{"path", jsonString(f.path)}, {"size", f.size}});
        printJson(inv.out, j);
        return 0;
    }
    if (list.isEmpty()) {
        inv.out << "The run has no files in outputs/, logs/ or checkpoints/.\n";
        return 0;
    }
    for (const RunFile& f : list)
        inv.out << QString::number(f.size).rightJustified(12) << "  " << displayText(f.path) << '\n';
    return 0;
}

// A run-relative name is safe when it is relative and never climbs: no "..", no leading "/".
bool isSafeRelativeName(const QString& name) {
    if (name.isEmpty() || name.startsWith(QLatin1Char('/')) || QDir::isAbsolutePath(name) ||
        name.contains(QChar(0)))
        return false;
    for (const QString& part : name.split(QLatin1Char('/')))
        if (part == QLatin1String(".."))
            return false;
    return true;
}

int download(Invocation& inv) {
    const QString prefix = inv.valueOr(opt("prefix"), QString());
    if (!prefix.isEmpty() && !isSafeRelativeName(prefix))
        throw Error(QStringLiteral("The prefix '%1' is absolute or contains '..'; give a path inside "
                                   "the run, like outputs/.")
                        .arg(prefix));
    const QString to = inv.valueOr(opt("to"), QString());
    if (to.isEmpty())
        throw UsageError(QStringLiteral("labbench download needs --to DIR."));
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    // Names are bytes (#25): every path below is handled with its exact bytes (BytePaths.h).
    const QString snapshot = canonicalPath(RunFolder(run.runDir).snapshotDir());
    QList<RunFile> chosen;
    for (const RunFile& f : listKeptFiles(RunFolder(run.runDir))) {
        if (!f.path.startsWith(prefix))
            continue;
        if (!isSafeRelativeName(f.path))
            throw Error(QStringLiteral("The run holds a file named '%1', which would land outside "
                                       "%2; nothing was downloaded.")
                            .arg(displayText(f.path), to));
        chosen.append(f);
    }
    if (chosen.isEmpty()) {
        inv.err << "labbench: no files of run " << run.id << " match the prefix '" << prefix << "'.\n";
        return 1;
    }
    const QString target = QDir(to).absolutePath();
    if (!makePath(target))
        throw Error(QStringLiteral("Cannot create %1; check the permissions of its parent.").arg(target));
    const QString root = canonicalPath(target);
    qint64 bytes = 0;
    for (const RunFile& f : chosen) {
        const QString source = QDir(snapshot).filePath(f.path);
        // The source must really be inside the snapshot (no link leads out of it).
        const QString real = canonicalPath(source);
        if (real.isEmpty() || !real.startsWith(snapshot + QLatin1Char('/')))
            continue;
        const QString dest = QDir::cleanPath(root + QLatin1Char('/') + f.path);
        if (!dest.startsWith(root + QLatin1Char('/')))
            throw Error(QStringLiteral("'%1' would land outside %2; nothing more was downloaded.")
                            .arg(displayText(f.path), root));
        const QString destFolder = QFileInfo(dest).absolutePath();
        makePath(destFolder);
        const QString destParent = canonicalPath(destFolder);
        if (destParent != root && !destParent.startsWith(root + QLatin1Char('/')))
            throw Error(QStringLiteral("'%1' would land outside %2 (through a link there); nothing "
                                       "more was downloaded.")
                            .arg(displayText(f.path), root));
        if (pathExists(dest))
            removeFile(dest);
        // Holes stay holes, and a FIFO swapped in since the listing is refused, not waited on (#25).
        copyFileKeepingHoles(real, dest);
        bytes += f.size;
        inv.out << displayText(dest) << '\n';
    }
    inv.err << "labbench: downloaded " << chosen.size() << " file(s), " << bytes << " bytes, to " << root << '\n';
    return 0;
}

PositionalSpec runArg() { return {QStringLiteral("RUN"), QStringLiteral("a run id (or a unique prefix of one)")}; }

} // namespace

void registerRunOutputCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("logs")},
             QStringLiteral("Print a run's driver log (stdout and stderr of the script)."),
             {{QStringLiteral("follow"), QStringLiteral("f"), {}, QStringLiteral("keep printing until the run ends")}},
             {runArg()},
             false,
             logs});
    cli.add({{QStringLiteral("metrics")},
             QStringLiteral("Print a run's metrics (a summary, or every point with --json/--csv)."),
             {jsonOption(),
              {QStringLiteral("csv"), {}, {}, QStringLiteral("print every point as CSV")},
              {QStringLiteral("system"),
               {},
               {},
               QStringLiteral("the system metrics sampled on each node (CPU, memory, disk, "
                              "network, GPUs) instead")},
              {QStringLiteral("all-attempts"),
               {},
               {},
               QStringLiteral("also the points a resumed run superseded (logged after the "
                              "checkpoint it resumed from), each with its attempt")}},
             {runArg()},
             false,
             metrics});
    cli.add({{QStringLiteral("files")},
             QStringLiteral(
                 "List the files a run keeps (outputs/, logs/, checkpoints/) with their sizes."),
             {jsonOption()},
             {runArg()},
             false,
             files});
    cli.add({{QStringLiteral("download")},
             QStringLiteral("Copy a run's files (outputs/, logs/, checkpoints/) into a folder."),
             {{QStringLiteral("to"),
               {},
               QStringLiteral("DIR"),
               QStringLiteral("the folder to copy into")},
              {QStringLiteral("prefix"),
               {},
               QStringLiteral("PREFIX"),
               QStringLiteral("only files whose path starts with it, e.g. outputs/")}},
             {runArg()},
             false,
             download});
}

} // namespace lb::cli
