#include "core/store/RunDisplayName.h"

#include "core/store/RunRows.h"
#include "core/store/RunStatus.h"

#include <QCoreApplication>

namespace lb {

QString runDisplayName(const RunRecord& run) {
    if (!run.name.trimmed().isEmpty())
        return run.name.trimmed();
    return QCoreApplication::translate("lb::RunDisplayName", "run %1").arg(run.number);
}

QStringList distinctRunDisplayNames(const QList<RunRecord>& runs) {
    QStringList names;
    for (const RunRecord& r : runs)
        names.append(runDisplayName(r));
    const auto clashes = [&](qsizetype i) { return names.count(names[i]) > 1; };
    // Widen only the names that clash, so unambiguous ones stay short.
    QList<bool> widen(names.size(), false);
    for (qsizetype i = 0; i < names.size(); ++i)
        widen[i] = clashes(i);
    for (qsizetype i = 0; i < names.size(); ++i)
        if (widen[i])
            names[i] = QStringLiteral("%1 · %2").arg(names[i], runs[i].experiment);
    for (qsizetype i = 0; i < names.size(); ++i)
        widen[i] = clashes(i);
    for (qsizetype i = 0; i < names.size(); ++i)
        if (widen[i])
            names[i] = QStringLiteral("%1 (%2)").arg(names[i], runs[i].id);
    return names;
}

QString runToolTip(const RunRecord& run) {
    QStringList lines;
    lines << QStringLiteral("%1 — run %2 of %3").arg(runDisplayName(run)).arg(run.number).arg(run.experiment);
    lines << QStringLiteral("id %1").arg(run.id);
    lines << QStringLiteral("%1 on %2").arg(toString(run.status), run.computeTarget);
    const QStringList words = scriptWordsOf(run.estimatorJson);
    if (!words.isEmpty()) {
        // The key parameters; a long list is cut, the compare view shows all of them.
        QString params = words.join(QLatin1Char(' '));
        if (params.size() > 200)
            params = params.left(199) + QStringLiteral("…");
        lines << params;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace lb
