// A run's script parameters as name/value rows, and the user's own fields of a run (name, note,
// archived, tag removal): the parts of RunRepository that issue 17's runs table added.
#include "core/query/RunQuery.h"
#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/store/RunRows.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/JsonValues.h"

namespace lb {

// The argv words of a stored estimator's script_params; bytes kept as {"b64": …} are decoded as
// every argument is (core/util/ByteStrings.h), anything else that is not a string (a number
// written by hand) is taken as its JSON text.
QStringList scriptWordsOf(const QString& estimatorJson) {
    QStringList words;
    try {
        const Json doc = Json::parse(estimatorJson.toStdString());
        const auto it = doc.find("script_params");
        if (it == doc.end() || !it->is_array())
            return words;
        for (const Json& w : *it) {
            const std::optional<QString> text = stringFromJson(w);
            words << (text ? *text : QString::fromStdString(w.dump()));
        }
    } catch (const std::exception&) {
        // An unreadable estimator has no parameters to search by; the run itself stays listed.
    }
    return words;
}

void RunRepository::setParams(const QString& id, const QStringList& scriptWords) {
    Statement clear(db_, "DELETE FROM run_params WHERE run_id = ?");
    clear.bind(1, id).exec();
    Statement insert(db_, "INSERT OR REPLACE INTO run_params(run_id, name, value) VALUES(?, ?, ?)");
    for (const auto& [name, value] : query::scriptParamPairs(scriptWords)) // the last one wins, as argparse's
        insert.bind(1, id).bind(2, name).bind(3, value).exec();
}

QList<QPair<QString, QString>> RunRepository::params(const QString& id) {
    Statement s(db_, "SELECT name, value FROM run_params WHERE run_id = ? ORDER BY name");
    s.bind(1, id);
    QList<QPair<QString, QString>> out;
    while (s.step())
        out.append({s.text(0), s.text(1)});
    return out;
}

void RunRepository::backfillParams() {
    Statement runs(db_, "SELECT id, estimator FROM runs WHERE id NOT IN (SELECT DISTINCT run_id FROM run_params)");
    QList<QPair<QString, QString>> todo;
    while (runs.step())
        todo.append({runs.text(0), runs.text(1)});
    for (const auto& [id, estimator] : todo)
        setParams(id, scriptWordsOf(estimator));
}

namespace {

void requireRun(Database& db, const QString& id) {
    if (db.changes() == 0)
        throw NotFoundError(QStringLiteral("There is no run '%1' in this workspace.").arg(id));
}

} // namespace

void RunRepository::setName(const QString& id, const QString& name) {
    Statement s(db_, "UPDATE runs SET name = ? WHERE id = ?");
    if (name.trimmed().isEmpty())
        s.bindNull(1);
    else
        s.bind(1, name.trimmed());
    s.bind(2, id).exec();
    requireRun(db_, id);
    db_.noteChange({RecordKind::Run, id});
}

void RunRepository::setNote(const QString& id, const QString& note) {
    Statement s(db_, "UPDATE runs SET note = ? WHERE id = ?");
    s.bind(1, note).bind(2, id).exec();
    requireRun(db_, id);
    db_.noteChange({RecordKind::Run, id});
}

QString RunRepository::note(const QString& id) {
    Statement s(db_, "SELECT note FROM runs WHERE id = ?");
    s.bind(1, id);
    return s.step() ? s.text(0) : QString();
}

void RunRepository::setArchived(const QString& id, bool archived) {
    Statement s(db_, "UPDATE runs SET archived = ? WHERE id = ?");
    s.bind(1, archived ? 1 : 0).bind(2, id).exec();
    requireRun(db_, id);
    db_.noteChange({RecordKind::Run, id});
}

bool RunRepository::removeTag(const QString& id, const QString& key) {
    Statement s(db_, "DELETE FROM run_tags WHERE run_id = ? AND key = ?");
    s.bind(1, id).bind(2, key).exec();
    const bool removed = db_.changes() > 0;
    if (removed)
        db_.noteChange({RecordKind::Run, id});
    return removed;
}

QStringList RunRepository::modelsFrom(const QString& id) {
    Statement s(db_, "SELECT name, version FROM model_versions WHERE run_id = ? ORDER BY name, version");
    s.bind(1, id);
    QStringList models;
    while (s.step())
        models << QStringLiteral("%1:%2").arg(s.text(0)).arg(s.int64(1));
    return models;
}

int RunRepository::removeRuns(const QStringList& ids) {
    Transaction tx(db_);
    // metrics rows hang off metric_series by id, without a foreign key (WITHOUT ROWID table).
    Statement points(db_, "DELETE FROM metrics WHERE series_id IN (SELECT id FROM metric_series WHERE run_id = ?)");
    Statement run(db_, "DELETE FROM runs WHERE id = ?"); // the rest follows ON DELETE CASCADE
    int removed = 0;
    for (const QString& id : ids) {
        points.bind(1, id).exec();
        run.bind(1, id).exec();
        removed += db_.changes();
    }
    tx.commit();
    return removed;
}

} // namespace lb
