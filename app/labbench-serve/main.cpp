// labbench-serve --workspace ROOT --endpoint NAME [--lock-fd N] [--foreground]: looks after one
// endpoint, detached from whoever deployed it (core/serve/ServeMonitor.h). With --child first it
// is the endpoint's HTTP server itself, which the monitor starts (core/serve/server/ServeChild.h).
#include "core/lifecycle/HelperMain.h"
#include "core/serve/ServeMonitor.h"
#include "core/serve/server/ServeChild.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

int main(int argc, char** argv) {
    const char* program = "labbench-serve";
    const bool child = argc > 1 && std::strcmp(argv[1], "--child") == 0;
    std::vector<char*> rest(argv, argv + argc);
    if (child)
        rest.erase(rest.begin() + 1);
    const auto args =
        lb::parseHelperArgs(static_cast<int>(rest.size()), rest.data(), program, "endpoint");
    if (!args)
        return 2;
    try {
        if (child)
            return lb::serveEndpoint(*args);
        if (!lb::detachUnlessForeground(*args, program))
            return 1;
        return lb::monitorEndpoint(*args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return child ? lb::kServeExitFailed : 1;
    }
}
