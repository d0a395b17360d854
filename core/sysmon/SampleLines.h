#pragma once
// The system-metrics stream: RUN/system/<node>.jsonl, one JSON object a line,
//   {"name":"cpu_percent","value":12.5,"time":"2026-01-02T03:04:05.678Z","step":3,"node":"n1"}
// written as one O_APPEND write per sample, so a reader (the ingester, by byte offset) never
// sees half a sample's line.

#include "core/sysmon/SystemSampler.h"

#include <string>
#include <vector>

namespace lb::sysmon {

// The lines of one sample, each ending in '\n'.
std::string formatSampleLines(const std::vector<NamedValue>& values, long long step,
                              const std::string& isoTime, const std::string& node);

// UTC now as ISO 8601 with milliseconds ("2026-01-02T03:04:05.678Z").
std::string isoTimeNow();

// The node's name: $SLURMD_NODENAME (two Slurm nodes may share one host), else the host name.
std::string nodeName();

// A name safe as one file name: letters, digits, '.', '-', '_' kept, anything else '_'.
std::string safeFileName(const std::string& name);

// Appends `text` to `path` in one write (O_APPEND); false with errno set when it failed.
bool appendToFile(const std::string& path, const std::string& text);

} // namespace lb::sysmon
