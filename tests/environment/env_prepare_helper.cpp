// A separate process that prepares one environment, so the concurrency test uses real
// processes: env_prepare_helper CACHE_DIR PYTHON PACKAGE... prints every log line, then
// "RESULT built|reused PYTHON" (exit 0) or "ERROR message" (exit 1).
#include "core/environment/EnvironmentCache.h"
#include "core/estimator/Estimator.h"
#include "core/util/Error.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: env_prepare_helper CACHE_DIR PYTHON PACKAGE...\n");
        return 2;
    }
    lb::Estimator e;
    e.python = QString::fromLocal8Bit(argv[2]);
    for (int i = 3; i < argc; ++i)
        e.pipPackages.append(QString::fromLocal8Bit(argv[i]));
    try {
        lb::EnvironmentCache cache(QString::fromLocal8Bit(argv[1]));
        const lb::ResolvedEnvironment env = cache.prepare(e, [](const QString& line) {
            std::printf("%s\n", qPrintable(line));
            std::fflush(stdout);
        });
        std::printf("RESULT %s %s\n", env.built ? "built" : "reused", qPrintable(env.python));
        return 0;
    } catch (const lb::Error& err) {
        std::printf("ERROR %s\n", err.what());
        return 1;
    }
}
