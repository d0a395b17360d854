#include "core/lifecycle/RunFinish.h"

#include "core/lifecycle/RunIngester.h"
#include "core/lifecycle/RunProcesses.h"
#include "core/lifecycle/Spawn.h"
#include "core/store/Store.h"
#include "core/util/BytePaths.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFile>

#include <csignal>
#include <unistd.h>

namespace lb {

QList<RunFile> listKeptFiles(const RunFolder& folder) {
    // Names are bytes: a file whose name is not UTF-8 is listed too, with its exact name (#25).
    QList<RunFile> files;
    for (const QString& kept : RunFolder::keptFolders()) {
        const QString root = folder.snapshotDir() + QLatin1Char('/') + kept;
        if (isSymbolicLink(root))
            continue;
        for (const FoundFile& f : regularFilesUnder(root))
            files.append({kept + QLatin1Char('/') + f.relative, f.size});
    }
    std::sort(files.begin(), files.end(), [](const RunFile& a, const RunFile& b) { return a.path < b.path; });
    return files;
}

QString lastLines(const QString& path, int count, int maxChars) {
    const std::optional<SafeFile> file = SafeFile::openIfRegular(path);
    if (!file)
        return {};
    const qint64 size = file->size();
    const qint64 from = std::max<qint64>(0, size - 16 * 1024);
    QByteArray tail;
    try {
        tail = file->readAt(from, size - from);
    } catch (const Error&) {
        return {};
    }
    QStringList lines = QString::fromUtf8(tail).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (from > 0 && !lines.isEmpty())
        lines.removeFirst(); // probably cut in the middle
    lines = lines.mid(std::max<qsizetype>(0, lines.size() - count));
    QString text = lines.join(QStringLiteral(" | ")).trimmed();
    if (text.size() > maxChars)
        text = QStringLiteral("…") + text.right(maxChars);
    return text;
}

void appendToDriverLog(const RunFolder& folder, const QString& line) {
    // Never blocks on a FIFO the script put in driver.log's place, nor follows a link (#25).
    const int fd = openForAppend(folder.driverLog());
    if (fd < 0)
        return;
    const QByteArray bytes = line.toUtf8() + '\n';
    [[maybe_unused]] const ssize_t n = ::write(fd, bytes.constData(), static_cast<size_t>(bytes.size()));
    ::close(fd);
}

void finalizeRun(Store& store, const RunRecord& run, const ExitRecord& exit, RunIngester& ingester) {
    auto runs = store.runs();
    const bool started = exit.exitCode.has_value();
    // One moment for both stamps: the script's end (the supervisor's clock, written in
    // exit.json). Finalizing begins there and the final state keeps it, so the run's duration is
    // the script's. Stamping Finalizing with "now" instead put it after the final state, which
    // carries the earlier end time (#23 item 7: "Completed" 1 ms before "Finalizing").
    const QDateTime end = exit.endTime.isValid() ? exit.endTime : QDateTime::currentDateTimeUtc();
    if (started)
        runs.transition(run.id, RunStatus::Finalizing, {}, end);
    ingester.ingest(/*final=*/true);
    runs.setFiles(run.id, listKeptFiles(RunFolder(run.runDir)));
    if (exit.exitCode)
        runs.setExitCode(run.id, *exit.exitCode);
    if (exit.canceled) {
        runs.transition(run.id, RunStatus::Canceled, QStringLiteral("Canceled by the user."), end);
    } else if (!exit.reason.isEmpty()) {
        runs.transition(run.id, RunStatus::Failed, exit.reason, end);
    } else if (exit.exitCode && *exit.exitCode == 0) {
        runs.transition(run.id, RunStatus::Completed, {}, end);
    } else {
        QString why = exit.signal ? QStringLiteral("The script was killed by signal %1.").arg(*exit.signal)
                                  : QStringLiteral("The script exited with code %1.").arg(exit.exitCode.value_or(-1));
        const QString tail = lastLines(RunFolder(run.runDir).driverLog(), 5);
        if (!tail.isEmpty())
            why += QStringLiteral(" Last lines of driver.log: ") + tail;
        runs.transition(run.id, RunStatus::Failed, why, end);
    }
    writeRunJson(store, run.id);
}

void finishAbandonedRun(Store& store, const RunRecord& run) {
    const RunFolder folder(run.runDir);
    RunIngester ingester(store, run.id, run.runDir,
                         [&](const QString& line) { appendToDriverLog(folder, line); });
    if (const auto exit = ExitRecord::read(folder.exitJson())) {
        finalizeRun(store, run, *exit, ingester);
        return;
    }
    // No exit record: the supervisor died with its script possibly still running. Stop the
    // script's group if it is still the very process the supervisor started.
    QString stopped;
    try {
        const Json p = readJsonFile(folder.processJson(), FollowLinks::No);
        const pid_t pid = p.value("pid", 0);
        const std::uint64_t ticks = p.value("start_ticks", std::uint64_t{0});
        if (pid > 0 && ticks != 0 && processStartTicks(pid) == ticks) {
            ::kill(-pid, SIGKILL);
            stopped = QStringLiteral(" Its script (process %1) was stopped.").arg(pid);
        }
        // What the script started outside its group (a setsid daemon) is in the run's cgroup.
        const int more = stopRunCgroup(fromStd(p.value("cgroup", std::string())), run.id);
        if (more > 0)
            stopped += QStringLiteral(" %1 process(es) left in the run's cgroup were stopped.").arg(more);
    } catch (const std::exception&) {
    }
    ingester.ingest(/*final=*/true);
    store.runs().setFiles(run.id, listKeptFiles(folder));
    store.runs().transition(run.id, RunStatus::Failed,
                            QStringLiteral("The supervisor vanished (it was killed or the machine "
                                           "restarted) before the run ended.") + stopped);
    writeRunJson(store, run.id);
}

} // namespace lb
