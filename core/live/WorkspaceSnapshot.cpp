#include "core/live/WorkspaceSnapshot.h"

#include "core/util/Json.h"

#include "core/workspace/Workspace.h"

#include <QDir>
#include <QHash>

namespace lb {

namespace {

// Of a run's estimator, only its script arguments stay in the snapshot: the tree's tooltip
// names a run's key parameters (#23 item 10), and the rest is left to the dashboards so that
// a snapshot of many runs stays small.
QString argumentsOnly(const QString& estimatorJson) {
    if (!estimatorJson.contains(QLatin1String("script_params")))
        return {};
    const Json doc = Json::parse(estimatorJson.toStdString(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("script_params"))
        return {};
    return QString::fromStdString(Json{{"script_params", doc["script_params"]}}.dump());
}

} // namespace

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
        run.estimatorJson = argumentsOnly(run.estimatorJson);
        // A preempted run waits for its nodes again, as a queued one does.
        if (run.status == RunStatus::Queued || run.status == RunStatus::Preempted)
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
