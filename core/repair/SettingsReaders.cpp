// The readers of the workspace's small records: experiments, compute targets, datastores.
#include "core/repair/RecordReaders.h"
#include "core/store/Store.h"
#include "core/store/StoreRestore.h"
#include "core/util/Error.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/DatastoreFile.h"
#include "core/workspace/mirror/ExperimentsFile.h"
#include "core/workspace/mirror/RecordFile.h"

namespace lb {

void restoreExperiments(RepairContext& c) {
    QList<Experiment> experiments;
    try {
        experiments = readExperimentsFile(c.root);
    } catch (const Error& e) {
        c.result.skipped << e.message() + QStringLiteral(" Each run's experiment is made anew.");
        return;
    }
    for (const Experiment& e : experiments) {
        restoreExperiment(c.store.database(), e.name, e.created);
        ++c.result.restored;
    }
}

void restoreComputeTargets(RepairContext& c) {
    for (const QString& path : recordFilesIn(computeTargetsDir(c.root))) {
        try {
            c.store.computeTargets().add(readComputeTargetFile(path));
            ++c.result.restored;
        } catch (const Error& e) {
            c.result.skipped << e.message();
        }
    }
}

void restoreDatastores(RepairContext& c) {
    for (const QString& path : recordFilesIn(datastoresDir(c.root))) {
        try {
            const DatastoreRecord d = readDatastoreFile(path);
            if (!c.store.datastores().add(d))
                throw Error(QStringLiteral("%1: a datastore named '%2' was already restored.")
                                .arg(path, d.name));
            ++c.result.restored;
        } catch (const Error& e) {
            c.result.skipped << e.message();
        }
    }
}

} // namespace lb
