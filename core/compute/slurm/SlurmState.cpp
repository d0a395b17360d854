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
    for (const QByteArray& raw : fileText.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(prefix))
            if (auto info = parseLine(line))
                found = info; // the last record wins (a requeued job has several)
    }
    return found;
}

SlurmStateMapping mapSlurmState(const QString& state) {
    const QString s = state.section(QLatin1Char(' '), 0, 0).toUpper();
    if (s == QLatin1String("PENDING") || s == QLatin1String("REQUEUED") || s == QLatin1String("REQUEUE_HOLD") ||
        s == QLatin1String("REQUEUE_FED"))
        return {RunStatus::Queued, false};
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
                                    QStringLiteral("PREEMPTED"), QStringLiteral("REVOKED"),
                                    QStringLiteral("SPECIAL_EXIT")};
    if (failed.contains(s))
        return {RunStatus::Failed, true};
    return {RunStatus::Running, false}; // RUNNING, SUSPENDED, RESIZING, SIGNALING, …
}

QString slurmFailureReason(const SlurmJobInfo& info, const QString& jobId) {
    const QString s = info.state.toUpper();
    if (s == QLatin1String("TIMEOUT"))
        return QStringLiteral("TIMEOUT: Slurm stopped job %1 at its time limit; raise max_run_duration_seconds "
                              "(or the target's --time-limit).")
            .arg(jobId);
    if (s == QLatin1String("OUT_OF_MEMORY"))
        return QStringLiteral("OUT_OF_MEMORY: job %1 ran out of memory; ask for more memory or use a smaller "
                              "batch.")
            .arg(jobId);
    if (s == QLatin1String("NODE_FAIL"))
        return QStringLiteral("NODE_FAIL: a node of job %1 failed; submit the run again.").arg(jobId);
    if (s == QLatin1String("FAILED"))
        return info.signal ? QStringLiteral("FAILED: job %1 was killed by signal %2.").arg(jobId).arg(info.signal)
                           : QStringLiteral("FAILED: job %1 exited with code %2.").arg(jobId).arg(info.exitCode);
    if (mapSlurmState(s).status == RunStatus::Failed)
        return QStringLiteral("%1: Slurm ended job %2 this way (reason %3).")
            .arg(s, jobId, info.reason.isEmpty() ? QStringLiteral("none given") : info.reason);
    return {};
}

} // namespace lb
