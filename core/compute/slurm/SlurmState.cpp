#include "core/compute/slurm/SlurmState.h"

#include <QRegularExpression>

namespace lb {

namespace {

QString field(const QString& line, const QString& key) {
    const QRegularExpression re(QStringLiteral("(?:^|\\s)%1=(\\S*)").arg(QRegularExpression::escape(key)));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

std::optional<SlurmJobInfo> parseLine(const QString& line) {
    SlurmJobInfo info;
    info.state = field(line, QStringLiteral("JobState"));
    if (info.state.isEmpty())
        return std::nullopt;
    const qsizetype plus = info.state.indexOf(QLatin1Char('+'));
    if (plus >= 0)
        info.state.truncate(plus);
    info.reason = field(line, QStringLiteral("Reason"));
    const QStringList code = field(line, QStringLiteral("ExitCode")).split(QLatin1Char(':'));
    if (!code.isEmpty())
        info.exitCode = code.value(0).toInt();
    if (code.size() > 1)
        info.signal = code.value(1).toInt();
    info.nodes = field(line, QStringLiteral("NodeList"));
    if (info.nodes == QLatin1String("(null)"))
        info.nodes.clear();
    info.requeue = field(line, QStringLiteral("Requeue")) == QLatin1String("1");
    info.restarts = field(line, QStringLiteral("Restarts")).toInt();
    return info;
}

} // namespace

std::optional<SlurmJobInfo> parseScontrolJob(const QByteArray& text) {
    for (const QByteArray& raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(QLatin1String("JobId=")))
            return parseLine(line);
    }
    return std::nullopt;
}

std::optional<SlurmJobInfo> parseJobCompletion(const QByteArray& fileText, const QString& jobId) {
    std::optional<SlurmJobInfo> found;
    const QString prefix = QStringLiteral("JobId=%1 ").arg(jobId);
    // An array task (ID_TASK) has its own job id there, and names its array and index.
    const QString arrayJob = jobId.section(QLatin1Char('_'), 0, 0);
    const QString arrayTask = jobId.contains(QLatin1Char('_')) ? jobId.section(QLatin1Char('_'), 1) : QString();
    for (const QByteArray& raw : fileText.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        const bool task = !arrayTask.isEmpty() && field(line, QStringLiteral("ArrayJobId")) == arrayJob &&
                          field(line, QStringLiteral("ArrayTaskId")) == arrayTask;
        if (line.startsWith(prefix) || task)
            if (auto info = parseLine(line))
                found = info; // the last record wins (a requeued job has several)
    }
    return found;
}

SlurmStateMapping mapSlurmState(const QString& state) {
    const QString s = state.section(QLatin1Char(' '), 0, 0).toUpper();
    if (s == QLatin1String("PENDING"))
        return {RunStatus::Queued, false};
    // Off its nodes, and Slurm queues it again (or may).
    if (s == QLatin1String("PREEMPTED") || s == QLatin1String("REQUEUED") || s == QLatin1String("REQUEUE_HOLD") ||
        s == QLatin1String("REQUEUE_FED"))
        return {RunStatus::Preempted, false};
    if (s == QLatin1String("CONFIGURING"))
        return {RunStatus::Preparing, false};
    if (s == QLatin1String("COMPLETING") || s == QLatin1String("STAGE_OUT"))
        return {RunStatus::Finalizing, false};
    if (s == QLatin1String("COMPLETED"))
        return {RunStatus::Completed, true};
    if (s == QLatin1String("CANCELLED"))
        return {RunStatus::Canceled, true};
    static const QStringList failed{QStringLiteral("FAILED"),    QStringLiteral("TIMEOUT"),
                                    QStringLiteral("OUT_OF_MEMORY"), QStringLiteral("NODE_FAIL"),
                                    QStringLiteral("BOOT_FAIL"), QStringLiteral("DEADLINE"),
                                    QStringLiteral("REVOKED"),
                                    QStringLiteral("SPECIAL_EXIT")};
    if (failed.contains(s))
        return {RunStatus::Failed, true};
    return {RunStatus::Running, false}; // RUNNING, SUSPENDED, RESIZING, SIGNALING, …
}

SlurmStateMapping mapSlurmJob(const SlurmJobInfo& info, bool fromCompletionFile) {
    const QString s = info.state.section(QLatin1Char(' '), 0, 0).toUpper();
    if (s == QLatin1String("PREEMPTED") && (fromCompletionFile || !info.requeue))
        return {RunStatus::Failed, true};
    return mapSlurmState(s);
}

QString slurmFailureReason(const SlurmJobInfo& info, const QString& jobId) {
    const QString s = info.state.toUpper();
    const QString reason = info.reason.isEmpty() || info.reason == QLatin1String("None") ? QString()
                                                                                       : QStringLiteral(", reason ") + info.reason;
    const QString on = info.nodes.isEmpty() ? QString() : QStringLiteral(" on %1").arg(info.nodes);
    if (s == QLatin1String("PREEMPTED"))
        return QStringLiteral("Preempted by Slurm (job %1%2%3): a higher-priority job took its nodes and Slurm will "
                              "not requeue it; submit the run again, or use a partition that is not preempted.")
            .arg(jobId, on, reason);

    if (s == QLatin1String("TIMEOUT"))
        return QStringLiteral("TIMEOUT: Slurm stopped job %1 at its time limit; raise max_run_duration_seconds "
                              "(or the target's --time-limit).")
            .arg(jobId);
    if (s == QLatin1String("OUT_OF_MEMORY"))
        return QStringLiteral("OUT_OF_MEMORY: job %1 ran out of memory; ask for more memory or use a smaller "
                              "batch.")
            .arg(jobId);
    if (s == QLatin1String("NODE_FAIL"))
        return info.nodes.isEmpty()
                   ? QStringLiteral("NODE_FAIL: a node of job %1 failed; submit the run again.").arg(jobId)
                   : QStringLiteral("NODE_FAIL: node failure on %1 (job %2%3); submit the run again "
                                    "(Slurm keeps a failed node out until an admin resumes it).")
                         .arg(info.nodes, jobId, reason);
    if (s == QLatin1String("FAILED"))
        return info.signal ? QStringLiteral("FAILED: job %1 was killed by signal %2.").arg(jobId).arg(info.signal)
                           : QStringLiteral("FAILED: job %1 exited with code %2.").arg(jobId).arg(info.exitCode);
    if (mapSlurmState(s).status == RunStatus::Failed)
        return QStringLiteral("%1: Slurm ended job %2 this way (reason %3).")
            .arg(s, jobId, info.reason.isEmpty() ? QStringLiteral("none given") : info.reason);
    return {};
}

QString slurmPreemptionNote(const SlurmJobInfo& info, const QString& jobId) {
    const QString on = info.nodes.isEmpty() ? QString() : QStringLiteral(" on %1").arg(info.nodes);
    return QStringLiteral("Preempted by Slurm (job %1%2, %3): it waits to be queued again.")
        .arg(jobId, on, info.state.toUpper());
}

} // namespace lb
