#pragma once
// Checkpoints: everything a Trainer needs to go on bit-exactly, on disk. One file is
//
//   header   "LBCKPT\0\0" (8 bytes), u32 format version (1), u32 0, u64 body bytes
//   body     the model shape, the optimizer and its hyper-parameters, the position (epochs done,
//            steps into the next epoch, global step), the shuffle RNG state and the current
//            order of the training images, the epoch's running sums, then the parameters and
//            the optimizer's state (momentum, or Adam's two moments) as float32
//   trailer  SHA-256 of header + body (32 bytes)
//
// little-endian, fixed-width fields, no padding. A file whose magic, version, length or checksum
// is wrong is refused with a sentence naming it before any field is believed.
//
// A folder of checkpoints holds ckpt-<global step, 12 digits>.lbckpt (names sort in training
// order) and `latest`, a one-line file naming the newest. Every file is written to a temporary
// name in the same folder, fsynced and renamed, so a reader never sees half of one.

#include "core/train/Mlp.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lb::train {

// A Trainer's state between two steps, on the host.
struct TrainerState {
    Architecture arch;
    OptimizerKind optimizer = OptimizerKind::Sgd;
    int batchSize = 0;
    std::uint64_t seed = 0;
    float lr = 0, momentum = 0, weightDecay = 0, beta1 = 0, beta2 = 0, eps = 0;

    int epochsDone = 0;  // complete epochs
    int stepInEpoch = 0; // steps of epoch epochsDone + 1 already taken (0: at a boundary)
    long globalStep = 0; // optimizer steps so far (Adam's bias correction counts them)
    std::uint64_t shuffleState = 0;
    std::vector<std::int32_t> permutation; // (train images) the order of the current epoch
    // The running sums of a part-done epoch (all zero at a boundary).
    double lossSum = 0, correct = 0, lastLoss = 0;
    long rowsSinceLog = 0, rowsSeen = 0;

    std::vector<float> parameters; // Mlp's flat layout
    std::vector<float> state1;     // SGD momentum or Adam's first moment, like the parameters
    std::vector<float> state2;     // Adam's second moment (one float for SGD)
};

constexpr std::uint32_t kCheckpointVersion = 1;

std::vector<std::uint8_t> encodeCheckpoint(const TrainerState& state);
// Throws TrainError naming `name` when the bytes are not a whole, unchanged checkpoint.
TrainerState decodeCheckpoint(const std::vector<std::uint8_t>& bytes, const std::string& name);

// Reads one checkpoint file; throws TrainError naming the file and what is wrong.
TrainerState readCheckpoint(const std::filesystem::path& path);

// --resume PATH: a checkpoint file, or a folder of them (the one `latest` names, else the newest
// by name that reads back whole; the ones skipped are reported through `notice`). Throws
// TrainError when nothing there can be used.
struct FoundCheckpoint {
    std::filesystem::path path;
    TrainerState state;
};
FoundCheckpoint findCheckpoint(const std::filesystem::path& path,
                               const std::function<void(const std::string&)>& notice);

// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename, fsync of the
// folder. On failure the temporary file is removed and TrainError names the path.
void writeFileAtomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

// Writes the checkpoints of one training process into a folder, keeping the newest `keep` that
// it wrote itself (files already there are never removed).
class CheckpointWriter {
public:
    // Creates the folder; throws TrainError naming it when it cannot.
    CheckpointWriter(std::filesystem::path dir, int keep);
    // Returns the file written. Throws TrainError when it cannot be written.
    std::filesystem::path write(const TrainerState& state);
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    int keep_;
    std::deque<std::filesystem::path> written_;
};

std::string checkpointFileName(long globalStep);

} // namespace lb::train
