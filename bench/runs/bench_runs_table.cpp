// The runs table at scale (issue 17 item 6), the Labbench side of bench_vs_mlflow.sh:
//   bench_runs_table generate ROOT   writes the 10,000-run workspace (RunsBenchData.h) at ROOT
//   bench_runs_table measure ROOT    opens the real RunsTablePage on it and times, from the
//                                    request to the table's viewport repainted with the rows:
//     open    a new page until its first page of rows is painted (first paint; goal < 300 ms)
//     filter  a two-term query typed into the query box (keystroke to repaint; goal < 50 ms)
//     sort    a click on a metric column's header (the order comes from SQL)
// Each prints "RESULT <name> <median ms> <min ms> <matching runs>" for the driver script.
// Offscreen unless QT_QPA_PLATFORM says otherwise; on a machine as quiet as you can get.
#include "bench/runs/BenchWorkspace.h"
#include "core/live/BackgroundCall.h"
#include "core/live/RunColumns.h"
#include "core/live/RunsTableModel.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "ui/runs/RunsTablePage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSettings>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <sys/resource.h>
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

// CPU seconds of the whole process (every thread): on a shared machine what a measure costs,
// where wall time is mostly waiting for a core.
double cpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec)) /
           1e3;
}

struct Sample {
    double wallMs = 0, cpuMs = 0;
};

// Runs `request`, then the event loop until the model says the rows it asked for arrived, then
// paints the table's viewport: the time a user waits to see the answer.
Sample timeToRepaint(ui::RunsTablePage& page, const std::function<void()>& request,
                     const QElapsedTimer* since = nullptr, double cpuSince = -1) {
    QEventLoop loop;
    const auto connection = QObject::connect(page.model(), &RunsTableModel::loaded, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    const double cpu0 = cpuSince >= 0 ? cpuSince : cpuMs();
    request();
    loop.exec();
    page.view()->viewport()->repaint();
    Sample s{(since ? since : &t)->nsecsElapsed() / 1e6, cpuMs() - cpu0};
    QObject::disconnect(connection);
    return s;
}

void waitForBackgroundCalls() {
    while (backgroundCallsRunning() > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

void report(const char* name, const std::vector<Sample>& samples, int matching) {
    std::vector<double> wall, cpu;
    for (const Sample& s : samples) {
        wall.push_back(s.wallMs);
        cpu.push_back(s.cpuMs);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("RESULT %s %.1f %.1f %d\n", name, wall[wall.size() / 2], wall.front(), matching);
    std::printf("CPU %s %.1f\n", name, cpu[cpu.size() / 2]);
    std::fflush(stdout);
}

// The columns as the page remembers them for "every experiment" (RunsTablePage's settings key),
// so the page opens with them as a user's would: one load, not a load and a reload.
void rememberColumns(const QString& root) {
    QStringList texts;
    for (const query::Key& k : benchColumns())
        texts << k.text();
    QSettings().setValue(
        QStringLiteral("runsTable/%1/*/columns").arg(QString::fromLatin1(root.toUtf8().toHex().left(40))), texts);
}

void measure(const QString& root) {
    rememberColumns(root);
    std::vector<Sample> open;
    int total = 0;
    for (int i = 0; i < 7; ++i) {
        // A user opens the page once: the previous page's disk total (a walk of 10,000 run
        // folders on a thread) must not run beside this open and take its core.
        waitForBackgroundCalls();
        QElapsedTimer t;
        t.start();
        const double cpu0 = cpuMs();
        ui::RunsTablePage page(root);
        page.resize(1400, 900);
        const double constructed = t.nsecsElapsed() / 1e6;
        open.push_back(timeToRepaint(page, [&] { page.show(); }, &t, cpu0));
        std::printf("  open %d: page constructed at %.1f ms, rows painted at %.1f ms (first load in the model %lld ms)\n",
                    i, constructed, open.back().wallMs, static_cast<long long>(page.model()->lastLoadMs()));
        total = page.model()->totalMatching();
        if (page.model()->columnCount() != benchColumns().size() + 1) { // and the size column
            std::fprintf(stderr, "the page did not open with the remembered columns\n");
            std::exit(1);
        }
    }
    report("open", open, total);

    // The pages' disk totals (each walks 10,000 run folders on a thread) finish before the next
    // measures, so those time the keystroke and the click alone.
    waitForBackgroundCalls();
    QElapsedTimer sinceOpen;
    sinceOpen.start();
    ui::RunsTablePage page(root);
    page.resize(1400, 900);
    timeToRepaint(page, [&] { page.show(); });
    QEventLoop untilTotal;
    QObject::connect(&page, &ui::RunsTablePage::diskTotalMeasured, &untilTotal, &QEventLoop::quit);
    if (page.diskTotal() < 0)
        untilTotal.exec();
    std::printf("  disk total of 10,000 run folders (background, after the first paint): %.0f ms from open\n",
                sinceOpen.nsecsElapsed() / 1e6);
    waitForBackgroundCalls();
    std::vector<Sample> filter;
    int matching = 0;
    for (int i = 0; i < 10; ++i) {
        filter.push_back(timeToRepaint(page, [&] { page.setQuery(QString::fromLatin1(kFilters[i % 2])); }));
        if (i % 2 == 0)
            matching = page.model()->totalMatching();
    }
    report("filter", filter, matching);

    timeToRepaint(page, [&] { page.setQuery(QString()); });
    const int lossColumn = int(benchColumns().size()) - 1;
    std::vector<Sample> sort;
    for (int i = 0; i < 10; ++i)
        sort.push_back(timeToRepaint(page, [&] {
            page.model()->sort(lossColumn, i % 2 ? Qt::DescendingOrder : Qt::AscendingOrder);
        }));
    report("sort", sort, page.model()->totalMatching());
    std::printf("  first row after sorting by metrics.loss descending: %s, loss %s\n",
                qPrintable(page.model()->runId(0)),
                qPrintable(page.model()->index(0, lossColumn).data().toString()));
}

// Where a load's time goes, store call by store call (what RunsTableModel's loader runs on its
// thread): "bench_runs_table profile ROOT".
void profile(const QString& root) {
    auto ms = [](const std::function<void()>& f) {
        std::vector<double> v;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            f();
            v.push_back(t.nsecsElapsed() / 1e6);
        }
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("open the workspace: %.1f ms\n", ms([&] { Workspace::open(root); }));
    Workspace ws = Workspace::open(root);
    struct Case {
        const char* name;
        RunSearch search;
    };
    RunSearch open;
    open.limit = RunsTableModel::kPageSize;
    RunSearch filter = open;
    filter.filter = query::parseQuery(QString::fromLatin1(kFilters[0]));
    RunSearch sort = open;
    sort.sortKey = query::parseKey(QStringLiteral("metrics.loss"));
    for (const Case& c : {Case{"open", open}, Case{"filter", filter}, Case{"sort", sort}}) {
        QList<RunRecord> runs;
        const double search = ms([&] { runs = ws.store().runs().search(c.search); });
        const double count = ms([&] { ws.store().runs().countMatching(c.search); });
        const double values = ms([&] { runColumnValues(ws.store(), runs, benchColumns()); });
        std::printf("%-6s search %.1f ms, count %.1f ms, column values %.1f ms (%lld rows)\n", c.name, search, count,
                    values, static_cast<long long>(runs.size()));
    }
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // no display needed; set it to xcb to watch
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("labbench-bench")); // keeps the user's settings out
    if (argc != 3 || (qstrcmp(argv[1], "generate") != 0 && qstrcmp(argv[1], "measure") != 0 &&
                      qstrcmp(argv[1], "profile") != 0)) {
        std::fprintf(stderr, "usage: bench_runs_table generate|measure|profile WORKSPACE\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[2]);
    if (qstrcmp(argv[1], "generate") == 0)
        lbbench::generateLabbenchWorkspace(root);
    else if (qstrcmp(argv[1], "profile") == 0)
        profile(root);
    else
        measure(root);
    return 0;
}
