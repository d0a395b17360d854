#include "core/store/RunFolders.h"

#include "core/store/Store.h"

namespace lb {

QStringList runFolders(Store& store, const QString& experiment) {
    std::string sql = "SELECT r.run_dir FROM runs r ";
    if (!experiment.isEmpty())
        sql += "JOIN experiments e ON e.id = r.experiment_id WHERE e.name = ?1";
    Statement s(store.database(), sql);
    if (!experiment.isEmpty())
        s.bind(1, experiment);
    QStringList folders;
    while (s.step()) {
        QString dir = s.text(0);
        if (!dir.isEmpty())
            folders << std::move(dir);
    }
    return folders;
}

} // namespace lb
