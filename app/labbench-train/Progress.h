#pragma once
// Readable progress on stdout: one line per epoch, and a progress bar redrawn in place while
// an epoch runs, only when stdout is a terminal (a log file gets no carriage returns).

#include <string>

namespace lb::train {

class Progress {
public:
    explicit Progress(bool bar);
    void step(int epoch, int epochs, int step, int steps);
    void line(const std::string& text); // clears the bar first

private:
    bool bar_;
    int lastPercent_ = -1;
    bool drawn_ = false;
};

bool stdoutIsTerminal();

} // namespace lb::train
