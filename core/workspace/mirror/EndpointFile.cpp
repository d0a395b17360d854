#include "core/workspace/mirror/EndpointFile.h"

#include "core/store/Store.h"
#include "core/util/JsonValues.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QDir>
#include <QFileInfo>

namespace lb {

namespace {

EndpointState readState(const JsonFields& f, const char* key, const QString& text) {
    const auto state = endpointStateFromString(text);
    if (!state) f.fail(key, QStringLiteral("'%1' is not an endpoint state").arg(text));
    return *state;
}

} // namespace

QString endpointsDir(const QString& root) {
    return root + QStringLiteral("/endpoints");
}

QString endpointFilePath(const QString& root, const QString& name) {
    return endpointsDir(root) + QLatin1Char('/') + name + QStringLiteral("/endpoint.json");
}

void syncEndpointFile(const QString& root, Store& store, const QString& name) {
    if (!isSafeFileStem(name)) return;
    const auto e = store.endpoints().find(name);
    std::optional<Json> j;
    if (e) {
        Json history = Json::array();
        for (const EndpointStateChange& c : store.endpoints().history(name))
            history.push_back({{"state", toStd(toString(c.state))},
                               {"time", toStd(isoTime(c.time))},
                               {"reason", toStd(c.reason)}});
        j = Json{{"name", toStd(e->name)},
                 {"kind", toStd(e->kind)},
                 {"models", jsonStringList(e->models)},
                 {"host", toStd(e->host)},
                 {"port", e->port},
                 {"workers", e->workers},
                 {"auth", e->auth},
                 {"entry", toStd(e->entry)},
                 {"source_dir", toStd(e->sourceDir)},
                 {"pip", jsonStringList(e->pipPackages)},
                 {"batch_delay_us", e->batchDelayUs},
                 {"request_timeout_s", e->requestTimeoutS},
                 {"run_timeout_s", e->runTimeoutS},
                 {"state", toStd(toString(e->state))},
                 {"reason", toStd(e->reason)},
                 {"pid", e->pid},
                 {"log_path", toStd(e->logPath)},
                 {"created", toStd(isoTime(e->created))},
                 {"updated", toStd(isoTime(e->updated))},
                 {"history", history}};
    }
    syncRecordFile(endpointFilePath(root, name), j);
}

EndpointFileContents readEndpointFile(const QString& path) {
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    EndpointFileContents c;
    EndpointRecord& e = c.endpoint;
    e.name = f.text("name", true);
    if (e.name != QFileInfo(path).dir().dirName())
        f.fail("name", QStringLiteral("'%1' does not match its folder's name").arg(e.name));
    e.kind = f.text("kind", true);
    if (e.kind != QLatin1String("native") && e.kind != QLatin1String("score"))
        f.fail("kind", QStringLiteral("'%1' is neither 'native' nor 'score'").arg(e.kind));
    e.models = f.stringList("models");
    e.host = f.text("host", true);
    e.port = static_cast<int>(f.integer("port", true).value_or(0));
    e.workers = static_cast<int>(f.integer("workers").value_or(1));
    const auto auth = j.find("auth");
    e.auth = auth != j.end() && auth->is_boolean() && auth->get<bool>();
    e.entry = f.text("entry");
    e.sourceDir = f.text("source_dir");
    e.pipPackages = f.stringList("pip");
    e.batchDelayUs = static_cast<int>(f.integer("batch_delay_us").value_or(0));
    // A file written before the store held the time limits: the folder's limits.json has them.
    const EndpointLimits folderLimits = readEndpointLimitsOrDefaults(
        QFileInfo(path).absolutePath() + QStringLiteral("/limits.json"));
    const auto seconds = [&](const char* field, int fallback) {
        const qint64 s = f.integer(field).value_or(fallback);
        if (s < 1 || s > kMaxEndpointTimeoutS)
            f.fail(field,
                   QStringLiteral("%1 is not 1 to %2 seconds").arg(s).arg(kMaxEndpointTimeoutS));
        return static_cast<int>(s);
    };
    e.requestTimeoutS = seconds("request_timeout_s", folderLimits.requestTimeoutS);
    e.runTimeoutS = seconds("run_timeout_s", folderLimits.runTimeoutS);
    e.state = readState(f, "state", f.text("state", true));
    e.reason = f.text("reason");
    e.pid = f.integer("pid").value_or(0);
    e.logPath = f.text("log_path");
    e.created = f.time("created", true);
    e.updated = f.time("updated");
    const auto it = j.find("history");
    if (it != j.end() && it->is_array()) {
        for (const Json& h : *it) {
            if (!h.is_object())
                f.fail("history", QStringLiteral("holds an entry that is not an object"));
            const JsonFields hf(h, path);
            c.history.append({readState(hf, "state", hf.text("state", true)), hf.time("time", true),
                              hf.text("reason")});
        }
    }
    return c;
}

QStringList endpointFilesIn(const QString& root) {
    QStringList out;
    const QDir dir(endpointsDir(root));
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString file = dir.filePath(name) + QStringLiteral("/endpoint.json");
        if (QFileInfo::exists(file) || QFileInfo(file).isSymLink()) out << file;
    }
    return out;
}

} // namespace lb
