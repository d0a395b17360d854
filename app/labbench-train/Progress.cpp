#include "app/labbench-train/Progress.h"

#include <cstdio>
#include <unistd.h>

namespace lb::train {

bool stdoutIsTerminal() {
    return isatty(STDOUT_FILENO) == 1;
}

Progress::Progress(bool bar)
    : bar_(bar) {}

void Progress::step(int epoch, int epochs, int step, int steps) {
    if (!bar_) return;
    const int percent = steps ? step * 100 / steps : 100;
    if (percent == lastPercent_) return; // redraw at most 100 times an epoch
    lastPercent_ = percent;
    constexpr int kWidth = 40;
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i)
        bar[i] = i < percent * kWidth / 100 ? '#' : '.';
    bar[kWidth] = '\0';
    std::printf("\repoch %d/%d [%s] %3d%%", epoch, epochs, bar, percent);
    std::fflush(stdout);
    drawn_ = true;
}

void Progress::line(const std::string& text) {
    if (drawn_) std::printf("\r\033[K");
    drawn_ = false;
    lastPercent_ = -1;
    std::printf("%s\n", text.c_str());
    std::fflush(stdout);
}

} // namespace lb::train
