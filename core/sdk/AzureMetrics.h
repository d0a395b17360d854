#pragma once
// A run's metrics in the shapes Azure ML's Run.get_metrics() returns (issue 24):
//   a metric logged once            {"loss": 0.25}
//   one logged more often           {"loss": [0.5, 0.25]}   (in step order)
//   a table (log_row / log_table)   {"eval": {"epoch": [1, 2], "acc": [0.5, 0.75]}}
//   text and images                 {"note": "text"}, {"cm": "logs/images/cm_1.png"}
// Numbers come from the store (what the ingester kept, TensorBoard scalars included); tables,
// text and images from the run's metrics.jsonl, which the store does not keep. The
// "table.column" series that log_row also writes for the charts are folded into their table.

#include "core/util/Json.h"

#include <QString>

namespace lb {
class Workspace;
struct RunRecord;
}

namespace lb::sdk {

Json azureMetrics(Workspace& workspace, const RunRecord& run);

} // namespace lb::sdk
