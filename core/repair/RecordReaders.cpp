#include "core/repair/RecordReaders.h"

namespace lb {

const QList<RecordReader>& recordReaders() {
    // Experiments first (their creation times win over their runs'); models after runs.
    static const QList<RecordReader> readers = {
        {"experiments", restoreExperiments},      {"compute targets", restoreComputeTargets},
        {"datastores", restoreDatastores},        {"runs", restoreRuns},
        {"model versions", restoreModelVersions},
    };
    return readers;
}

} // namespace lb
