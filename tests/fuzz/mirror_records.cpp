// The workspace's mirror record files, which `workspace repair` reads back (a script or a person
// may have edited them): every reader runs on each input. lb::Error is the documented failure.
#include "core/util/Error.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/DatastoreFile.h"
#include "core/workspace/mirror/EndpointFile.h"
#include "core/workspace/mirror/ExperimentsFile.h"
#include "core/workspace/mirror/ModelVersionFile.h"
#include "core/workspace/mirror/RunJson.h"
#include "tests/fuzz/FuzzInput.h"

namespace {
template <typename Read>
void tryRead(Read read) {
    try {
        read();
    } catch (const lb::Error&) {
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = lb::fuzz::writeInputFile(data, size, QStringLiteral("experiments.json"));
    tryRead([&] { (void)lb::readRunJson(path); });
    tryRead([&] { (void)lb::readModelVersionFile(path); });
    tryRead([&] { (void)lb::readComputeTargetFile(path); });
    tryRead([&] { (void)lb::readDatastoreFile(path); });
    tryRead([&] { (void)lb::readEndpointFile(path); });
    tryRead([&] { (void)lb::readExperimentsFile(lb::fuzz::scratchDir()); });
    return 0;
}
