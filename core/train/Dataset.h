#pragma once
// The MNIST-format dataset the trainer uses: where its four files are (--data DIR, or a named
// dataset looked up in LABBENCH_DATA, the user's cache, the sample data Labbench ships and
// /usr/share/datasets), and loading
// them once into float pixels scaled to [0, 1] with int32 labels.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lb::train {

// Pixels are stored as p * kPixelScale + kPixelOffset: the normalisation recorded in model.npz.
constexpr float kPixelScale = 1.0f / 255.0f;
constexpr float kPixelOffset = 0.0f;

struct DatasetFiles {
    std::filesystem::path trainImages, trainLabels, testImages, testLabels;
};

struct Split {
    int count = 0;
    int features = 0;                 // rows * cols of one image
    std::vector<float> images;        // (count, features), normalised
    std::vector<std::int32_t> labels; // (count)
};

struct Dataset {
    std::string description; // "mnist at /path"
    int rows = 0, cols = 0;
    int classes = 10;
    Split train, test;
};

// The four standard file names in dir, gzip or not (foo-idx3-ubyte.gz or foo-idx3-ubyte).
// Throws TrainError listing what is missing.
DatasetFiles findDatasetFiles(const std::filesystem::path& dir);

// Folders searched for a named dataset (mnist, fashion-mnist), in order: each entry of
// $LABBENCH_DATA (':'-separated) / name, the cache folder / name, the sample data shipped with
// Labbench (sampleDatasetDir), /usr/share/datasets / name.
std::vector<std::filesystem::path> datasetSearchPath(const std::string& name);

// The cache folder downloads go to: $XDG_CACHE_HOME/labbench/datasets/<name>, else
// ~/.cache/labbench/datasets/<name>.
std::filesystem::path datasetCacheDir(const std::string& name);

// The copy of a dataset that Labbench ships (MNIST): <program>/../share/labbench/datasets/<name>,
// the same place in the build tree and the installed tree, so a first run needs no download.
std::filesystem::path sampleDatasetDir(const std::string& name);

// The first folder of datasetSearchPath(name) that holds the four files; throws TrainError
// listing every folder tried (and suggesting --download for mnist) otherwise.
std::filesystem::path locateDataset(const std::string& name);

// Images from one IDX file converted to normalised floats.
Split loadSplit(const std::filesystem::path& images, const std::filesystem::path& labels, int* rows,
                int* cols);

// Loads all four files and checks that the splits agree with each other.
Dataset loadDataset(const DatasetFiles& files, const std::string& description);

} // namespace lb::train
