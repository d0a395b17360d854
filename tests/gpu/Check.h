#pragma once
// A minimal test harness for tests/gpu. These tests link no Qt so that they also build on GPU
// machines that have only the CUDA toolkit (LABBENCH_TRAIN_ONLY=ON). CHECK records a failure
// and goes on; main returns 1 if any check failed, kSkip (ctest SKIP_RETURN_CODE) when a test
// needs a GPU that is not there.

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace lbtest {

constexpr int kSkip = 77;

inline int& failures() {
    static int count = 0;
    return count;
}

inline void fail(const char* file, int line, const std::string& what) {
    ++failures();
    std::fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what.c_str());
}

struct Case {
    const char* name;
    std::function<void()> run;
};

// Runs every case, printing one line each; returns the process exit code.
inline int runAll(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        const int before = failures();
        try {
            c.run();
        } catch (const std::exception& e) {
            fail(__FILE__, __LINE__, std::string(c.name) + " threw: " + e.what());
        }
        std::printf("%s %s\n", failures() == before ? "PASS" : "FAIL", c.name);
        std::fflush(stdout);
    }
    std::printf("%d failure(s)\n", failures());
    return failures() == 0 ? 0 : 1;
}

} // namespace lbtest

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (!(cond)) ::lbtest::fail(__FILE__, __LINE__, #cond);                               \
    } while (0)

#define CHECK_MSG(cond, msg)                                                                  \
    do {                                                                                      \
        if (!(cond)) ::lbtest::fail(__FILE__, __LINE__, std::string(#cond) + ": " + (msg));   \
    } while (0)
