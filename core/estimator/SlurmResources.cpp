#include "core/estimator/SlurmResources.h"

#include <QRegularExpression>

namespace lb {

QString slurmTimeProblem(const QString& time) {
    if (time.isEmpty())
        return {};
    static const QString forms =
        QStringLiteral("use MINUTES (90), MINUTES:SECONDS (90:30), HOURS:MINUTES:SECONDS (1:30:00), "
                       "DAYS-HOURS (2-12), DAYS-HOURS:MINUTES (2-12:30) or DAYS-HOURS:MINUTES:SECONDS "
                       "(2-12:30:00)");
    // An optional DAYS-, then one to three colon-separated numbers.
    static const QRegularExpression re(QStringLiteral("^(?:(\\d{1,5})-)?(\\d{1,7})(?::(\\d{1,2}))?(?::(\\d{1,2}))?$"));
    const auto m = re.match(time);
    if (!m.hasMatch())
        return QStringLiteral("The Slurm time '%1' is not a time Slurm accepts; %2.").arg(time, forms);
    const bool days = m.capturedLength(1) > 0;
    // After the first number, every part is below 60 (hours below 24 after days).
    long long total = 0;
    for (int i = 2; i <= 4; ++i) {
        if (m.capturedLength(i) == 0)
            continue;
        const long long v = m.captured(i).toLongLong();
        const bool first = i == 2;
        if ((!first || days) && v >= (first && days ? 24 : 60))
            return QStringLiteral("The Slurm time '%1' has a part out of range (hours below 24 after "
                                  "days, minutes and seconds below 60); %2.")
                .arg(time, forms);
        total += v;
    }
    total += days ? m.captured(1).toLongLong() : 0;
    if (total == 0)
        return QStringLiteral("The Slurm time '%1' is zero; give a limit above zero, or leave it "
                              "empty for the target's limit (%2).")
            .arg(time, forms);
    return {};
}

QString slurmMemProblem(const QString& mem) {
    if (mem.isEmpty())
        return {};
    static const QRegularExpression re(QStringLiteral("^[1-9]\\d{0,11}[KMGTkmgt]?$"));
    if (!re.match(mem).hasMatch())
        return QStringLiteral("The Slurm memory '%1' is not a size; give a whole number above 0 with "
                              "an optional unit K, M, G or T, e.g. 4G or 500M (megabytes without a "
                              "unit).")
            .arg(mem);
    return {};
}

QString slurmGresProblem(const QString& gres) {
    if (gres.isEmpty())
        return {};
    // A type starts with a letter, so that "gpu:0" is a count of 0 (refused), not a type "0".
    static const QRegularExpression one(QStringLiteral("^[A-Za-z][A-Za-z0-9_]*(?::[A-Za-z][A-Za-z0-9_.-]*)?(?::[1-9]\\d*)?$"));
    for (const QString& part : gres.split(QLatin1Char(',')))
        if (!one.match(part).hasMatch())
            return QStringLiteral("The Slurm resources '%1' are not in Slurm's --gres form; write "
                                  "NAME[:TYPE][:COUNT] joined by commas, e.g. gpu:2 or gpu:a100:1.")
                .arg(gres);
    return {};
}

QString slurmMaxRequeuesProblem(long long requeues) {
    if (requeues >= 0 && requeues <= kMostSlurmMaxRequeues)
        return {};
    return QStringLiteral("The Slurm requeue limit %1 is out of range; give 0 (never requeue) to %2 "
                          "(the default is %3).")
        .arg(requeues)
        .arg(kMostSlurmMaxRequeues)
        .arg(kDefaultSlurmMaxRequeues);
}

} // namespace lb
