#pragma once
// An endpoint's time limits (`endpoints deploy --request-timeout/--run-timeout`), kept in its
// folder as limits.json, which deploy writes and labbench-serve reads. They sit beside the key
// rather than in the endpoint's row so that adding them needed no store migration; a store
// column is where they go when the endpoints schema next changes.

#include <QString>

namespace lb {

struct EndpointLimits {
    int requestTimeoutS = 10; // to send a request (and to read the answer)
    int runTimeoutS = 60;     // score.py's run(), per request
};

// The limits in `path`, or the defaults for a missing file or field.
EndpointLimits readEndpointLimits(const QString& path);
// Written atomically.
void writeEndpointLimits(const QString& path, const EndpointLimits& limits);

} // namespace lb
