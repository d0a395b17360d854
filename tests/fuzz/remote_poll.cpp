// What the remote helper prints for `poll` (read over SSH from a machine we do not control).
// lb::Error is the documented failure.
#include "core/compute/ssh/RemotePoll.h"
#include "core/util/Error.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const lb::RemotePoll p = lb::RemotePoll::parse(lb::fuzz::bytes(data, size));
        (void)p.drained(0, 0);
        for (const lb::MirroredChunk& f : p.files) // start + bytes stay inside size
            if (f.start + f.bytes.size() > f.size)
                __builtin_trap();
    } catch (const lb::Error&) {
    }
    return 0;
}
