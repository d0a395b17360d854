#include "core/live/WorkspaceSnapshot.h"

#include "core/workspace/Workspace.h"

#include <QDir>
#include <QHash>

namespace lb {

WorkspaceSnapshot WorkspaceSnapshot::load(Workspace& workspace) {
    WorkspaceSnapshot s;
    s.root = workspace.root();
    s.name = workspace.config().name;
    Store& store = workspace.store();
    QHash<QString, int> byName;
    for (const Experiment& e : store.experiments().list()) {
        byName.insert(e.name, static_cast<int>(s.experiments.size()));
        s.experiments.append({e.name, {}});
    }
    for (RunRecord& run : store.runs().list()) {
        run.estimatorJson.clear();
        if (run.status == RunStatus::Queued)
            ++s.queued;
        else if (!isTerminal(run.status))
            ++s.running;
        auto it = byName.find(run.experiment);
        if (it == byName.end()) {
            it = byName.insert(run.experiment, static_cast<int>(s.experiments.size()));
            s.experiments.append({run.experiment, {}});
        }
        s.experiments[*it].runs.append(std::move(run));
    }
    s.computeTargets = store.computeTargets().list();
    s.models = store.models().list();
    s.endpoints = store.endpoints().list();
    const QDir root(workspace.root());
    for (const QString& folder : workspace.config().dataFolders)
        s.dataFolders.append(QDir::cleanPath(root.absoluteFilePath(folder)));
    return s;
}

} // namespace lb
