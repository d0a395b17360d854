#include "core/workspace/mirror/RunJson.h"

#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QFileInfo>

namespace lb {

namespace {

Json timeOrNull(const QDateTime& t) {
    return t.isValid() ? Json(toStd(isoTime(t))) : Json(nullptr);
}

RunStatus statusOf(const JsonFields& f, const char* key, bool required) {
    const QString text = f.text(key, required);
    const auto status = runStatusFromString(text);
    if (!status) f.fail(key, QStringLiteral("'%1' is not a run status").arg(text));
    return *status;
}

QList<StateChange> readHistory(const JsonFields& f) {
    QList<StateChange> history;
    const auto it = f.json().find("history");
    if (it == f.json().end() || it->is_null()) return history;
    if (!it->is_array())
        f.fail("history",
               QStringLiteral("must be a list, not %1").arg(QLatin1String(jsonTypeName(*it))));
    for (const Json& entry : *it) {
        if (!entry.is_object())
            f.fail(
                "history",
                QStringLiteral("holds %1, not an object").arg(QLatin1String(jsonTypeName(entry))));
        const JsonFields e(entry, f.path());
        history.append({statusOf(e, "status", true), e.time("time", true), e.text("reason")});
    }
    return history;
}

// When the run first entered Running, and when it reached a final state, as the store records
// them (core/store/RunRepository.cpp).
void timesFromHistory(RunRecord& run, const QList<StateChange>& history) {
    for (const StateChange& s : history) {
        if (!run.started.isValid() && s.status == RunStatus::Running) run.started = s.time;
        if (isTerminal(s.status)) run.ended = s.time;
    }
}

} // namespace

void writeRunJson(Store& store, const QString& runId) {
    const auto run = store.runs().find(runId);
    if (!run) return;
    Json j;
    j["id"] = toStd(run->id);
    j["experiment"] = toStd(run->experiment);
    j["number"] = run->number;
    j["compute_target"] = toStd(run->computeTarget);
    j["status"] = toStd(toString(run->status));
    j["created"] = toStd(isoTime(run->created));
    j["started"] = timeOrNull(run->started);
    j["ended"] = timeOrNull(run->ended);
    j["exit_code"] = run->exitCode ? Json(*run->exitCode) : Json(nullptr);
    j["reason"] = toStd(run->reason);
    j["devices"] = toStd(run->devices);
    j["parent_id"] = run->parentId.isEmpty() ? Json(nullptr) : Json(toStd(run->parentId));
    // What the user gave the run (issue 17).
    j["name"] = run->name.isEmpty() ? Json(nullptr) : Json(toStd(run->name));
    j["note"] = toStd(store.runs().note(runId));
    j["archived"] = run->archived;
    j["tags"] = Json::object();
    const auto tags = store.runs().tags(runId);
    for (auto it = tags.begin(); it != tags.end(); ++it)
        j["tags"][toStd(it.key())] = toStd(it.value());
    const Json estimator = Json::parse(run->estimatorJson.toStdString(), nullptr, false);
    j["estimator"] = estimator.is_discarded() ? Json::object() : estimator;
    j["history"] = Json::array();
    for (const StateChange& s : store.runs().history(runId))
        j["history"].push_back({{"status", toStd(toString(s.status))},
                                {"time", toStd(isoTime(s.time))},
                                {"reason", toStd(s.reason)}});
    try {
        writeJsonFile(run->runDir + QStringLiteral("/run.json"), j);
    } catch (const std::exception&) {
        // run.json mirrors the store; a failure to refresh it loses nothing.
    }
}

RunJsonRecord readRunJson(const QString& path) {
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    RunJsonRecord record;
    RunRecord& run = record.run;
    run.id = f.text("id", true);
    run.experiment = f.text("experiment", true);
    run.number = static_cast<int>(f.integer("number").value_or(0));
    run.computeTarget = f.text("compute_target", true);
    run.created = f.time("created", true);
    run.started = f.time("started");
    run.ended = f.time("ended");
    if (const auto code = f.integer("exit_code")) run.exitCode = static_cast<int>(*code);
    run.reason = f.text("reason");
    run.devices = f.text("devices");
    run.parentId = f.text("parent_id");
    run.name = f.text("name");
    record.note = f.text("note");
    const auto archived = j.find("archived");
    if (archived != j.end() && !archived->is_null() && !archived->is_boolean())
        f.fail("archived", QStringLiteral("must be true or false, not %1")
                               .arg(QLatin1String(jsonTypeName(*archived))));
    run.archived = archived != j.end() && archived->is_boolean() && archived->get<bool>();
    run.runDir = QFileInfo(path).absolutePath();
    const Json estimator = j.value("estimator", Json::object());
    if (!estimator.is_object())
        f.fail("estimator", QStringLiteral("must be an object, not %1")
                                .arg(QLatin1String(jsonTypeName(estimator))));
    run.estimatorJson = fromStd(estimator.dump());

    record.history = readHistory(f);
    if (record.history.isEmpty()) record.history.append({RunStatus::Queued, run.created, {}});
    run.status = j.contains("status") ? statusOf(f, "status", true) : record.history.last().status;
    if (!j.contains("started") && !j.contains("ended"))
        timesFromHistory(run, record.history); // a run.json written before times were kept
    if (j.contains("tags")) {
        record.tags = f.stringMap("tags");
        record.tagsComplete = true;
    } else {
        // Before tags were kept here, a run's only tags at submit were its estimator's; tags
        // logged through metrics.jsonl come back when that stream is ingested again.
        record.tags = JsonFields(estimator, path).stringMap("tags");
    }
    return record;
}

} // namespace lb
