// A sweep spec file, through SweepSpec::load. lb::Error is the documented failure.
#include "core/sweep/SweepSpec.h"
#include "core/util/Error.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = lb::fuzz::writeInputFile(data, size, QStringLiteral("sweep.json"));
    try {
        const lb::sweep::SweepSpec s = lb::sweep::SweepSpec::load(path);
        (void)s.gridSize();
        (void)s.toJson().dump(); // what submit writes as sweep.json
    } catch (const lb::Error&) {
    }
    return 0;
}
