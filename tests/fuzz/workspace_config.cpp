// A workspace's config.json. lb::Error (naming the file, line and column) is the documented
// failure.
#include "core/util/Error.h"
#include "core/workspace/WorkspaceConfig.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const lb::WorkspaceConfig c = lb::WorkspaceConfig::parse(lb::fuzz::bytes(data, size),
                                                                 QStringLiteral("config.json"));
        // What was accepted is written back by every save: that must parse again.
        (void)lb::WorkspaceConfig::parse(c.toJson(), QStringLiteral("config.json"));
    } catch (const lb::Error&) {
    }
    return 0;
}
