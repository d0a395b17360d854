#pragma once
// The folders of runs, read as one column: the disk total of 10,000 runs must not build 10,000
// RunRecords (with their estimator JSON) to learn where they live.
#include <QStringList>

namespace lb {

class Store;

// The run folders of `experiment`'s runs (every run's when it is empty), archived ones included;
// runs without a folder are left out.
QStringList runFolders(Store& store, const QString& experiment = {});

} // namespace lb
