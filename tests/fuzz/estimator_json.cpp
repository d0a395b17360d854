// An estimator file, through Estimator::load (the file's text, so that errors carry line and
// column). lb::Error is the documented failure.
#include "core/estimator/Estimator.h"
#include "core/util/Error.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = lb::fuzz::writeInputFile(data, size, QStringLiteral("estimator.json"));
    try {
        lb::Estimator e = lb::Estimator::load(path);
        // toJson promises that fromJson(toJson()) gives the same estimator (origin aside).
        const lb::Estimator again = lb::Estimator::fromJson(e.toJson(), e.origin);
        if (!(again == e))
            __builtin_trap();
        e.applyFrameworkDefaults();
        (void)e.totalProcessCount();
    } catch (const lb::Error&) {
    }
    return 0;
}
