// store_writer_helper STORE PREFIX COUNT: creates COUNT runs, each with state changes and
// metrics, through the ordinary repositories. Run as several processes at once by
// tst_store_concurrency. Exit 0 on success; prints the error and exits 1 otherwise.
#include "core/store/Store.h"
#include "core/util/Error.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 4)
        return 2;
    try {
        lb::Store store(QString::fromLocal8Bit(argv[1]));
        const QString prefix = QString::fromLocal8Bit(argv[2]);
        const int count = std::atoi(argv[3]);
        for (int i = 0; i < count; ++i) {
            lb::RunRecord run;
            run.id = QStringLiteral("%1-%2").arg(prefix).arg(i);
            run.experiment = QStringLiteral("shared");
            run.computeTarget = QStringLiteral("local");
            run.runDir = QStringLiteral("/tmp/") + run.id;
            store.runs().create(run);
            store.runs().transition(run.id, lb::RunStatus::Preparing);
            store.runs().transition(run.id, lb::RunStatus::Running);
            std::vector<lb::MetricPoint> points;
            for (int s = 0; s < 50; ++s)
                points.push_back({QStringLiteral("loss"), 1.0 / (s + 1), s, 0.0});
            store.metrics().append(run.id, points);
            store.runs().transition(run.id, lb::RunStatus::Completed);
        }
    } catch (const lb::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
