// The run dashboard's images strip, outputs downloads and header, offscreen with a real
// workspace: an image written into a run's logs/images while the dashboard is open appears with
// its logged name and step and a decoded thumbnail (and a link there never does); the outputs
// tree shows what a running run writes; Download
// copies a file and a folder tree with progress, and refuses entries that would lead outside
// (.., absolute names, links out of the run) before copying anything; at a narrow width the
// header keeps the status, the target and every button visible.
#include "tests/ui/UiTestSupport.h"
#include "ui/common/HeaderLayout.h"
#include "core/live/RunDownload.h"
#include "core/live/RunFilesModel.h"
#include "core/live/RunImagesModel.h"
#include "ui/run/ImagesStrip.h"
#include "ui/run/OutputsPanel.h"
#include "ui/run/RunDashboard.h"
#include "core/util/Error.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace lb;
using namespace lb::ui;

namespace {

QByteArray png(int w, int h, QColor color) {
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The widget's rectangle in `ancestor`'s coordinates.
QRect rectIn(const QWidget* w, const QWidget* ancestor) {
    return QRect(w->mapTo(ancestor, QPoint(0, 0)), w->size());
}

} // namespace

class TestRunDashboardExtras : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void imagesStripFollowsLoggedImages();
    void outputsTreeGrowsWhileTheRunWrites();
    void downloadCopiesFileAndTree();
    void downloadRefusesEscapingNames();
    void headerKeepsStatusTargetAndButtonsWhenNarrow();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
};

void TestRunDashboardExtras::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("ui")));
}

void TestRunDashboardExtras::cleanup() {
    ws_.reset();
    dir_.reset();
}

void TestRunDashboardExtras::imagesStripFollowsLoggedImages() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("pics"), RunStatus::Running);
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(1000, 700);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    ImagesStrip* strip = d.images();
    QAbstractItemModelTester tester(strip->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(strip->model()->rowCount(), 0);

    // What labbench.log_image does: the file in logs/images, then an "image" record.
    const QString images = run.runDir + QStringLiteral("/snapshot/logs/images");
    test::writeFile(images + QStringLiteral("/confusion_4711.png"), png(640, 320, Qt::red));
    test::appendFile(
        run.runDir + QStringLiteral("/metrics.jsonl"),
        R"({"name": "loss", "value": 0.5, "step": 0})"
        "\n"
        R"({"type": "image", "name": "confusion", "value": "logs/images/confusion_4711.png", "step": 3})"
        "\n");
    QVERIFY(QTest::qWaitFor([&] { return strip->model()->rowCount() == 1; }, 5000));
    QVERIFY(QTest::qWaitFor(
        [&] { return strip->model()->index(0).data(RunImagesModel::StepRole).toLongLong() == 3; },
        5000));
    QCOMPARE(strip->model()->index(0).data().toString(), QStringLiteral("confusion · step 3"));
    QVERIFY(QTest::qWaitFor([&] { return !strip->thumbnail(0).isNull(); }, 5000));
    QCOMPARE(strip->thumbnail(0).size(), QSize(160, 80)); // fitted into the thumbnail box
    QVERIFY(!strip->view()->model()->index(0, 0).data(Qt::DecorationRole).isNull());

    // A second image written straight into the folder (no record): its file name, no step. A
    // link there is never shown, wherever it points.
    const QString outside = dir_->filePath(QStringLiteral("secret.png"));
    test::writeFile(outside, png(10, 10, Qt::black));
    QVERIFY(QFile::link(outside, images + QStringLiteral("/leak.png")));
    test::writeFile(images + QStringLiteral("/samples.png"), png(100, 200, Qt::blue));
    QVERIFY(QTest::qWaitFor([&] { return strip->model()->rowCount() == 2; }, 5000));
    QCOMPARE(strip->model()->index(1).data(RunImagesModel::NameRole).toString(),
             QStringLiteral("samples"));
    QCOMPARE(strip->model()->index(1).data(RunImagesModel::StepRole).toLongLong(), -1);
    QCOMPARE(strip->model()->index(1).data().toString(), QStringLiteral("samples"));
    QVERIFY(QTest::qWaitFor([&] { return !strip->thumbnail(1).isNull(); }, 5000));
    QCOMPARE(strip->thumbnail(1).size(), QSize(80, 160));
    QTest::qWait(900); // two more polls: the link stays out
    QCOMPARE(strip->model()->rowCount(), 2);

    // Written again (a new picture under the same name): the row changes in place.
    test::writeFile(images + QStringLiteral("/samples.png"), png(300, 100, Qt::green));
    QVERIFY(QTest::qWaitFor([&] { return strip->thumbnail(1).size() == QSize(160, 53); }, 5000));
    QCOMPARE(strip->model()->rowCount(), 2);

    // A click opens it large, at full size.
    QWidget* dialog = strip->enlarge(0);
    QVERIFY(dialog);
    auto* picture = dialog->findChild<QLabel*>(QStringLiteral("enlargedImage"));
    QVERIFY(picture);
    QCOMPARE(picture->pixmap().size(), QSize(640, 320));
    dialog->close();
}

void TestRunDashboardExtras::outputsTreeGrowsWhileTheRunWrites() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("live"), RunStatus::Running);
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    RunFilesModel* files = d.files();
    QCOMPARE(files->rowCount(), 0);
    // A checkpoint written mid-run, then what a live run's ingest does: the store changes.
    test::writeFile(run.runDir + QStringLiteral("/snapshot/outputs/ckpt/epoch1.bin"),
                    QByteArray(300, 'x'));
    ws_->store().runs().setTag(run.id, QStringLiteral("epoch"), QStringLiteral("1"));
    auto checkpoint = [&]() -> QModelIndex {
        const QModelIndexList hits = files->match(files->index(0, 0), RunFilesModel::PathRole,
                                                  QStringLiteral("outputs/ckpt/epoch1.bin"), 1,
                                                  Qt::MatchExactly | Qt::MatchRecursive);
        return hits.isEmpty() ? QModelIndex() : hits.first();
    };
    QVERIFY(QTest::qWaitFor([&] { return checkpoint().isValid(); }, 5000));
    QCOMPARE(checkpoint().data(RunFilesModel::SizeRole).toLongLong(), 300);
}

void TestRunDashboardExtras::downloadCopiesFileAndTree() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("dl"), RunStatus::Completed);
    const QString snap = run.runDir + QStringLiteral("/snapshot");
    QByteArray big(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>((i * 131) % 251);
    test::writeFile(snap + QStringLiteral("/outputs/model.bin"), big);
    test::writeFile(snap + QStringLiteral("/outputs/plots/a.txt"), "alpha\n");
    test::writeFile(snap + QStringLiteral("/outputs/plots/deep/b.txt"), "beta\n");
    // A link that stays inside the run is copied as the file it names.
    QVERIFY(QFile::link(snap + QStringLiteral("/outputs/plots/a.txt"),
                        snap + QStringLiteral("/outputs/plots/same.txt")));
    ws_->store().runs().setFiles(run.id, {{QStringLiteral("outputs/model.bin"), big.size()},
                                          {QStringLiteral("outputs/plots/a.txt"), 6},
                                          {QStringLiteral("outputs/plots/deep/b.txt"), 5}});
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.show();
    QVERIFY(
        QTest::qWaitFor([&] { return d.detail() != nullptr && d.files()->rowCount() == 1; }, 5000));
    OutputsPanel* panel = d.outputsPanel();
    QTreeView* view = panel->view();
    // Selecting a file enables Open and Download.
    const QModelIndex outputs = view->model()->index(0, 0);
    view->setCurrentIndex(view->model()->index(0, 0, outputs));
    auto* downloadButton = panel->findChild<QPushButton*>(QStringLiteral("downloadOutput"));
    QVERIFY(downloadButton && downloadButton->isEnabled());

    const QString dest = dir_->filePath(QStringLiteral("downloads"));
    QVERIFY(QDir().mkpath(dest));
    QSignalSpy finished(panel, &OutputsPanel::downloadFinished);
    QVERIFY(
        panel->download(QStringLiteral("outputs/model.bin"), dest + QStringLiteral("/model.bin")));
    QVERIFY(panel->downloading());
    QVERIFY(QTest::qWaitFor([&] { return finished.size() == 1; }, 10000));
    QCOMPARE(fileBytes(dest + QStringLiteral("/model.bin")), big);
    QVERIFY(!panel->downloading());

    // A folder: the whole tree under a folder of its name.
    const QString target = downloadTargetIn(dest, QStringLiteral("outputs/plots"));
    QCOMPARE(target, dest + QStringLiteral("/plots"));
    QVERIFY(panel->download(QStringLiteral("outputs/plots"), target));
    QVERIFY(QTest::qWaitFor([&] { return finished.size() == 2; }, 10000));
    QCOMPARE(finished.at(1).at(0).toString(), QFileInfo(target).canonicalFilePath());
    QCOMPARE(fileBytes(target + QStringLiteral("/a.txt")), QByteArray("alpha\n"));
    QCOMPARE(fileBytes(target + QStringLiteral("/deep/b.txt")), QByteArray("beta\n"));
    QCOMPARE(fileBytes(target + QStringLiteral("/same.txt")), QByteArray("alpha\n"));
    QVERIFY(!QFileInfo(target + QStringLiteral("/same.txt")).isSymLink());
    QVERIFY(panel->statusText().contains(QStringLiteral("Downloaded")));

    // The same folder again would overwrite: refused.
    QSignalSpy failed(panel, &OutputsPanel::downloadFailed);
    QVERIFY(panel->download(QStringLiteral("outputs/plots"), target));
    QVERIFY(QTest::qWaitFor([&] { return failed.size() == 1; }, 10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("already exists")),
             qPrintable(failed.at(0).at(0).toString()));

    // Progress reaches the total and a canceled copy leaves nothing behind.
    const DownloadPlan plan = planDownload(snap, QStringLiteral("outputs/model.bin"),
                                           dest + QStringLiteral("/again.bin"));
    QCOMPARE(plan.totalBytes, big.size());
    qint64 last = 0;
    runDownload(plan, [&](qint64 done, qint64 total) {
        last = done;
        return total == big.size();
    });
    QCOMPARE(last, big.size());
    QVERIFY_THROWS_EXCEPTION(Error, runDownload(planDownload(snap, QStringLiteral("outputs/plots"),
                                                             dest + QStringLiteral("/cut")),
                                                [](qint64, qint64) { return false; }));
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/cut")));
}

void TestRunDashboardExtras::downloadRefusesEscapingNames() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("evil"), RunStatus::Completed);
    const QString snap = run.runDir + QStringLiteral("/snapshot");
    const QString secret = dir_->filePath(QStringLiteral("secret.txt"));
    test::writeFile(secret, "do not copy\n");
    test::writeFile(snap + QStringLiteral("/outputs/ok.txt"), "fine\n");
    test::writeFile(snap + QStringLiteral("/outputs/tree/good.txt"), "good\n");
    QVERIFY(QFile::link(secret, snap + QStringLiteral("/outputs/tree/leak.txt")));
    QVERIFY(QFile::link(dir_->path(), snap + QStringLiteral("/outputs/up")));
    const QString dest = dir_->filePath(QStringLiteral("dest"));
    QVERIFY(QDir().mkpath(dest));

    const auto refused = [&](const QString& entry, const QString& target, const char* words) {
        try {
            planDownload(snap, entry, target);
        } catch (const Error& e) {
            if (!e.message().contains(QLatin1String(words))) qWarning() << e.message();
            return e.message().contains(QLatin1String(words));
        }
        return false;
    };
    QVERIFY(refused(QStringLiteral("outputs/../../../secret.txt"), dest + QStringLiteral("/x"),
                    "'..'"));
    QVERIFY(refused(QStringLiteral("../secret.txt"), dest + QStringLiteral("/x"), "'..'"));
    QVERIFY(refused(secret, dest + QStringLiteral("/x"), "absolute"));
    QVERIFY(
        refused(QStringLiteral("outputs/tree/leak.txt"), dest + QStringLiteral("/x"), "leads out"));
    QVERIFY(
        refused(QStringLiteral("outputs/up/secret.txt"), dest + QStringLiteral("/x"), "leads out"));
    // A folder holding a link out is refused as a whole, before anything is written.
    QVERIFY(refused(QStringLiteral("outputs/tree"), dest + QStringLiteral("/tree"), "leads out"));
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/tree")));
    // The folder name a download creates comes from the run too.
    QVERIFY_THROWS_EXCEPTION(Error, downloadTargetIn(dest, QStringLiteral("outputs/..")));
    QVERIFY_THROWS_EXCEPTION(Error, downloadTargetIn(dest, QStringLiteral("/etc")));
    // A destination that is a link is not written through.
    QVERIFY(QFile::link(secret, dest + QStringLiteral("/link.txt")));
    QVERIFY(
        refused(QStringLiteral("outputs/ok.txt"), dest + QStringLiteral("/link.txt"), "is a link"));
    QCOMPARE(fileBytes(secret), QByteArray("do not copy\n"));

    // Through the dashboard's panel: the failure is shown, nothing is copied.
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    QSignalSpy failed(d.outputsPanel(), &OutputsPanel::downloadFailed);
    QVERIFY(
        d.outputsPanel()->download(QStringLiteral("outputs/tree"), dest + QStringLiteral("/tree")));
    QVERIFY(QTest::qWaitFor([&] { return failed.size() == 1; }, 5000));
    QVERIFY(d.outputsPanel()->statusText().contains(QStringLiteral("leads out")));
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/tree")));
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/leak.txt")));
}

void TestRunDashboardExtras::headerKeepsStatusTargetAndButtonsWhenNarrow() {
    const RunRecord run = test::addRun(
        *ws_, QStringLiteral("a-rather-long-experiment-name-for-headers"), RunStatus::Running);
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(1200, 600);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    QLabel* status = d.findChild<QLabel*>(QStringLiteral("pill"));
    QVERIFY(status);
    QLabel* facts = nullptr;
    for (QLabel* l : d.findChildren<QLabel*>())
        if (QString(l->text()).replace(QChar::Nbsp, QLatin1Char(' ')).contains(QStringLiteral("target local")))
            facts = l; // the facts keep each one whole with non-breaking spaces (#23 item 11)
    QVERIFY(facts);
    QList<QPushButton*> buttons;
    for (const char* name : {"cancelRun", "cloneRun", "registerModel", "openOutputs"}) {
        auto* b = d.findChild<QPushButton*>(QLatin1String(name));
        QVERIFY2(b, name);
        buttons.append(b);
    }
    auto* header = status->parentWidget()->parentWidget();
    auto* layout = dynamic_cast<HeaderLayout*>(header->layout());
    QVERIFY(layout);
    QVERIFY(!layout->wrapped()); // wide: the buttons sit beside the title

    // The dashboard as narrow as it goes (its Metrics toolbar sets that, ~540 px), then the
    // header alone narrower still, as a narrower tab page would lay it out.
    const int narrowest = d.minimumSizeHint().width();
    QVERIFY2(narrowest < 600, qPrintable(QString::number(narrowest)));
    for (int width : {narrowest, 360, 300}) {
        const bool whole = width >= narrowest;
        if (whole) {
            d.resize(width, 600);
            QTest::qWait(50);
            QCoreApplication::processEvents();
            QCOMPARE(d.width(), width);
        } else {
            header->setGeometry(0, 0, width, header->heightForWidth(width));
            header->layout()->activate();
        }
        QWidget* frame = whole ? static_cast<QWidget*>(&d) : header;
        const QString at = QString::number(width);
        const QRect all = frame->rect();
        QVERIFY2(layout->wrapped(), qPrintable(at));
        QVERIFY(status->isVisible());
        QVERIFY2(all.contains(rectIn(status, frame)), qPrintable(at));
        QCOMPARE(status->text(), QStringLiteral("Running"));
        QVERIFY(status->width() >= status->sizeHint().width()); // never squeezed
        // The facts wrap rather than cut: every line fits the label's height.
        QVERIFY2(all.contains(rectIn(facts, frame)), qPrintable(at));
        QVERIFY2(facts->height() >= facts->heightForWidth(facts->width()),
                 qPrintable(QStringLiteral("%1 < %2 at %3")
                                .arg(facts->height())
                                .arg(facts->heightForWidth(facts->width()))
                                .arg(width)));
        for (qsizetype i = 0; i < buttons.size(); ++i) {
            QPushButton* b = buttons[i];
            QVERIFY(b->isVisible());
            const QRect br = rectIn(b, frame);
            QVERIFY2(all.contains(br), qPrintable(QStringLiteral("%1 at %2").arg(b->text(), at)));
            QVERIFY(b->width() >= std::min(b->sizeHint().width(), width - 32));
            for (qsizetype j = 0; j < i; ++j)
                QVERIFY(!br.intersects(rectIn(buttons[j], frame)));
            QVERIFY(br.top() >= rectIn(facts, frame).bottom()); // below the title block
        }
        if (whole) QVERIFY(d.sections()->height() > 200); // the tabs below still get room
    }
    // A picture of the 300 px header for a look (test-artifacts/run_header_narrow.png).
    QDir().mkpath(QStringLiteral("test-artifacts"));
    header->grab().save(QStringLiteral("test-artifacts/run_header_narrow.png"));
}

QTEST_MAIN(TestRunDashboardExtras)
#include "tst_run_dashboard_extras.moc"
