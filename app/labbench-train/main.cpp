// labbench-train: trains, evaluates and applies the MNIST MLP natively (see core/train).

#include "app/labbench-train/Commands.h"
#include "core/train/Comm.h"
#include "core/train/Error.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace lb::train;
    try {
        const Options options = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
        switch (options.mode) {
        case Options::Mode::Help:
            std::fputs(usageText().c_str(), stdout);
            return 0;
        case Options::Mode::Evaluate:
            return runEvaluation(options);
        case Options::Mode::Predict:
            return runPrediction(options);
        case Options::Mode::Train:
            return runTraining(options);
        }
    } catch (const UsageError& e) {
        std::fprintf(stderr, "labbench-train: %s\n", e.what());
        abortWorld(2);
        return 2;
    } catch (const TrainError& e) {
        std::fprintf(stderr, "labbench-train: %s\n", e.what());
        abortWorld(1); // the other ranks of an MPI job would wait for this one for ever
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "labbench-train: internal error: %s\n", e.what());
        abortWorld(1);
        return 1;
    }
    return 1;
}
