#include "core/workspace/mirror/ExperimentsFile.h"

#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QFileInfo>

namespace lb {

QString experimentsFilePath(const QString& root) {
    return root + QStringLiteral("/experiments.json");
}

void writeExperimentsFile(const QString& root, Store& store) {
    Json list = Json::array();
    for (const Experiment& e : store.experiments().list())
        list.push_back({{"name", toStd(e.name)}, {"created", toStd(isoTime(e.created))}});
    syncRecordFile(experimentsFilePath(root), Json{{"experiments", list}});
}

QList<Experiment> readExperimentsFile(const QString& root) {
    const QString path = experimentsFilePath(root);
    QList<Experiment> experiments;
    if (!QFileInfo::exists(path)) return experiments;
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    const auto it = j.find("experiments");
    if (it == j.end() || !it->is_array()) f.fail("experiments", QStringLiteral("must be a list"));
    for (const Json& entry : *it) {
        if (!entry.is_object())
            f.fail(
                "experiments",
                QStringLiteral("holds %1, not an object").arg(QLatin1String(jsonTypeName(entry))));
        const JsonFields e(entry, path);
        Experiment experiment;
        experiment.name = e.text("name", true);
        experiment.created = e.time("created", true);
        experiments.append(experiment);
    }
    return experiments;
}

} // namespace lb
