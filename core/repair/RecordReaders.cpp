#include "core/repair/RecordReaders.h"

namespace lb {

const QList<RecordReader>& recordReaders() {
    // Experiments first (their creation times win over their runs'); models after runs;
    // endpoints, which serve model versions, last.
    static const QList<RecordReader> readers = {
        {"experiments", restoreExperiments},      {"compute targets", restoreComputeTargets},
        {"datastores", restoreDatastores},        {"runs", restoreRuns},
        {"model versions", restoreModelVersions}, {"endpoints", restoreEndpoints},
    };
    return readers;
}

} // namespace lb
