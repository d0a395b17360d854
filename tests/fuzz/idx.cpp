// IDX files (MNIST), raw or gzip, through the trainer's real readers. TrainError is the
// documented failure.
#include "core/train/Error.h"
#include "core/train/Idx.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = lb::fuzz::writeInputFile(data, size, QStringLiteral("data.idx")).toStdString();
    try {
        const lb::train::IdxImages images = lb::train::readIdxImages(path);
        if (images.pixels.size() != std::size_t(images.count) * std::size_t(images.rows) * std::size_t(images.cols))
            __builtin_trap(); // the trainer indexes pixels by (count, rows, cols)
    } catch (const lb::train::TrainError&) {
    }
    try {
        const lb::train::IdxLabels labels = lb::train::readIdxLabels(path);
        if (labels.labels.size() != std::size_t(labels.count))
            __builtin_trap();
    } catch (const lb::train::TrainError&) {
    }
    return 0;
}
