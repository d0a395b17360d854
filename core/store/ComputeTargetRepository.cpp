#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/util/Error.h"
#include "core/util/Time.h"

namespace lb {

namespace {
ComputeTargetRecord readTarget(const Statement& s) {
    return {s.text(0), s.text(1), s.text(2), parseIsoTime(s.text(3))};
}
} // namespace

void ComputeTargetRepository::add(const ComputeTargetRecord& target) {
    if (find(target.name))
        throw Error(QStringLiteral("A compute target named '%1' already exists; choose another name "
                                   "or remove it first with 'labbench compute remove %1'.")
                        .arg(target.name));
    Statement s(db_, "INSERT INTO compute_targets(name, kind, config, created) VALUES(?, ?, ?, ?)");
    s.bind(1, target.name).bind(2, target.kind).bind(3, target.config);
    s.bind(4, isoTime(target.created.isValid() ? target.created : QDateTime::currentDateTimeUtc()));
    s.exec();
    db_.noteChange({RecordKind::ComputeTarget, target.name});
}

void ComputeTargetRepository::update(const ComputeTargetRecord& target) {
    Statement s(db_, "UPDATE compute_targets SET kind = ?, config = ? WHERE name = ?");
    s.bind(1, target.kind).bind(2, target.config).bind(3, target.name).exec();
    db_.noteChange({RecordKind::ComputeTarget, target.name});
}

std::optional<ComputeTargetRecord> ComputeTargetRepository::find(const QString& name) {
    Statement s(db_, "SELECT name, kind, config, created FROM compute_targets WHERE name = ?");
    s.bind(1, name);
    if (!s.step())
        return std::nullopt;
    return readTarget(s);
}

QList<ComputeTargetRecord> ComputeTargetRepository::list() {
    Statement s(db_, "SELECT name, kind, config, created FROM compute_targets ORDER BY name");
    QList<ComputeTargetRecord> result;
    while (s.step())
        result.append(readTarget(s));
    return result;
}

bool ComputeTargetRepository::remove(const QString& name) {
    Statement s(db_, "DELETE FROM compute_targets WHERE name = ?");
    s.bind(1, name).exec();
    const bool removed = db_.changes() > 0;
    if (removed)
        db_.noteChange({RecordKind::ComputeTarget, name});
    return removed;
}

} // namespace lb
