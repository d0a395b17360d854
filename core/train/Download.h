#pragma once
// --download: fetches MNIST's four files into the dataset cache from its usual mirrors with
// curl (or wget), verifying each against its published SHA-256 before it is moved into place.
// The downloader runs with an argv (posix_spawnp), never through a shell. Tests never call it.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lb::train {

// Downloads what is missing or wrong in `dir`; returns dir. log receives one line per file.
// Throws TrainError when every mirror fails for a file or its checksum does not match.
std::filesystem::path downloadMnist(const std::filesystem::path& dir,
                                    const std::function<void(const std::string&)>& log);

// Runs argv[0] (looked up on PATH) with argv, waits, returns its exit status (127: not found).
int runProgram(const std::vector<std::string>& argv);

} // namespace lb::train
