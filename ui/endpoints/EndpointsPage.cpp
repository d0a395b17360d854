#include "ui/endpoints/EndpointsPage.h"

#include "core/live/EndpointListModel.h"
#include "core/live/StoreWatcher.h"
#include "ui/common/AppStyle.h"
#include "ui/common/StatusIcons.h"
#include "ui/endpoints/EndpointPanel.h"

#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Draws each state with its coloured icon (a view concern, so here and not in core).
class StateIconProxy : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::DecorationRole && index.column() == EndpointListModel::StateColumn)
            return statusIcon(index.data(EndpointListModel::StateRole).toString());
        return QIdentityProxyModel::data(index, role);
    }
};

// A server that was killed holds no lock: look again this often even when the store is quiet.
constexpr int kReconcileMs = 2000;

} // namespace

EndpointsPage::EndpointsPage(const QString& workspaceRoot, QWidget* parent)
    : QWidget(parent)
    , root_(workspaceRoot) {
    setObjectName(QStringLiteral("endpointsPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    auto* title = new QLabel(tr("Endpoints"));
    title->setObjectName(QStringLiteral("runTitle"));
    layout->addWidget(title);
    error_ = makeErrorBanner();
    layout->addWidget(error_);

    model_ = new EndpointListModel(this);
    auto* proxy = new StateIconProxy(this);
    proxy->setSourceModel(model_);
    view_ = new QTableView;
    view_->setModel(proxy);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setColumnHidden(EndpointListModel::ModelsColumn, true); // the panel says it

    stack_ = new QStackedWidget;
    empty_ = makeMutedLabel(tr("No endpoints yet. Deploy a registered model from the Models page "
                           "(Deploy…) or with 'labbench endpoints deploy'."));
    empty_->setAlignment(Qt::AlignCenter);
    panel_ = new EndpointPanel(root_);
    stack_->addWidget(empty_);
    stack_->addWidget(panel_);

    auto* split = new QSplitter;
    split->addWidget(view_);
    split->addWidget(stack_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({300, 900});
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EndpointsPage::showSelected);
    connect(panel_, &EndpointPanel::changed, this, &EndpointsPage::refresh);

    watcher_ = new StoreWatcher(
        workspaceRoot, [](Workspace& w) { return QVariant::fromValue(loadEndpointListing(w)); },
        400, this);
    watcher_->setForcedReloadMs(kReconcileMs);
    connect(watcher_, &StoreWatcher::loaded, this, [this](const QVariant& v) {
        error_->hide();
        const QString selected = selectedEndpoint();
        model_->setListing(v.value<EndpointListing>());
        if (pending_.isEmpty() && !selected.isEmpty() && model_->rowOf(selected) >= 0 &&
            selectedEndpoint().isEmpty())
            pending_ = selected; // a reset dropped the selection: put it back
        if (pending_.isEmpty() && selectedEndpoint().isEmpty() && model_->rowCount() > 0)
            pending_ = model_->endpoints().first().name;
        applyPendingSelection();
        showSelected();
    });
    connect(watcher_, &StoreWatcher::failed, this, [this](const QString& m) {
        error_->setText(m);
        error_->show();
    });
    watcher_->start();
}

EndpointsPage::~EndpointsPage() = default;

void EndpointsPage::refresh() {
    watcher_->refreshNow();
}

void EndpointsPage::selectEndpoint(const QString& name) {
    pending_ = name;
    applyPendingSelection();
}

void EndpointsPage::applyPendingSelection() {
    if (pending_.isEmpty()) return;
    const int row = model_->rowOf(pending_);
    if (row < 0) return;
    pending_.clear();
    const QModelIndex at = view_->model()->index(row, 0);
    view_->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect |
                                            QItemSelectionModel::Rows);
    view_->setCurrentIndex(at);
}

QString EndpointsPage::selectedEndpoint() const {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(EndpointListModel::NameRole).toString();
}

QStringList EndpointsPage::endpointStates() const {
    QStringList out;
    for (const EndpointRecord& e : model_->endpoints())
        out << e.name + QStringLiteral(": ") + toString(e.state);
    return out;
}

void EndpointsPage::showSelected() {
    const QString name = selectedEndpoint();
    const EndpointRecord* e = name.isEmpty() ? nullptr : model_->find(name);
    if (!e) {
        panel_->clear(); // nothing to poll or show
        stack_->setCurrentWidget(empty_);
        return;
    }
    panel_->setEndpoint(*e, model_->keyOf(name));
    stack_->setCurrentWidget(panel_);
}

} // namespace lb::ui
