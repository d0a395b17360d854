#include "core/workspace/mirror/ComputeTargetFile.h"

#include "core/store/Store.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QFileInfo>

namespace lb {

QString computeTargetsDir(const QString& root) {
    return root + QStringLiteral("/compute-targets");
}

void syncComputeTargetFile(const QString& root, Store& store, const QString& name) {
    if (!isSafeFileStem(name)) return;
    const auto target = store.computeTargets().find(name);
    std::optional<Json> j;
    if (target) {
        // The settings are the kind's own JSON; kept as an object so the file reads naturally.
        const Json config = Json::parse(target->config.toStdString(), nullptr, false);
        j = Json{{"name", toStd(target->name)},
                 {"kind", toStd(target->kind)},
                 {"created", toStd(isoTime(target->created))},
                 {"config", config.is_discarded() ? Json(toStd(target->config)) : config}};
    }
    syncRecordFile(computeTargetsDir(root) + QLatin1Char('/') + name + QStringLiteral(".json"), j);
}

ComputeTargetRecord readComputeTargetFile(const QString& path) {
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    ComputeTargetRecord target;
    target.name = f.text("name", true);
    if (target.name != QFileInfo(path).completeBaseName())
        f.fail("name", QStringLiteral("'%1' does not match the file's name").arg(target.name));
    target.kind = f.text("kind", true);
    target.created = f.time("created");
    const auto config = j.find("config");
    if (config == j.end() || !(config->is_object() || config->is_string()))
        f.fail("config", QStringLiteral("must be the target's settings object"));
    target.config =
        config->is_string() ? fromStd(config->get<std::string>()) : fromStd(config->dump());
    return target;
}

} // namespace lb
