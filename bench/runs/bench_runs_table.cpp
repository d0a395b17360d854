// The runs table at scale (issue 17 item 6), the Labbench side of bench_vs_mlflow.sh:
//   bench_runs_table generate ROOT   writes the 10,000-run workspace (RunsBenchData.h) at ROOT
//   bench_runs_table measure ROOT    opens the real RunsTablePage on it and times, from the
//                                    request to the table's viewport repainted with the rows:
//     open    a new page until its first page of rows is painted (first paint; goal < 300 ms)
//     filter  a two-term query typed into the query box (keystroke to repaint; goal < 50 ms)
//     sort    a click on a metric column's header (the order comes from SQL)
// Each prints "RESULT <name> <median ms> <min ms> <matching runs>" for the driver script.
// Run under QT_QPA_PLATFORM=offscreen (the driver does), on a machine as quiet as you can get.
#include "bench/runs/BenchWorkspace.h"
#include "core/live/RunsTableModel.h"
#include "ui/runs/RunsTablePage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace lb;

namespace {

const char* kFilters[] = {"metrics.accuracy > 0.9 and params.optimizer = 'adam'",
                          "metrics.accuracy > 0.8 and params.optimizer = 'adam'"};

QList<query::Key> benchColumns() {
    QList<query::Key> keys;
    for (const char* k : {"status", "name", "start", "duration", "params.lr", "params.optimizer", "metrics.accuracy",
                          "metrics.loss"})
        keys << query::parseKey(QString::fromLatin1(k));
    return keys;
}

// Runs `request`, then the event loop until the model says the rows it asked for arrived, then
// paints the table's viewport: the time a user waits to see the answer.
double timeToRepaint(ui::RunsTablePage& page, const std::function<void()>& request) {
    QEventLoop loop;
    const auto connection = QObject::connect(page.model(), &RunsTableModel::loaded, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    request();
    loop.exec();
    page.view()->viewport()->repaint();
    const double ms = t.nsecsElapsed() / 1e6;
    QObject::disconnect(connection);
    return ms;
}

void report(const char* name, std::vector<double> ms, int matching) {
    std::sort(ms.begin(), ms.end());
    std::printf("RESULT %s %.1f %.1f %d\n", name, ms[ms.size() / 2], ms.front(), matching);
    std::fflush(stdout);
}

void measure(const QString& root) {
    std::vector<double> open;
    int total = 0;
    for (int i = 0; i < 7; ++i) {
        QElapsedTimer t;
        t.start();
        ui::RunsTablePage page(root);
        page.resize(1400, 900);
        page.show();
        timeToRepaint(page, [&] { page.model()->setColumns(benchColumns()); });
        open.push_back(t.nsecsElapsed() / 1e6);
        total = page.model()->totalMatching();
    }
    report("open", open, total);

    ui::RunsTablePage page(root);
    page.resize(1400, 900);
    page.show();
    timeToRepaint(page, [&] { page.model()->setColumns(benchColumns()); });
    std::vector<double> filter;
    int matching = 0;
    for (int i = 0; i < 10; ++i) {
        filter.push_back(timeToRepaint(page, [&] { page.setQuery(QString::fromLatin1(kFilters[i % 2])); }));
        if (i % 2 == 0)
            matching = page.model()->totalMatching();
    }
    report("filter", filter, matching);

    timeToRepaint(page, [&] { page.setQuery(QString()); });
    const int lossColumn = int(benchColumns().size()) - 1;
    std::vector<double> sort;
    for (int i = 0; i < 10; ++i)
        sort.push_back(timeToRepaint(page, [&] {
            page.model()->sort(lossColumn, i % 2 ? Qt::DescendingOrder : Qt::AscendingOrder);
        }));
    report("sort", sort, page.model()->totalMatching());
    std::printf("  first row after sorting by metrics.loss descending: %s, loss %s\n",
                qPrintable(page.model()->runId(0)),
                qPrintable(page.model()->index(0, lossColumn).data().toString()));
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("labbench-bench")); // keeps the user's settings out
    if (argc != 3 || (qstrcmp(argv[1], "generate") != 0 && qstrcmp(argv[1], "measure") != 0)) {
        std::fprintf(stderr, "usage: bench_runs_table generate|measure WORKSPACE\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[2]);
    if (qstrcmp(argv[1], "generate") == 0)
        lbbench::generateLabbenchWorkspace(root);
    else
        measure(root);
    return 0;
}
