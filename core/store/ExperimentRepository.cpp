#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/util/Time.h"

namespace lb {

std::int64_t ExperimentRepository::ensure(const QString& name) {
    Statement insert(db_, "INSERT INTO experiments(name, created) VALUES(?, ?) ON CONFLICT(name) DO NOTHING");
    insert.bind(1, name).bind(2, isoTime(QDateTime::currentDateTimeUtc())).exec();
    if (db_.changes() > 0)
        db_.noteChange({RecordKind::Experiment, name});
    Statement select(db_, "SELECT id FROM experiments WHERE name = ?");
    select.bind(1, name);
    select.step();
    return select.int64(0);
}

std::optional<Experiment> ExperimentRepository::find(const QString& name) {
    for (const auto& e : list())
        if (e.name == name)
            return e;
    return std::nullopt;
}

QList<Experiment> ExperimentRepository::list() {
    Statement s(db_, "SELECT e.id, e.name, e.created, (SELECT count(*) FROM runs r WHERE "
                     "r.experiment_id = e.id) FROM experiments e ORDER BY e.name");
    QList<Experiment> result;
    while (s.step())
        result.append({s.int64(0), s.text(1), parseIsoTime(s.text(2)), static_cast<int>(s.int64(3))});
    return result;
}

} // namespace lb
