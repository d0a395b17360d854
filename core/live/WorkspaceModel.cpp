#include "core/live/WorkspaceModel.h"

#include "core/store/RunDisplayName.h"

#include "core/live/RunFilesModel.h"

#include <QFileInfo>
#include <QSet>

namespace lb {

WorkspaceModel::WorkspaceModel(QObject* parent) : QAbstractItemModel(parent) {
    nodes_.emplace_back();
    root_ = &nodes_.back();
}

void WorkspaceModel::build(const WorkspaceSnapshot& s, std::deque<Node>& nodes,
                           Node*& root) const {
    nodes.emplace_back();
    root = &nodes.back();
    auto add = [&nodes](Node* parent, NodeKind kind, QString title, QString key,
                        const void* payload) {
        nodes.emplace_back();
        Node* n = &nodes.back();
        n->kind = kind;
        n->title = std::move(title);
        n->key = std::move(key);
        n->parent = parent;
        n->row = static_cast<int>(parent->children.size());
        n->payload = payload;
        parent->children.push_back(n);
        return n;
    };
    Node* experiments = add(root, NodeKind::Category, tr("Experiments"),
                            QStringLiteral("experiments"), nullptr);
    for (const auto& e : s.experiments) {
        Node* en = add(experiments, NodeKind::Experiment, e.name, e.name, nullptr);
        for (const RunRecord& r : e.runs)
            add(en, NodeKind::Run, runDisplayName(r), r.id, &r); // one name everywhere (#23 item 10)
    }
    Node* targets = add(root, NodeKind::Category, tr("Compute targets"),
                        QStringLiteral("targets"), nullptr);
    for (const ComputeTargetRecord& t : s.computeTargets)
        add(targets, NodeKind::ComputeTarget, t.name, t.name, &t);
    Node* models = add(root, NodeKind::Category, tr("Models"), QStringLiteral("models"), nullptr);
    Node* current = nullptr;
    for (const ModelVersion& m : s.models) {
        if (!current || current->key != m.name)
            current = add(models, NodeKind::Model, m.name, m.name, nullptr);
        add(current, NodeKind::ModelVersion, tr("Version %1").arg(m.version),
            m.name + QLatin1Char(':') + QString::number(m.version), &m);
    }
    Node* data = add(root, NodeKind::Category, tr("Data folders"), QStringLiteral("data"), nullptr);
    for (const QString& folder : s.dataFolders)
        add(data, NodeKind::DataFolder, QFileInfo(folder).fileName(), folder, nullptr);
    // Last, so the categories above keep their rows.
    Node* endpoints =
        add(root, NodeKind::Category, tr("Endpoints"), QStringLiteral("endpoints"), nullptr);
    for (const EndpointRecord& e : s.endpoints)
        add(endpoints, NodeKind::Endpoint, e.name, e.name, &e);
}

QStringList WorkspaceModel::shapeOf(const Node* root) {
    QStringList shape;
    std::vector<const Node*> stack{root};
    while (!stack.empty()) {
        const Node* n = stack.back();
        stack.pop_back();
        shape.append(QString::number(static_cast<int>(n->kind)) + n->key);
        for (auto it = n->children.rbegin(); it != n->children.rend(); ++it)
            stack.push_back(*it);
    }
    return shape;
}

void WorkspaceModel::setSnapshot(WorkspaceSnapshotPtr snapshot) {
    if (!snapshot)
        return;
    std::deque<Node> nodes;
    Node* root = nullptr;
    build(*snapshot, nodes, root);
    const bool sameShape = snapshot_ && shapeOf(root) == shapeOf(root_);
    if (sameShape) {
        // Same rows: keep the nodes (views hold plain QModelIndexes whose internal pointers
        // must stay valid) and point them at the new snapshot's records.
        std::vector<std::pair<Node*, const Node*>> pairs{{root_, root}};
        while (!pairs.empty()) {
            auto [mine, theirs] = pairs.back();
            pairs.pop_back();
            mine->payload = theirs->payload;
            mine->title = theirs->title;
            for (std::size_t i = 0; i < mine->children.size(); ++i)
                pairs.emplace_back(mine->children[i], theirs->children[i]);
        }
        snapshot_ = std::move(snapshot);
    } else {
        beginResetModel();
        snapshot_ = std::move(snapshot);
        nodes_.swap(nodes);
        root_ = root;
        runNodes_.clear();
        for (Node& n : nodes_) {
            if (n.kind == NodeKind::Run)
                runNodes_.insert(n.key, &n);
        }
        endResetModel();
        return;
    }
    std::vector<const Node*> stack{root_};
    while (!stack.empty()) {
        const Node* n = stack.back();
        stack.pop_back();
        if (n->children.empty())
            continue;
        const QModelIndex parentIndex =
            n == root_ ? QModelIndex() : createIndex(n->row, 0, const_cast<Node*>(n));
        emit dataChanged(index(0, 0, parentIndex),
                         index(static_cast<int>(n->children.size()) - 1, ColumnCount - 1,
                               parentIndex));
        for (const Node* c : n->children)
            stack.push_back(c);
    }
}

void WorkspaceModel::refreshLiveColumns() {
    if (!root_ || root_->children.empty())
        return;
    for (const Node* e : root_->children.front()->children) {
        bool active = false;
        for (const Node* r : e->children)
            active = active || !isTerminal(static_cast<const RunRecord*>(r->payload)->status);
        if (!active)
            continue;
        const QModelIndex parentIndex = createIndex(e->row, 0, const_cast<Node*>(e));
        emit dataChanged(index(0, DurationColumn, parentIndex),
                         index(static_cast<int>(e->children.size()) - 1, DurationColumn,
                               parentIndex),
                         {Qt::DisplayRole});
    }
}

QModelIndex WorkspaceModel::indexOfRun(const QString& runId) const {
    const Node* n = runNodes_.value(runId);
    return n ? createIndex(n->row, 0, const_cast<Node*>(n)) : QModelIndex();
}

const RunRecord* WorkspaceModel::runAt(const QModelIndex& index) const {
    const Node* n = nodeOf(index);
    return n && n->kind == NodeKind::Run ? static_cast<const RunRecord*>(n->payload) : nullptr;
}

QString WorkspaceModel::formatDuration(qint64 seconds) {
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10,
                                                          QLatin1Char('0'));
    return tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

qint64 WorkspaceModel::runSeconds(const RunRecord& run, const QDateTime& now) {
    const QDateTime start = run.started.isValid() ? run.started : QDateTime();
    if (!start.isValid())
        return -1;
    const QDateTime end = run.ended.isValid() ? run.ended : now;
    return std::max<qint64>(0, start.secsTo(end));
}

WorkspaceModel::Node* WorkspaceModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_;
}

QModelIndex WorkspaceModel::index(int row, int column, const QModelIndex& parent) const {
    const Node* p = nodeOf(parent);
    if (!p || row < 0 || column < 0 || column >= ColumnCount ||
        row >= static_cast<int>(p->children.size()) || (parent.isValid() && parent.column() != 0))
        return {};
    return createIndex(row, column, p->children[static_cast<std::size_t>(row)]);
}

QModelIndex WorkspaceModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    const Node* n = nodeOf(child);
    if (!n->parent || n->parent == root_)
        return {};
    return createIndex(n->parent->row, 0, n->parent);
}

int WorkspaceModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Node* n = nodeOf(parent);
    return n ? static_cast<int>(n->children.size()) : 0;
}

int WorkspaceModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant WorkspaceModel::runData(const RunRecord& run, int column, int role) const {
    if (role == Qt::DisplayRole) {
        if (column == StatusColumn)
            return toString(run.status);
        if (column == DurationColumn) {
            const QDateTime now = clock_.isValid() ? clock_ : QDateTime::currentDateTimeUtc();
            return formatDuration(runSeconds(run, now));
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = runToolTip(run) + tr("\ncreated %1").arg(run.created.toLocalTime().toString(Qt::ISODate));
        if (run.exitCode)
            tip += tr("\nexit code %1").arg(*run.exitCode);
        if (!run.reason.isEmpty())
            tip += QLatin1Char('\n') + run.reason;
        return tip;
    }
    if (role == StatusRole)
        return toString(run.status);
    if (role == RunDirRole)
        return run.runDir;
    return {};
}

QString WorkspaceModel::experimentCounts(const Node& experiment) {
    // A sweep's parent is a record in the runs table, but no run of a script: "3 runs · 1
    // sweep", not "4 runs" (#23 item 12). A parent is a run that another run names.
    QSet<QString> parents;
    for (const Node* child : experiment.children)
        if (const auto* run = static_cast<const RunRecord*>(child->payload); run && !run->parentId.isEmpty())
            parents.insert(run->parentId);
    int runs = 0, sweeps = 0;
    for (const Node* child : experiment.children)
        ++(parents.contains(child->key) ? sweeps : runs);
    QString text = runs == 1 ? tr("1 run") : tr("%1 runs").arg(runs);
    if (sweeps > 0)
        text += sweeps == 1 ? tr(" · 1 sweep") : tr(" · %1 sweeps").arg(sweeps);
    return text;
}

QVariant WorkspaceModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* n = nodeOf(index);
    const int column = index.column();
    switch (role) {
    case KindRole:
        return static_cast<int>(n->kind);
    case KeyRole:
        return n->key;
    default:
        break;
    }
    if (n->kind == NodeKind::Run) {
        if (role == Qt::DisplayRole && column == NameColumn)
            return n->title;
        return runData(*static_cast<const RunRecord*>(n->payload), column, role);
    }
    if (n->kind == NodeKind::Endpoint) {
        const auto* e = static_cast<const EndpointRecord*>(n->payload);
        if ((role == Qt::DisplayRole && column == StatusColumn) || role == StatusRole)
            return toString(e->state);
        if (role == Qt::ToolTipRole)
            return e->reason.isEmpty() ? e->models.join(QStringLiteral(", "))
                                       : e->models.join(QStringLiteral(", ")) +
                                             QLatin1Char('\n') + e->reason;
    }
    if (role == Qt::DisplayRole) {
        if (column == NameColumn)
            return n->title;
        if (column == StatusColumn) {
            const auto count = static_cast<int>(n->children.size());
            if (n->kind == NodeKind::Experiment)
                return experimentCounts(*n);
            if (n->kind == NodeKind::Model)
                return count == 1 ? tr("1 version") : tr("%1 versions").arg(count);
            if (n->kind == NodeKind::Category)
                return count ? QVariant(QString::number(count)) : QVariant();
            if (n->kind == NodeKind::ComputeTarget)
                return static_cast<const ComputeTargetRecord*>(n->payload)->kind;
            // The size, not the run id: timestamped ids would widen the column past the names
            // (the tooltip and the Models page name the source run).
            if (n->kind == NodeKind::ModelVersion)
                return RunFilesModel::formatSize(static_cast<const ModelVersion*>(n->payload)->size);
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (n->kind == NodeKind::DataFolder)
            return n->key;
        if (n->kind == NodeKind::ModelVersion) {
            const auto* m = static_cast<const ModelVersion*>(n->payload);
            return tr("%1 version %2\nfrom run %3\n%4 bytes")
                .arg(m->name)
                .arg(m->version)
                .arg(m->runId.isEmpty() ? tr("(none)") : m->runId)
                .arg(m->size);
        }
    }
    if (role == VersionRole && n->kind == NodeKind::ModelVersion)
        return static_cast<const ModelVersion*>(n->payload)->version;
    return {};
}

QVariant WorkspaceModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

Qt::ItemFlags WorkspaceModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QHash<int, QByteArray> WorkspaceModel::roleNames() const {
    auto names = QAbstractItemModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(KeyRole, "key");
    names.insert(StatusRole, "status");
    names.insert(VersionRole, "version");
    names.insert(RunDirRole, "runDir");
    return names;
}

} // namespace lb
