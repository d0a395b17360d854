#pragma once
// An endpoint's time limits (`endpoints deploy --request-timeout/--run-timeout`). The store's
// endpoint row holds them (migration 7) and labbench-serve reads them there; deploy also writes
// them to the endpoint's folder as limits.json, the record they had before migration 7, which
// the migration and `workspace repair` read for endpoints whose other records lack them.

#include <QString>

namespace lb {

// The most either limit may be, in seconds (deploy refuses more; repair refuses a file with more).
constexpr int kMaxEndpointTimeoutS = 3600;

struct EndpointLimits {
    int requestTimeoutS = 10; // to send a request (and to read the answer)
    int runTimeoutS = 60;     // score.py's run(), per request
};

// The limits in `path`, or the defaults for a missing file or field. Throws lb::Error naming the
// file when it is not JSON.
EndpointLimits readEndpointLimits(const QString& path);
// The same, but the defaults also for a file that cannot be read (a store migration or a repair
// must not stop at one broken file).
EndpointLimits readEndpointLimitsOrDefaults(const QString& path);
// Written atomically.
void writeEndpointLimits(const QString& path, const EndpointLimits& limits);

} // namespace lb
