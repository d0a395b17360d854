#include "core/runs/RunDelete.h"

#include "core/runs/RunControl.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>

#include <sys/stat.h>

namespace lb {

qint64 diskUsage(const QString& dir) {
    qint64 bytes = 0;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat st {};
        if (::lstat(QFile::encodeName(path).constData(), &st) == 0)
            bytes += qint64(st.st_blocks) * 512;
    }
    return bytes;
}

DeletePlan planDelete(Workspace& ws, const QStringList& idsOrPrefixes, bool force) {
    DeletePlan plan;
    QSet<QString> seen;
    auto runs = ws.store().runs();
    auto add = [&](const RunRecord& run) {
        if (seen.contains(run.id))
            return;
        seen.insert(run.id);
        plan.runs << run;
        if (!isTerminal(run.status))
            plan.refusals << QStringLiteral("Run %1 is %2; cancel it first ('labbench cancel %1').")
                                 .arg(run.id, toString(run.status));
        const QStringList models = runs.modelsFrom(run.id);
        if (!models.isEmpty() && !force)
            plan.refusals << QStringLiteral("Run %1's outputs back the registered model %2; give --force to delete it "
                                            "anyway (the registered files stay).")
                                 .arg(run.id, models.join(QStringLiteral(", ")));
    };
    for (const QString& id : idsOrPrefixes) {
        const RunRecord run = reconcileRun(ws, findRun(ws, id));
        add(run);
        for (const RunRecord& child : runs.children(run.id))
            add(reconcileRun(ws, child));
    }
    for (const RunRecord& run : plan.runs)
        plan.bytes += diskUsage(run.runDir);
    return plan;
}

int deleteRuns(Workspace& ws, const DeletePlan& plan, const std::function<void(int, int)>& progress) {
    if (!plan.refusals.isEmpty())
        throw Error(plan.refusals.first());
    // Only folders inside this workspace's runs/ are removed, whatever the store says.
    const QString runsRoot = QFileInfo(ws.runsDir()).canonicalFilePath() + QLatin1Char('/');
    QStringList ids;
    for (const RunRecord& run : plan.runs)
        ids << run.id;
    const int removed = ws.store().runs().removeRuns(ids);
    QStringList left;
    int done = 0;
    for (const RunRecord& run : plan.runs) {
        const QFileInfo folder(run.runDir);
        const QString canonical = folder.canonicalFilePath();
        if (folder.exists() && !canonical.isEmpty() && canonical.startsWith(runsRoot) && !folder.isSymLink()) {
            if (!QDir(canonical).removeRecursively())
                left << canonical;
        }
        if (progress)
            progress(++done, int(plan.runs.size()));
    }
    if (!left.isEmpty())
        throw Error(QStringLiteral("The runs were deleted from the workspace, but these folders could not be "
                                   "removed; remove them by hand: %1")
                        .arg(left.join(QStringLiteral(", "))));
    return removed;
}

} // namespace lb
