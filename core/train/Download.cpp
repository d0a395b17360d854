#include "core/train/Download.h"

#include "core/train/Error.h"
#include "core/train/Sha256.h"

#include <cerrno>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace lb::train {

namespace fs = std::filesystem;

namespace {

struct MnistFile {
    const char* name;
    const char* sha256; // as in data/mnist/SHA256SUMS
};

constexpr MnistFile kFiles[] = {
    {"train-images-idx3-ubyte.gz",
     "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
    {"train-labels-idx1-ubyte.gz",
     "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
    {"t10k-images-idx3-ubyte.gz",
     "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
    {"t10k-labels-idx1-ubyte.gz",
     "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
};

// The mirrors torchvision uses, then the original site.
constexpr const char* kMirrors[] = {
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
};

bool fetch(const std::string& url, const fs::path& to) {
    if (runProgram({"curl", "--fail", "--location", "--silent", "--show-error", "--retry", "2",
                    "--connect-timeout", "20", "--output", to.string(), url}) == 0) {
        return true;
    }
    return runProgram({"wget", "--quiet", "--tries=2", "--timeout=20", "-O", to.string(), url}) ==
           0;
}

} // namespace

int runProgram(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return 127;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

fs::path downloadMnist(const fs::path& dir, const std::function<void(const std::string&)>& log) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw TrainError(dir.string() + ": cannot create (" + ec.message() + ")");
    for (const MnistFile& f : kFiles) {
        const fs::path target = dir / f.name;
        if (fs::exists(target) && sha256File(target) == f.sha256) {
            log(target.string() + ": present, checksum ok");
            continue;
        }
        fs::path part = target;
        part += ".part";
        bool ok = false;
        std::string failures;
        for (const char* mirror : kMirrors) {
            const std::string url = std::string(mirror) + f.name;
            log("downloading " + url);
            if (!fetch(url, part)) {
                failures += "\n  " + url + ": download failed";
                continue;
            }
            const std::string sum = sha256File(part);
            if (sum != f.sha256) {
                failures += "\n  " + url + ": SHA-256 " + sum + " is not the published " + f.sha256;
                continue;
            }
            fs::rename(part, target, ec);
            if (ec)
                throw TrainError(target.string() + ": cannot move into place (" + ec.message() +
                                 ")");
            ok = true;
            break;
        }
        fs::remove(part, ec);
        if (!ok) throw TrainError("cannot download " + std::string(f.name) + ":" + failures);
    }
    return dir;
}

} // namespace lb::train
