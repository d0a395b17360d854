#include "core/train/Checkpoint.h"

#include "core/train/Error.h"
#include "core/train/Sha256.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lb::train {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little,
              "checkpoints are little-endian and written with memcpy");

namespace {

constexpr char kMagic[8] = {'L', 'B', 'C', 'K', 'P', 'T', '\0', '\0'};
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8;
constexpr std::size_t kDigestBytes = 32;
constexpr const char* kLatest = "latest";
constexpr const char* kPrefix = "ckpt-";
constexpr const char* kSuffix = ".lbckpt";

std::string errnoText() {
    return std::strerror(errno);
}

// Appends fixed-width little-endian fields.
class Writer {
public:
    template <typename T> void put(T v) {
        const std::size_t at = bytes.size();
        bytes.resize(at + sizeof(T));
        std::memcpy(bytes.data() + at, &v, sizeof(T));
    }
    template <typename T> void putArray(const std::vector<T>& v) {
        put<std::uint64_t>(v.size());
        const std::size_t at = bytes.size();
        bytes.resize(at + v.size() * sizeof(T));
        if (!v.empty()) std::memcpy(bytes.data() + at, v.data(), v.size() * sizeof(T));
    }
    std::vector<std::uint8_t> bytes;
};

// Reads them back; running past the end is a corrupt file (the checksum matched, so only a
// writer bug gets here, but a length field is never trusted to size an allocation unchecked).
class Reader {
public:
    Reader(const std::vector<std::uint8_t>& bytes, std::size_t from, std::size_t to,
           const std::string& name)
        : bytes_(bytes)
        , at_(from)
        , end_(to)
        , name_(name) {}
    template <typename T> T get(const char* field) {
        need(sizeof(T), field);
        T v;
        std::memcpy(&v, bytes_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return v;
    }
    template <typename T> std::vector<T> getArray(const char* field) {
        const auto n = get<std::uint64_t>(field);
        if (n > (end_ - at_) / sizeof(T)) need(end_ - at_ + 1, field);
        std::vector<T> v(n);
        if (n) std::memcpy(v.data(), bytes_.data() + at_, n * sizeof(T));
        at_ += n * sizeof(T);
        return v;
    }
    bool atEnd() const { return at_ == end_; }

private:
    void need(std::size_t n, const char* field) const {
        if (end_ - at_ < n)
            throw TrainError(name_ + ": is corrupt: it ends inside the field '" + field + "'");
    }
    const std::vector<std::uint8_t>& bytes_;
    std::size_t at_, end_;
    const std::string& name_;
};

std::array<std::uint8_t, 32> digestOf(const std::uint8_t* data, std::size_t n) {
    Sha256 sha;
    sha.update(data, n);
    return sha.digest();
}

// ckpt-000000001800.lbckpt -> true; anything else (latest, temporary files) -> false.
bool isCheckpointName(const std::string& name) {
    const std::size_t p = std::strlen(kPrefix), s = std::strlen(kSuffix);
    if (name.size() != p + 12 + s || name.rfind(kPrefix, 0) != 0) return false;
    if (name.compare(name.size() - s, s, kSuffix) != 0) return false;
    return std::all_of(name.begin() + long(p), name.end() - long(s),
                       [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::uint8_t> readWholeFile(const fs::path& path) {
    const std::string name = path.string();
    std::FILE* f = std::fopen(name.c_str(), "rb");
    if (!f) throw TrainError(name + ": cannot open the checkpoint (" + errnoText() + ")");
    std::vector<std::uint8_t> bytes;
    std::uint8_t buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, f)) > 0)
        bytes.insert(bytes.end(), buf, buf + got);
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) throw TrainError(name + ": cannot read the checkpoint (" + errnoText() + ")");
    return bytes;
}

} // namespace

std::string checkpointFileName(long globalStep) {
    char name[64];
    std::snprintf(name, sizeof name, "%s%012ld%s", kPrefix, globalStep, kSuffix);
    return name;
}

std::vector<std::uint8_t> encodeCheckpoint(const TrainerState& s) {
    Writer w;
    for (char c : kMagic)
        w.put(c);
    w.put<std::uint32_t>(kCheckpointVersion);
    w.put<std::uint32_t>(0);
    w.put<std::uint64_t>(0); // body bytes, filled in below

    std::vector<std::int32_t> sizes(s.arch.sizes.begin(), s.arch.sizes.end());
    w.putArray(sizes);
    w.put<std::uint32_t>(s.optimizer == OptimizerKind::Adam ? 1 : 0);
    w.put<std::int32_t>(s.batchSize);
    w.put<std::uint64_t>(s.seed);
    for (float h : {s.lr, s.momentum, s.weightDecay, s.beta1, s.beta2, s.eps})
        w.put(h);
    w.put<std::int32_t>(s.epochsDone);
    w.put<std::int32_t>(s.stepInEpoch);
    w.put<std::int64_t>(s.globalStep);
    w.put<std::uint64_t>(s.shuffleState);
    w.putArray(s.permutation);
    w.put(s.lossSum);
    w.put(s.correct);
    w.put(s.lastLoss);
    w.put<std::int64_t>(s.rowsSinceLog);
    w.put<std::int64_t>(s.rowsSeen);
    w.putArray(s.parameters);
    w.putArray(s.state1);
    w.putArray(s.state2);

    const std::uint64_t body = w.bytes.size() - kHeaderBytes;
    std::memcpy(w.bytes.data() + 16, &body, sizeof body);
    const auto digest = digestOf(w.bytes.data(), w.bytes.size());
    w.bytes.insert(w.bytes.end(), digest.begin(), digest.end());
    return std::move(w.bytes);
}

TrainerState decodeCheckpoint(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    // The envelope first: what the file is, whether it is whole, whether it is unchanged.
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        throw TrainError(name + ": is not a labbench-train checkpoint (no LBCKPT header)");
    if (bytes.size() < kHeaderBytes + kDigestBytes)
        throw TrainError(name + ": is truncated: " + std::to_string(bytes.size()) +
                         " bytes, shorter than a checkpoint's header");
    std::uint32_t version;
    std::memcpy(&version, bytes.data() + 8, 4);
    if (version != kCheckpointVersion)
        throw TrainError(name + ": is checkpoint format version " + std::to_string(version) +
                         "; this labbench-train reads version " +
                         std::to_string(kCheckpointVersion));
    std::uint64_t body;
    std::memcpy(&body, bytes.data() + 16, 8);
    const std::uint64_t expected = kHeaderBytes + body + kDigestBytes;
    if (body > bytes.size() || bytes.size() < expected)
        throw TrainError(name + ": is truncated: " + std::to_string(bytes.size()) +
                         " bytes where its header promises " + std::to_string(expected));
    if (bytes.size() > expected)
        throw TrainError(name + ": is corrupt: " + std::to_string(bytes.size() - expected) +
                         " bytes follow the end its header gives");
    const std::size_t end = kHeaderBytes + body;
    const auto digest = digestOf(bytes.data(), end);
    if (std::memcmp(digest.data(), bytes.data() + end, kDigestBytes) != 0)
        throw TrainError(name + ": is corrupt: its SHA-256 does not match its contents (the file "
                                "changed after it was written)");

    Reader r(bytes, kHeaderBytes, end, name);
    TrainerState s;
    for (std::int32_t size : r.getArray<std::int32_t>("layers")) {
        if (size < 1)
            throw TrainError(name + ": is corrupt: a layer of size " + std::to_string(size));
        s.arch.sizes.push_back(size);
    }
    if (s.arch.sizes.size() < 2) throw TrainError(name + ": is corrupt: fewer than two layers");
    const auto optimizer = r.get<std::uint32_t>("optimizer");
    if (optimizer > 1)
        throw TrainError(name + ": is corrupt: unknown optimizer " + std::to_string(optimizer));
    s.optimizer = optimizer == 1 ? OptimizerKind::Adam : OptimizerKind::Sgd;
    s.batchSize = r.get<std::int32_t>("batch size");
    s.seed = r.get<std::uint64_t>("seed");
    for (float* h : {&s.lr, &s.momentum, &s.weightDecay, &s.beta1, &s.beta2, &s.eps})
        *h = r.get<float>("hyper-parameters");
    s.epochsDone = r.get<std::int32_t>("epoch");
    s.stepInEpoch = r.get<std::int32_t>("step in epoch");
    s.globalStep = long(r.get<std::int64_t>("global step"));
    s.shuffleState = r.get<std::uint64_t>("shuffle state");
    s.permutation = r.getArray<std::int32_t>("permutation");
    s.lossSum = r.get<double>("loss sum");
    s.correct = r.get<double>("correct count");
    s.lastLoss = r.get<double>("last logged loss");
    s.rowsSinceLog = long(r.get<std::int64_t>("rows since log"));
    s.rowsSeen = long(r.get<std::int64_t>("rows seen"));
    s.parameters = r.getArray<float>("parameters");
    s.state1 = r.getArray<float>("optimizer state 1");
    s.state2 = r.getArray<float>("optimizer state 2");
    if (!r.atEnd()) throw TrainError(name + ": is corrupt: bytes follow the last field");
    if (s.batchSize < 1 || s.epochsDone < 0 || s.stepInEpoch < 0 || s.globalStep < 0)
        throw TrainError(name + ": is corrupt: a negative epoch, step or batch size");
    if (s.parameters.size() != s.arch.parameterCount() || s.state1.size() != s.parameters.size())
        throw TrainError(name + ": is corrupt: " + std::to_string(s.parameters.size()) +
                         " parameters where a " + s.arch.toString() + " model has " +
                         std::to_string(s.arch.parameterCount()));
    return s;
}

TrainerState readCheckpoint(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw TrainError(path.string() + ": is not a checkpoint file");
    return decodeCheckpoint(readWholeFile(path), path.string());
}

FoundCheckpoint findCheckpoint(const fs::path& path,
                               const std::function<void(const std::string&)>& notice) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw TrainError(path.string() + ": no such checkpoint or folder");
    if (!fs::is_directory(path, ec)) return {path, readCheckpoint(path)};

    // The one `latest` names, then the others newest first.
    std::vector<fs::path> candidates;
    if (std::FILE* f = std::fopen((path / kLatest).string().c_str(), "rb")) {
        char line[256] = {};
        const bool got = std::fgets(line, sizeof line, f) != nullptr;
        std::fclose(f);
        std::string name = got ? line : "";
        while (!name.empty() && (name.back() == '\n' || name.back() == '\r'))
            name.pop_back();
        if (isCheckpointName(name)) candidates.push_back(path / name);
    }
    std::vector<fs::path> named;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (isCheckpointName(entry.path().filename().string())) named.push_back(entry.path());
    }
    if (ec) throw TrainError(path.string() + ": cannot list the folder (" + ec.message() + ")");
    std::sort(named.rbegin(), named.rend());
    for (const auto& p : named) {
        if (candidates.empty() || p != candidates.front()) candidates.push_back(p);
    }
    if (candidates.empty())
        throw TrainError(path.string() + ": holds no checkpoint (" + kPrefix + "*" + kSuffix + ")");
    // The ones skipped are said only when another is used; otherwise the error lists them.
    std::vector<std::string> skipped;
    for (const auto& p : candidates) {
        try {
            FoundCheckpoint found{p, readCheckpoint(p)};
            for (const auto& why : skipped)
                if (notice) notice("skipping " + why);
            return found;
        } catch (const TrainError& e) {
            skipped.push_back(e.what());
        }
    }
    std::string reasons;
    for (const auto& why : skipped)
        reasons += "\n  " + why;
    throw TrainError(path.string() + ": no checkpoint there can be used:" + reasons);
}

void writeFileAtomically(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    const std::string target = path.string();
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    // A dot name (no reader lists it) unique to this process, in the same folder as the target so
    // that rename() replaces it in one step.
    const fs::path temp =
        dir / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()));
    const std::string tempName = temp.string();
    auto fail = [&](const std::string& what) {
        const std::string reason = errnoText();
        ::unlink(tempName.c_str());
        throw TrainError(target + ": cannot " + what + " (" + reason + ")");
    };
    const int fd = ::open(tempName.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("create a temporary file beside it");
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            fail("write it");
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("flush it to disk");
    }
    if (::close(fd) != 0) fail("close it");
    if (::rename(tempName.c_str(), target.c_str()) != 0) fail("rename the temporary file to it");
    // The rename itself is durable once the folder is synced.
    if (const int dfd = ::open(dir.string().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

namespace {
void makeFolder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec))
        throw TrainError(dir.string() + ": cannot create the checkpoint folder (" +
                         (ec ? ec.message() : std::string("a file has that name")) + ")");
}
} // namespace

CheckpointWriter::CheckpointWriter(fs::path dir, int keep)
    : dir_(std::move(dir))
    , keep_(std::max(1, keep)) {
    makeFolder(dir_); // a wrong --checkpoint-dir stops the run before it trains, not after
}

fs::path CheckpointWriter::write(const TrainerState& state) {
    std::error_code ec;
    makeFolder(dir_);
    const std::string name = checkpointFileName(state.globalStep);
    const fs::path file = dir_ / name;
    writeFileAtomically(file, encodeCheckpoint(state));
    const std::string line = name + "\n";
    writeFileAtomically(dir_ / kLatest, std::vector<std::uint8_t>(line.begin(), line.end()));
    if (written_.empty() || written_.back() != file) written_.push_back(file);
    // Only after the new one and the pointer to it are safely on disk.
    while (int(written_.size()) > keep_) {
        fs::remove(written_.front(), ec);
        written_.pop_front();
    }
    return file;
}

} // namespace lb::train
