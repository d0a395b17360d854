// The reader of the workspace's endpoints: endpoints/<name>/endpoint.json.
#include "core/repair/RecordReaders.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/mirror/EndpointFile.h"

namespace lb {

void restoreEndpoints(RepairContext& c) {
    for (const QString& path : endpointFilesIn(c.root)) {
        try {
            EndpointFileContents f = readEndpointFile(path);
            // Repair runs only while no other process has the store open, so no server of this
            // endpoint is running now: one the file calls up is stopped, and says why.
            if (!isDown(f.endpoint.state)) {
                const QString why =
                    QStringLiteral("The store was rebuilt by 'workspace repair' while no server "
                                   "ran; start it with 'labbench endpoints start %1'.")
                        .arg(f.endpoint.name);
                f.endpoint.state = EndpointState::Stopped;
                f.endpoint.reason = why;
                f.endpoint.pid = 0;
                f.endpoint.updated = QDateTime::currentDateTimeUtc();
                f.history.append({EndpointState::Stopped, f.endpoint.updated, why});
                c.result.notes << QStringLiteral("%1: the endpoint '%2' is restored as Stopped.")
                                      .arg(path, f.endpoint.name);
            }
            restoreEndpoint(c.store.database(), f.endpoint, f.history);
            ++c.result.restored;
        } catch (const Error& e) {
            c.result.skipped << e.message();
        }
    }
}

} // namespace lb
