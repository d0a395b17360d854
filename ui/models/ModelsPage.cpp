#include "ui/models/ModelsPage.h"

#include "ui/common/AppStyle.h"
#include "ui/endpoints/DeployDialog.h"
#include "core/live/BackgroundCall.h"
#include "core/live/ModelListModel.h"
#include "core/live/StoreWatcher.h"
#include "core/models/ModelRegistry.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QFileDialog>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Sorts by the core model's SortRole, filters on name, tags and description, and draws the
// source run as a link (a view concern, so here and not in core).
class ModelsProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QVariant data(const QModelIndex& index, int role) const override {
        if (index.column() == ModelListModel::RunColumn) {
            if (role == Qt::ForegroundRole) return QColor(0x09, 0x69, 0xda);
            if (role == Qt::FontRole) {
                QFont f;
                f.setUnderline(true);
                return f;
            }
        }
        return QSortFilterProxyModel::data(index, role);
    }
    void setNeedle(const QString& needle) {
        needle_ = needle.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QString& needle = needle_;
        if (needle.isEmpty()) return true;
        for (int c : {ModelListModel::NameColumn, ModelListModel::TagsColumn,
                      ModelListModel::DescriptionColumn, ModelListModel::RunColumn}) {
            if (sourceModel()
                    ->index(row, c, parent)
                    .data()
                    .toString()
                    .contains(needle, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

private:
    QString needle_;
};

} // namespace

ModelsPage::ModelsPage(const QString& workspaceRoot, QWidget* parent)
    : QWidget(parent)
    , root_(workspaceRoot) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    auto* title = new QLabel(tr("Registered models"));
    title->setObjectName(QStringLiteral("runTitle"));
    layout->addWidget(title);
    filter_ = new QLineEdit;
    filter_->setPlaceholderText(tr("Filter by name, tag, description or run"));
    filter_->setClearButtonEnabled(true);
    download_ = new QPushButton(tr("Download…"));
    download_->setObjectName(QStringLiteral("downloadModel"));
    download_->setToolTip(tr("Copy the selected model version into a folder"));
    download_->setEnabled(false);
    deploy_ = new QPushButton(tr("Deploy…"));
    deploy_->setObjectName(QStringLiteral("deployModel"));
    deploy_->setToolTip(tr("Serve the selected model version over HTTP as an endpoint"));
    deploy_->setEnabled(false);
    auto* bar = new QHBoxLayout;
    bar->addWidget(filter_, 1);
    bar->addWidget(download_);
    bar->addWidget(deploy_);
    layout->addLayout(bar);
    error_ = makeErrorBanner();
    layout->addWidget(error_);
    model_ = new ModelListModel(this);
    proxy_ = new ModelsProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(ModelListModel::SortRole);
    view_ = new QTableView;
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(ModelListModel::NameColumn, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setSectionResizeMode(ModelListModel::DescriptionColumn,
                                                    QHeaderView::Stretch);
    view_->setMouseTracking(true);
    layout->addWidget(view_, 1);
    empty_ = makeMutedLabel(tr("No models yet. Register one from a completed run's dashboard "
                           "(Register model) or with 'labbench models register'."));
    layout->addWidget(empty_);
    status_ = makeMutedLabel();
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();
    layout->addWidget(status_);

    connect(filter_, &QLineEdit::textChanged, this,
            [this](const QString& text) { static_cast<ModelsProxy*>(proxy_)->setNeedle(text); });
    connect(view_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.column() == ModelListModel::RunColumn)
            emit runRequested(index.data(ModelListModel::RunIdRole).toString());
    });
    connect(view_, &QTableView::entered, this, [this](const QModelIndex& index) {
        view_->viewport()->setCursor(
            index.column() == ModelListModel::RunColumn ? Qt::PointingHandCursor : Qt::ArrowCursor);
    });

    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                download_->setEnabled(!selectedModel().isEmpty());
                deploy_->setEnabled(!selectedModel().isEmpty());
            });
    connect(deploy_, &QPushButton::clicked, this, [this] { deploySelected(); });
    connect(download_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Download %1 into").arg(selectedModel()), QDir::homePath());
        if (!dir.isEmpty()) downloadSelectedTo(dir);
    });

    watcher_ = new StoreWatcher(
        workspaceRoot,
        [](Workspace& w) {
            // The source runs too: the table names them as every view does (#23 item 10).
            ModelListData data;
            data.versions = ModelRegistry(w).list();
            QSet<QString> seen;
            for (const ModelVersion& m : data.versions) {
                if (m.runId.isEmpty() || seen.contains(m.runId))
                    continue;
                seen.insert(m.runId);
                if (auto run = w.store().runs().find(m.runId))
                    data.runs.append(*run);
            }
            return QVariant::fromValue(data);
        },
        400, this);
    connect(watcher_, &StoreWatcher::loaded, this, [this](const QVariant& v) {
        error_->hide();
        const auto data = v.value<ModelListData>();
        model_->setRuns(data.runs);
        model_->setVersions(data.versions);
        empty_->setVisible(model_->rowCount() == 0);
        applyPendingSelection();
    });
    connect(watcher_, &StoreWatcher::failed, this, [this](const QString& m) {
        error_->setText(m);
        error_->show();
    });
    watcher_->start();
}

ModelsPage::~ModelsPage() = default;

void ModelsPage::selectModel(const QString& name, int version) {
    pendingName_ = name;
    pendingVersion_ = version;
    applyPendingSelection();
}

void ModelsPage::applyPendingSelection() {
    if (pendingName_.isEmpty()) return;
    const int row = model_->rowOf(pendingName_, pendingVersion_);
    if (row < 0) return;
    pendingName_.clear();
    const QModelIndex at = proxy_->mapFromSource(model_->index(row, 0));
    if (!at.isValid()) return; // filtered out: leave the user's filter alone
    view_->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect |
                                            QItemSelectionModel::Rows);
    view_->setCurrentIndex(at);
    view_->scrollTo(at);
}

QString ModelsPage::selectedModel() const {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return {};
    return rows.first().data(ModelListModel::NameRole).toString() + QLatin1Char(':') +
           QString::number(rows.first().data(ModelListModel::VersionRole).toInt());
}

DeployDialog* ModelsPage::deploySelected() {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return nullptr;
    const int row = model_->rowOf(rows.first().data(ModelListModel::NameRole).toString(),
                                  rows.first().data(ModelListModel::VersionRole).toInt());
    if (row < 0) return nullptr;
    DeployDialog* dialog = DeployDialog::openFor(this, root_, model_->versions().at(row));
    connect(dialog, &DeployDialog::deployed, this,
            [this](const EndpointRecord& e) { emit endpointDeployed(e.name); });
    return dialog;
}

void ModelsPage::downloadSelectedTo(const QString& dir) {
    const QString model = selectedModel();
    if (model.isEmpty()) return;
    download_->setEnabled(false);
    status_->setText(tr("Downloading %1 into %2…").arg(model, dir));
    status_->show();
    struct Answer {
        QString path;
        QString error;
    };
    runInBackground<Answer>(
        this,
        [root = root_, model, dir]() -> Answer {
            try {
                Workspace workspace = Workspace::open(root);
                return {ModelRegistry(workspace).download(ModelRef::parse(model, true), dir), {}};
            } catch (const std::exception& e) {
                return {{}, QString::fromUtf8(e.what())};
            }
        },
        [this, model](Answer answer) {
            download_->setEnabled(!selectedModel().isEmpty());
            if (answer.error.isEmpty()) {
                status_->setText(tr("Downloaded %1 to %2").arg(model, answer.path));
                emit downloaded(model, answer.path);
            } else {
                status_->setText(answer.error);
                emit downloadFailed(model, answer.error);
            }
        });
}

} // namespace lb::ui
