#include "core/train/Dataset.h"

#include "core/train/Error.h"
#include "core/train/Idx.h"

#include <cstdlib>

namespace lb::train {

namespace fs = std::filesystem;

namespace {

fs::path findOne(const fs::path& dir, const std::string& base, std::string& missing) {
    for (const char* suffix : {".gz", ""}) {
        const fs::path p = dir / (base + suffix);
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p;
    }
    missing += (missing.empty() ? "" : ", ") + base + "[.gz]";
    return {};
}

} // namespace

DatasetFiles findDatasetFiles(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw TrainError(dir.string() + ": no such directory");
    std::string missing;
    DatasetFiles files;
    files.trainImages = findOne(dir, "train-images-idx3-ubyte", missing);
    files.trainLabels = findOne(dir, "train-labels-idx1-ubyte", missing);
    files.testImages = findOne(dir, "t10k-images-idx3-ubyte", missing);
    files.testLabels = findOne(dir, "t10k-labels-idx1-ubyte", missing);
    if (!missing.empty()) throw TrainError(dir.string() + ": missing " + missing);
    return files;
}

fs::path datasetCacheDir(const std::string& name) {
    fs::path base;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".cache";
    else
        base = fs::temp_directory_path();
    return base / "labbench" / "datasets" / name;
}

fs::path sampleDatasetDir(const std::string& name) {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return exe.parent_path().parent_path() / "share" / "labbench" / "datasets" / name;
}

std::vector<fs::path> datasetSearchPath(const std::string& name) {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("LABBENCH_DATA"); env && *env) {
        std::string list = env;
        std::size_t start = 0;
        while (start <= list.size()) {
            const std::size_t end = std::min(list.find(':', start), list.size());
            if (end > start) dirs.push_back(fs::path(list.substr(start, end - start)) / name);
            start = end + 1;
        }
    }
    dirs.push_back(datasetCacheDir(name));
    if (const fs::path sample = sampleDatasetDir(name); !sample.empty()) dirs.push_back(sample);
    dirs.push_back(fs::path("/usr/share/datasets") / name);
    return dirs;
}

fs::path locateDataset(const std::string& name) {
    if (name != "mnist" && name != "fashion-mnist") {
        throw UsageError("--dataset must be mnist or fashion-mnist, not '" + name + "'");
    }
    std::string tried;
    for (const auto& dir : datasetSearchPath(name)) {
        try {
            findDatasetFiles(dir);
            return dir;
        } catch (const TrainError&) {
            tried += "\n  " + dir.string();
        }
    }
    std::string hint = name == "mnist"
                           ? "run with --download to fetch it into the cache, or pass --data DIR"
                           : "install Debian's dataset-fashion-mnist, set LABBENCH_DATA, or pass "
                             "--data DIR";
    throw TrainError("dataset '" + name + "' not found; looked in:" + tried + "\n" + hint);
}

Split loadSplit(const fs::path& imagesPath, const fs::path& labelsPath, int* rows, int* cols) {
    const IdxImages images = readIdxImages(imagesPath);
    const IdxLabels labels = readIdxLabels(labelsPath);
    if (images.count != labels.count) {
        throw TrainError(imagesPath.string() + " holds " + std::to_string(images.count) +
                         " images but " + labelsPath.string() + " holds " +
                         std::to_string(labels.count) + " labels");
    }
    if (images.count == 0) throw TrainError(imagesPath.string() + ": holds no images");
    Split split;
    split.count = images.count;
    split.features = images.rows * images.cols;
    // Converted to float once here, never in the step loop.
    split.images.resize(images.pixels.size());
    for (std::size_t i = 0; i < images.pixels.size(); ++i) {
        split.images[i] = float(images.pixels[i]) * kPixelScale + kPixelOffset;
    }
    split.labels.assign(labels.labels.begin(), labels.labels.end());
    *rows = images.rows;
    *cols = images.cols;
    return split;
}

Dataset loadDataset(const DatasetFiles& files, const std::string& description) {
    Dataset data;
    data.description = description;
    int testRows = 0, testCols = 0;
    data.train = loadSplit(files.trainImages, files.trainLabels, &data.rows, &data.cols);
    data.test = loadSplit(files.testImages, files.testLabels, &testRows, &testCols);
    if (testRows != data.rows || testCols != data.cols) {
        throw TrainError(files.testImages.string() + " has " + std::to_string(testRows) + "x" +
                         std::to_string(testCols) + " images but " + files.trainImages.string() +
                         " has " + std::to_string(data.rows) + "x" + std::to_string(data.cols));
    }
    return data;
}

} // namespace lb::train
