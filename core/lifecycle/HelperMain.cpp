#include "core/lifecycle/HelperMain.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace lb {

namespace {

bool parseFd(const char* text, int* fd) {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno || end == text || *end || value < 0 || value > INT_MAX)
        return false;
    *fd = static_cast<int>(value);
    return true;
}

} // namespace

std::optional<HelperArgs> parseHelperArgs(int argc, char** argv, const char* program, const char* idFlag) {
    HelperArgs args;
    const std::string idOption = std::string("--") + idFlag;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(a, "--workspace") && hasValue)
            args.workspaceRoot = QString::fromLocal8Bit(argv[++i]);
        else if (idOption == a && hasValue)
            args.id = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(a, "--lock-fd") && hasValue && parseFd(argv[i + 1], &args.lockFd))
            ++i;
        else if (!std::strcmp(a, "--foreground"))
            args.foreground = true;
        else {
            std::fprintf(stderr, "usage: %s --workspace ROOT %s ID [--lock-fd N] [--foreground]\n", program,
                         idOption.c_str());
            return std::nullopt;
        }
    }
    if (args.workspaceRoot.isEmpty() || args.id.isEmpty()) {
        std::fprintf(stderr, "%s: --workspace and %s are required\n", program, idOption.c_str());
        return std::nullopt;
    }
    return args;
}

bool detachUnlessForeground(const HelperArgs& args, const char* program) {
    if (args.foreground)
        return true;
    const pid_t pid = fork();
    if (pid < 0) {
        std::fprintf(stderr, "%s: fork: %s\n", program, std::strerror(errno));
        return false;
    }
    if (pid > 0)
        _exit(0);
    setsid(); // already a session of its own when spawned with POSIX_SPAWN_SETSID; harmless
    // Hold no mount busy; every path the helpers use is absolute.
    if (chdir("/") != 0)
        std::fprintf(stderr, "%s: chdir /: %s\n", program, std::strerror(errno));
    return true;
}

} // namespace lb
