#include "ui/runs/RunsTablePage.h"

#include "core/lifecycle/RunFinish.h"
#include "core/live/BackgroundCall.h"
#include "core/live/RunSizes.h"
#include "core/live/RunsTableModel.h"
#include "core/runs/RunDelete.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "ui/common/AppStyle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QTimer>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

#include <atomic>

namespace lb::ui {

namespace {

QString settingsKey(const QString& root, const QString& experiment) {
    return QStringLiteral("runsTable/%1/%2/columns")
        .arg(QString::fromLatin1(root.toUtf8().toHex().left(40)), experiment.isEmpty() ? QStringLiteral("*") : experiment);
}

} // namespace

RunsTablePage::RunsTablePage(const QString& workspaceRoot, QWidget* parent)
    : QWidget(parent), root_(workspaceRoot), model_(new RunsTableModel(this)) {
    setObjectName(QStringLiteral("runsTablePage"));
    query_ = new QLineEdit;
    query_->setObjectName(QStringLiteral("runsQuery"));
    query_->setClearButtonEnabled(true);
    query_->setPlaceholderText(QStringLiteral("Filter: metrics.accuracy > 0.97 and params.lr <= 0.01 and "
                                              "tags.stage = 'tuned' and status = 'Completed'"));
    queryError_ = makeErrorBanner();
    queryError_->setObjectName(QStringLiteral("runsQueryError"));
    queryError_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    experiments_ = new QComboBox;
    experiments_->setObjectName(QStringLiteral("runsExperiment"));
    experiments_->addItem(QStringLiteral("All experiments"), QString());
    try {
        Workspace ws = Workspace::open(root_);
        for (const auto& e : ws.store().experiments().list())
            experiments_->addItem(e.name, e.name);
    } catch (const std::exception&) {
        // The table reports an unreadable workspace itself (loadFailed).
    }
    archived_ = new QCheckBox(QStringLiteral("Archived"));
    archived_->setObjectName(QStringLiteral("runsArchived"));
    archived_->setToolTip(QStringLiteral("Include archived runs"));
    auto* columns = new QPushButton(QStringLiteral("Columns…"));
    columns->setObjectName(QStringLiteral("runsColumns"));
    compare_ = new QPushButton(QStringLiteral("Compare"));
    compare_->setObjectName(QStringLiteral("runsCompare"));
    compare_->setEnabled(false);
    archive_ = new QPushButton(QStringLiteral("Archive"));
    archive_->setObjectName(QStringLiteral("runsArchive"));
    archive_->setToolTip(QStringLiteral("Hide the selected runs (their files are kept; tick Archived to see them)"));
    archive_->setEnabled(false);
    delete_ = new QPushButton(QStringLiteral("Delete…"));
    delete_->setObjectName(QStringLiteral("runsDelete"));
    delete_->setEnabled(false);
    count_ = new QLabel;
    count_->setObjectName(QStringLiteral("runsCount"));
    diskTotalLabel_ = new QLabel;
    diskTotalLabel_->setObjectName(QStringLiteral("runsDiskTotal"));

    view_ = new QTableView;
    view_->setObjectName(QStringLiteral("runsTable"));
    view_->setModel(model_);
    view_->setSortingEnabled(false); // header clicks below ask the store for the order
    view_->horizontalHeader()->setSectionsMovable(true);
    view_->horizontalHeader()->setSectionsClickable(true);
    view_->horizontalHeader()->setSortIndicatorShown(true);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 8);
    view_->setAlternatingRowColors(true);
    // One line a cell, elided: QTableView wraps words by default, which lays every cell out as a
    // paragraph on each paint (most of a repaint's time with 10,000-run tables).
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideRight);

    auto* bar = new QHBoxLayout;
    bar->addWidget(experiments_);
    bar->addWidget(query_, 1);
    bar->addWidget(archived_);
    bar->addWidget(columns);
    bar->addWidget(compare_);
    bar->addWidget(archive_);
    bar->addWidget(delete_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(queryError_);
    layout->addWidget(view_, 1);
    auto* footer = new QHBoxLayout;
    footer->addWidget(count_);
    footer->addStretch();
    footer->addWidget(diskTotalLabel_);
    layout->addLayout(footer);

    connect(query_, &QLineEdit::textChanged, this, &RunsTablePage::applyQuery);
    connect(archived_, &QCheckBox::toggled, this, &RunsTablePage::applyQuery);
    connect(experiments_, &QComboBox::currentIndexChanged, this,
            [this] { setExperiment(experiments_->currentData().toString()); });
    connect(columns, &QPushButton::clicked, this, &RunsTablePage::chooseColumns);
    connect(view_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [this](int column, Qt::SortOrder order) { model_->sort(column, order); });
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit openRunRequested(index.data(RunsTableModel::RunIdRole).toString());
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                const qsizetype n = selectedRunIds().size();
                compare_->setEnabled(n >= 2);
                archive_->setEnabled(n >= 1);
                delete_->setEnabled(n >= 1);
                archive_->setText(archived_->isChecked() ? QStringLiteral("Restore") : QStringLiteral("Archive"));
            });
    connect(archive_, &QPushButton::clicked, this, [this] { archiveSelected(!archived_->isChecked()); });
    connect(delete_, &QPushButton::clicked, this, [this] { deleteSelected(false); });
    connect(compare_, &QPushButton::clicked, this, [this] { emit compareRequested(selectedRunIds()); });
    connect(model_, &RunsTableModel::loaded, this, &RunsTablePage::updateCount);
    connect(model_, &RunsTableModel::loadFailed, this, [this](const QString& message) {
        queryError_->setText(message);
        queryError_->show();
    });

    connect(this, &RunsTablePage::deleteFinished, this, &RunsTablePage::measureDiskTotal);
    // The disk total walks every run folder: after the first rows are on screen, not against them.
    connect(model_, &RunsTableModel::loaded, this, [this] {
        if (diskGeneration_ == 0)
            measureDiskTotal();
    });

    applyColumns(rememberedColumns(), false);
    model_->setWorkspace(root_);
}

void RunsTablePage::setExperiment(const QString& experiment) {
    experiment_ = experiment;
    const int index = experiments_->findData(experiment);
    if (index >= 0 && index != experiments_->currentIndex()) {
        experiments_->setCurrentIndex(index); // comes back here through the signal
        return;
    }
    applyColumns(rememberedColumns(), false);
    applyQuery();
    measureDiskTotal();
}

void RunsTablePage::setQuery(const QString& text) { query_->setText(text); }

QString RunsTablePage::queryError() const { return queryError_->isVisible() ? queryError_->text() : QString(); }

void RunsTablePage::applyQuery() {
    RunSearch search = model_->search();
    search.experiment = experiment_;
    search.includeArchived = archived_->isChecked();
    // Re-polishing restyles the box; on every keystroke that costs more than the search itself,
    // so it happens only when the box turns valid or invalid.
    auto markInvalid = [this](bool invalid) {
        if (query_->property("invalid").toBool() == invalid)
            return;
        query_->setProperty("invalid", invalid);
        query_->style()->unpolish(query_);
        query_->style()->polish(query_);
    };
    try {
        search.filter = query::parseQuery(query_->text());
        queryError_->hide();
        markInvalid(false);
    } catch (const query::QueryError& e) {
        // Keep showing the last good search; say where this one goes wrong.
        queryError_->setText(QStringLiteral("Column %1: %2").arg(e.column()).arg(e.message()));
        queryError_->show();
        markInvalid(true);
        query_->setCursorPosition(e.column() - 1);
        return;
    }
    model_->setSearch(search);
}

QList<query::Key> RunsTablePage::rememberedColumns() const {
    const QStringList texts = QSettings().value(settingsKey(root_, experiment_)).toStringList();
    QList<query::Key> keys;
    for (const QString& t : texts) {
        try {
            keys << query::parseKey(t);
        } catch (const query::QueryError&) {
            // A remembered column this version cannot read is dropped.
        }
    }
    if (keys.isEmpty())
        for (const char* k : {"status", "name", "start", "duration", "target"})
            keys << query::parseKey(QString::fromLatin1(k));
    return keys;
}

void RunsTablePage::applyColumns(const QList<query::Key>& keys, bool remember) {
    model_->setColumns(keys);
    if (!remember)
        return;
    QStringList texts;
    for (const auto& k : keys)
        texts << k.text();
    QSettings().setValue(settingsKey(root_, experiment_), texts);
}

// A menu of every attribute, metric (last, min or max), parameter and tag the runs have.
void RunsTablePage::chooseColumns() {
    QMenu menu(this);
    QList<query::Key> current = model_->columns();
    auto has = [&](const query::Key& k) {
        for (const auto& c : current)
            if (c.text() == k.text())
                return true;
        return false;
    };
    auto addToggle = [&](QMenu* into, const QString& label, const query::Key& k) {
        QAction* a = into->addAction(label);
        a->setCheckable(true);
        a->setChecked(has(k));
        connect(a, &QAction::toggled, this, [this, k](bool on) {
            QList<query::Key> keys = model_->columns();
            if (on) {
                keys << k;
            } else {
                for (qsizetype i = 0; i < keys.size(); ++i)
                    if (keys[i].text() == k.text())
                        keys.removeAt(i--);
            }
            applyColumns(keys, true);
        });
    };
    QMenu* attributes = menu.addMenu(QStringLiteral("Attributes"));
    for (const char* a : {"id", "name", "status", "experiment", "target", "number", "created", "start", "end",
                          "duration", "exit_code"})
        addToggle(attributes, QString::fromLatin1(a), query::parseKey(QString::fromLatin1(a)));
    QStringList metrics, params, tags;
    try {
        Workspace ws = Workspace::open(root_);
        metrics = ws.store().runs().keyNames(query::KeyKind::Metric, experiment_);
        params = ws.store().runs().keyNames(query::KeyKind::Param, experiment_);
        tags = ws.store().runs().keyNames(query::KeyKind::Tag, experiment_);
    } catch (const std::exception&) {
    }
    QMenu* metricMenu = menu.addMenu(QStringLiteral("Metrics"));
    for (const QString& m : metrics) {
        QMenu* one = metricMenu->addMenu(m);
        for (auto [label, aggregate] : {std::pair{"last", query::MetricAggregate::Last},
                                        std::pair{"min", query::MetricAggregate::Min},
                                        std::pair{"max", query::MetricAggregate::Max}}) {
            query::Key k;
            k.kind = query::KeyKind::Metric;
            k.name = m;
            k.aggregate = aggregate;
            addToggle(one, QString::fromLatin1(label), k);
        }
    }
    QMenu* paramMenu = menu.addMenu(QStringLiteral("Parameters"));
    for (const QString& p : params) {
        query::Key k;
        k.kind = query::KeyKind::Param;
        k.name = p;
        addToggle(paramMenu, p, k);
    }
    QMenu* tagMenu = menu.addMenu(QStringLiteral("Tags"));
    for (const QString& t : tags) {
        query::Key k;
        k.kind = query::KeyKind::Tag;
        k.name = t;
        addToggle(tagMenu, t, k);
    }
    menu.exec(QCursor::pos());
}

QStringList RunsTablePage::selectedRunIds() const {
    QStringList ids;
    for (const QModelIndex& row : view_->selectionModel()->selectedRows())
        ids << row.data(RunsTableModel::RunIdRole).toString();
    return ids;
}

void RunsTablePage::archiveSelected(bool archived) {
    try {
        Workspace ws = Workspace::open(root_);
        for (const QString& id : selectedRunIds()) {
            ws.store().runs().setArchived(id, archived);
            writeRunJson(ws.store(), id);
        }
    } catch (const std::exception& e) {
        queryError_->setText(QString::fromUtf8(e.what()));
        queryError_->show();
    }
}

void RunsTablePage::deleteSelected(bool confirmed) {
    const QStringList ids = selectedRunIds();
    if (ids.isEmpty())
        return;
    delete_->setEnabled(false);
    struct Planned {
        DeletePlan plan;
        QString error;
    };
    const QString root = root_;
    runInBackground<Planned>(
        this,
        [root, ids] {
            Planned p;
            try {
                Workspace ws = Workspace::open(root);
                p.plan = planDelete(ws, ids, false);
            } catch (const std::exception& e) {
                p.error = QString::fromUtf8(e.what());
            }
            return p;
        },
        [this, root, confirmed](Planned p) {
            delete_->setEnabled(true);
            if (!p.error.isEmpty() || !p.plan.refusals.isEmpty()) {
                const QString why = p.error.isEmpty() ? p.plan.refusals.join(QLatin1Char('\n')) : p.error;
                queryError_->setText(QStringLiteral("Nothing was deleted. ") + why);
                queryError_->show();
                emit deleteFinished(0, why);
                return;
            }
            if (!confirmed &&
                QMessageBox::question(this, QStringLiteral("Delete runs"),
                                      deleteQuestion(int(p.plan.runs.size()), p.plan.bytes)) != QMessageBox::Yes) {
                return;
            }
            // The folders go on a background thread; the bar follows a shared counter.
            auto* bar = new QProgressBar(this);
            bar->setObjectName(QStringLiteral("runsDeleteProgress"));
            bar->setRange(0, int(p.plan.runs.size()));
            layout()->addWidget(bar);
            auto done = std::make_shared<std::atomic<int>>(0);
            auto* timer = new QTimer(bar);
            connect(timer, &QTimer::timeout, bar, [bar, done] { bar->setValue(*done); });
            timer->start(100);
            runInBackground<QString>(
                this,
                [root, plan = p.plan, done] {
                    try {
                        Workspace ws = Workspace::open(root);
                        deleteRuns(ws, plan, [done](int n, int) { *done = n; });
                    } catch (const std::exception& e) {
                        return QString::fromUtf8(e.what());
                    }
                    return QString();
                },
                [this, bar, n = int(p.plan.runs.size())](QString error) {
                    bar->deleteLater();
                    if (!error.isEmpty()) {
                        queryError_->setText(error);
                        queryError_->show();
                    }
                    emit deleteFinished(error.isEmpty() ? n : 0, error);
                });
        });
}

void RunsTablePage::updateCount() {
    const int total = model_->totalMatching();
    count_->setText(model_->rowCount() < total ? QStringLiteral("%1 of %2 runs shown").arg(model_->rowCount()).arg(total)
                                               : QStringLiteral("%1 runs").arg(total));
}

QString RunsTablePage::deleteQuestion(int runs, qint64 bytes) {
    return QStringLiteral("Delete %1 run%2? Delete would free %3. Their records and files are removed for good.")
        .arg(runs)
        .arg(runs == 1 ? "" : "s")
        .arg(formatDiskSize(bytes));
}

// Every run folder of the experiment is walked, which takes a while with thousands of runs: on a
// background thread, and only the answer for the experiment still shown is kept.
void RunsTablePage::measureDiskTotal() {
    const int generation = ++diskGeneration_;
    const QString root = root_, experiment = experiment_;
    runInBackground<qint64>(
        this,
        [root, experiment]() -> qint64 {
            try {
                Workspace ws = Workspace::open(root);
                return measureRunDiskUsage(ws.store(), experiment); // and kept, for sorting by size
            } catch (const std::exception&) {
                return -1; // the table reports an unreadable workspace itself
            }
        },
        [this, generation, experiment](qint64 total) {
            if (generation != diskGeneration_)
                return;
            diskTotal_ = total;
            diskTotalLabel_->setText(total < 0 ? QString()
                                               : QStringLiteral("%1 use %2 on disk")
                                                     .arg(experiment.isEmpty() ? QStringLiteral("All runs")
                                                                               : QStringLiteral("Runs of %1").arg(experiment),
                                                          formatDiskSize(total)));
            emit diskTotalMeasured(total);
        });
}

} // namespace lb::ui
