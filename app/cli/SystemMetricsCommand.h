#pragma once
// `labbench metrics RUN --system [--json]`: the system metrics of a run (issue 19), a table per
// node and name (points, last, min, max), or every point with its node as JSON.

namespace lb {
struct RunRecord;
}

namespace lb::cli {

class Invocation;

int printSystemMetrics(Invocation& inv, const RunRecord& run);

} // namespace lb::cli
