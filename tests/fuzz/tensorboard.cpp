// TensorBoard event files: TFRecord framing over any bytes, as the tailer walks it, and the
// Event decoder on each record (and on the raw input, which the CRCs would otherwise guard).
#include "core/tensorboard/EventDecoder.h"
#include "core/tensorboard/TfRecordReader.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray buffer = lb::fuzz::bytes(data, size);
    (void)lb::decodeTensorBoardEvent(buffer);
    std::int64_t pos = 0;
    for (;;) {
        const lb::TfRecordScan scan = lb::scanTfRecord(buffer, pos);
        if (scan.kind == lb::TfRecordScan::Kind::Incomplete)
            break;
        // The tailer moves to `next`; one that does not move forward would spin forever.
        if (scan.next <= pos || scan.next > buffer.size())
            __builtin_trap();
        if (scan.kind == lb::TfRecordScan::Kind::Record)
            (void)lb::decodeTensorBoardEvent(scan.data);
        pos = scan.next;
    }
    return 0;
}
