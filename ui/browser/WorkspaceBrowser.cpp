#include "ui/browser/WorkspaceBrowser.h"

#include "ui/common/AppStyle.h"
#include "ui/common/StatusIcons.h"
#include "core/live/WorkspaceModel.h"

#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Adds icons (a view concern) to the core model's nodes.
class IconProxy : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::DecorationRole && index.column() == 0) {
            using K = WorkspaceModel::NodeKind;
            const auto kind = static_cast<K>(index.data(WorkspaceModel::KindRole).toInt());
            switch (kind) {
            case K::Run:
                return statusIcon(index.data(WorkspaceModel::StatusRole).toString());
            case K::Experiment:
                return nodeIcon(QStringLiteral("experiment"));
            case K::ComputeTarget:
                return nodeIcon(QStringLiteral("target"));
            case K::Model:
            case K::ModelVersion:
                return nodeIcon(QStringLiteral("model"));
            case K::DataFolder:
                return nodeIcon(QStringLiteral("folder"));
            case K::Endpoint:
                return statusIcon(index.data(WorkspaceModel::StatusRole).toString());
            case K::Category: {
                const QString key = index.data(WorkspaceModel::KeyRole).toString();
                return nodeIcon(key == QLatin1String("data") ? QStringLiteral("folder") : key);
            }
            }
        }
        if (role == Qt::ForegroundRole && index.column() == 1) {
            const QString status = index.data(WorkspaceModel::StatusRole).toString();
            if (!status.isEmpty()) return statusColor(status);
            return QColor(0x57, 0x60, 0x6a);
        }
        if (role == Qt::ForegroundRole && index.column() == 2) return QColor(0x57, 0x60, 0x6a);
        return QIdentityProxyModel::data(index, role);
    }
};

} // namespace

WorkspaceBrowser::WorkspaceBrowser(WorkspaceModel* model, QWidget* parent)
    : QWidget(parent)
    , model_(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    name_ = new QLabel;
    name_->setStyleSheet(QStringLiteral("font-weight: 600; padding: 6px 8px 0 8px;"));
    layout->addWidget(name_);
    error_ = makeErrorBanner();
    layout->addWidget(error_);
    auto* proxy = new IconProxy(this);
    proxy->setSourceModel(model);
    view_ = new QTreeView;
    view_->setModel(proxy);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setUniformRowHeights(true); // 10,000 runs stay instant
    view_->setAlternatingRowColors(false);
    view_->setIconSize(QSize(16, 16));
    view_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    view_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    view_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    view_->header()->setStretchLastSection(false);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    view_->setFrameShape(QFrame::NoFrame);
    setMinimumWidth(280);
    layout->addWidget(view_, 1);
    auto* compare = new QPushButton(tr("Compare selected runs"));
    compare->setEnabled(false);
    layout->addWidget(compare);

    connect(view_, &QTreeView::activated, this, [this](const QModelIndex& index) {
        if (index.data(WorkspaceModel::KindRole).toInt() ==
            static_cast<int>(WorkspaceModel::NodeKind::Run))
            emit runActivated(index.data(WorkspaceModel::KeyRole).toString());
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this, compare] { compare->setEnabled(selectedRuns().size() >= 2); });
    connect(compare, &QPushButton::clicked, this,
            [this] { emit compareRequested(selectedRuns()); });
    connect(view_, &QTreeView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu;
        const QStringList runs = selectedRuns();
        if (runs.size() == 1)
            menu.addAction(tr("Open dashboard"), this,
                           [this, runs] { emit runActivated(runs[0]); });
        if (runs.size() >= 2)
            menu.addAction(tr("Compare %1 runs").arg(runs.size()), this,
                           [this, runs] { emit compareRequested(runs); });
        menu.addAction(tr("New estimator…"), this, [this] { emit newEstimatorRequested(); });
        emit contextMenuAboutToShow(&menu, view_->indexAt(pos));
        menu.exec(view_->viewport()->mapToGlobal(pos));
    });
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this,
            &WorkspaceBrowser::saveExpansion);
    connect(model, &QAbstractItemModel::modelReset, this, &WorkspaceBrowser::restoreExpansion);
    clock_.setInterval(1000);
    connect(&clock_, &QTimer::timeout, model, &WorkspaceModel::refreshLiveColumns);
    clock_.start();
}

QStringList WorkspaceBrowser::selectedRuns() const {
    QStringList runs;
    for (const QModelIndex& i : view_->selectionModel()->selectedRows()) {
        if (i.data(WorkspaceModel::KindRole).toInt() ==
            static_cast<int>(WorkspaceModel::NodeKind::Run))
            runs.append(i.data(WorkspaceModel::KeyRole).toString());
    }
    return runs;
}

void WorkspaceBrowser::showError(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

void WorkspaceBrowser::setWorkspaceName(const QString& name) {
    name_->setText(name);
}

void WorkspaceBrowser::saveExpansion() {
    expanded_.clear();
    auto* m = view_->model();
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            if (view_->isExpanded(i)) {
                expanded_.append(i.data(WorkspaceModel::KeyRole).toString());
                walk(i);
            }
        }
    };
    walk({});
}

void WorkspaceBrowser::restoreExpansion() {
    auto* m = view_->model();
    if (firstLoad_ && m->rowCount() > 0) {
        // First look: categories open, and the newest experiment's runs.
        firstLoad_ = false;
        for (int r = 0; r < m->rowCount(); ++r)
            view_->expand(m->index(r, 0));
        const QModelIndex experiments = m->index(0, 0);
        if (m->rowCount(experiments) > 0) view_->expand(m->index(0, 0, experiments));
        return;
    }
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            if (expanded_.contains(i.data(WorkspaceModel::KeyRole).toString())) {
                view_->expand(i);
                walk(i);
            }
        }
    };
    walk({});
}

} // namespace lb::ui
