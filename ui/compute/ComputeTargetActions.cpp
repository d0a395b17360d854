#include "ui/compute/ComputeTargetActions.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/TargetAdmin.h"
#include "core/live/BackgroundCall.h"
#include "core/live/WorkspaceModel.h"
#include "core/workspace/Workspace.h"
#include "ui/compute/ComputeTargetDialog.h"
#include "ui/main/WorkbenchShell.h"

#include <QMenu>
#include <QMessageBox>

namespace lb::ui {

namespace {

struct TestAnswer {
    bool ok = false;
    QString text;
};

bool isKind(const QModelIndex& index, WorkspaceModel::NodeKind kind) {
    return index.isValid() &&
           index.data(WorkspaceModel::KindRole).toInt() == static_cast<int>(kind);
}

} // namespace

ComputeTargetActions::ComputeTargetActions(WorkbenchShell* shell, QObject* parent)
    : QObject(parent)
    , shell_(shell) {}

QMenu* ComputeTargetActions::createMenu(QWidget* parent) {
    auto* menu = new QMenu(tr("&Compute"), parent);
    menu->addAction(tr("New &local target…"), this, [this] { newTarget(QStringLiteral("local")); });
    menu->addAction(tr("New &SSH target…"), this, [this] { newTarget(QStringLiteral("ssh")); });
    menu->addAction(tr("New S&lurm target…"), this, [this] { newTarget(QStringLiteral("slurm")); });
    QMenu* edit = menu->addMenu(tr("&Edit target"));
    QMenu* test = menu->addMenu(tr("&Test target"));
    QMenu* remove = menu->addMenu(tr("&Remove target"));
    // The target lists are filled when the menu opens: they follow the workspace.
    connect(menu, &QMenu::aboutToShow, this, [this, edit, test, remove] {
        for (QMenu* m : {edit, test, remove})
            m->clear();
        for (const QString& name : targetNames()) {
            edit->addAction(name, this, [this, name] { editTarget(name); });
            test->addAction(name, this, [this, name] { testTarget(name); });
            remove->addAction(name, this, [this, name] { removeTarget(name); });
        }
        for (QMenu* m : {edit, test, remove})
            m->setEnabled(!m->isEmpty());
    });
    return menu;
}

void ComputeTargetActions::activate(const QModelIndex& index) {
    if (isKind(index, WorkspaceModel::NodeKind::ComputeTarget))
        editTarget(index.data(WorkspaceModel::KeyRole).toString());
}

QString ComputeTargetActions::root() const {
    const WorkspaceSnapshotPtr snapshot = shell_->snapshot();
    return snapshot ? snapshot->root : QString();
}

QStringList ComputeTargetActions::targetNames() const {
    QStringList names;
    if (const WorkspaceSnapshotPtr snapshot = shell_->snapshot())
        for (const ComputeTargetRecord& t : snapshot->computeTargets)
            names.append(t.name);
    return names;
}

void ComputeTargetActions::say(const QString& text) {
    shell_->showStatusMessage(text, 10000);
}

void ComputeTargetActions::addContextActions(QMenu* menu, const QModelIndex& index) {
    const bool onTargets =
        isKind(index, WorkspaceModel::NodeKind::Category) &&
        index.data(WorkspaceModel::KeyRole).toString() == QLatin1String("targets");
    const bool onTarget = isKind(index, WorkspaceModel::NodeKind::ComputeTarget);
    if (!onTargets && !onTarget) return;
    menu->addSeparator();
    if (onTarget) {
        const QString name = index.data(WorkspaceModel::KeyRole).toString();
        menu->addAction(tr("Edit %1…").arg(name), this, [this, name] { editTarget(name); });
        menu->addAction(tr("Test connection"), this, [this, name] { testTarget(name); });
        menu->addAction(tr("Remove %1…").arg(name), this, [this, name] { removeTarget(name); });
        menu->addSeparator();
    }
    QMenu* create = menu->addMenu(tr("New compute target"));
    create->addAction(tr("Local…"), this, [this] { newTarget(QStringLiteral("local")); });
    create->addAction(tr("SSH…"), this, [this] { newTarget(QStringLiteral("ssh")); });
    create->addAction(tr("Slurm…"), this, [this] { newTarget(QStringLiteral("slurm")); });
}

ComputeTargetDialog* ComputeTargetActions::newTarget(const QString& kind) {
    if (root().isEmpty()) {
        say(tr("Open a workspace first: compute targets belong to one."));
        return nullptr;
    }
    auto* dialog = new ComputeTargetDialog(root(), kind, targetNames(), std::nullopt,
                                           shell_->dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ComputeTargetDialog::saved, this, [this](const QString& name) {
        say(tr("Created compute target '%1'.").arg(name));
        shell_->refreshWorkspace();
    });
    dialog->open();
    return dialog;
}

ComputeTargetDialog* ComputeTargetActions::editTarget(const QString& name) {
    const WorkspaceSnapshotPtr snapshot = shell_->snapshot();
    if (!snapshot) return nullptr;
    for (const ComputeTargetRecord& t : snapshot->computeTargets) {
        if (t.name != name) continue;
        try {
            auto* dialog =
                new ComputeTargetDialog(root(), t.kind, targetNames(), t, shell_->dialogParent());
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &ComputeTargetDialog::saved, this, [this](const QString& n) {
                say(tr("Saved compute target '%1'.").arg(n));
                shell_->refreshWorkspace();
            });
            dialog->open();
            return dialog;
        } catch (const std::exception& e) {
            // Settings another version wrote, or a hand-edited store: say so, don't crash.
            say(QString::fromUtf8(e.what()));
            return nullptr;
        }
    }
    say(tr("There is no compute target '%1' in this workspace.").arg(name));
    return nullptr;
}

void ComputeTargetActions::removeTarget(const QString& name, bool confirm) {
    if (root().isEmpty()) return;
    if (confirm &&
        QMessageBox::question(shell_->dialogParent(), tr("Remove compute target"),
                              tr("Remove compute target '%1'? Its finished runs stay in the "
                                 "workspace.")
                                  .arg(name)) != QMessageBox::Yes)
        return;
    runInBackground<QString>(
        this,
        [root = root(), name] {
            try {
                Workspace workspace = Workspace::open(root);
                removeComputeTarget(workspace, name);
                return QString();
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        },
        [this, name](QString error) {
            say(error.isEmpty() ? tr("Removed compute target '%1'.").arg(name) : error);
            if (error.isEmpty())
                shell_->refreshWorkspace();
            emit removeFinished(name, error);
        });
}

void ComputeTargetActions::testTarget(const QString& name) {
    if (root().isEmpty()) return;
    say(tr("Testing compute target '%1'…").arg(name));
    runInBackground<TestAnswer>(
        this,
        [root = root(), name] {
            try {
                Workspace workspace = Workspace::open(root);
                const auto target = openComputeTarget(workspace, name);
                return TestAnswer{true, testComputeTarget(*target).join(QLatin1Char('\n'))};
            } catch (const std::exception& e) {
                return TestAnswer{false, QString::fromUtf8(e.what())};
            }
        },
        [this, name](TestAnswer a) {
            say(a.ok ? tr("'%1' OK: %2").arg(name, a.text.section(QLatin1Char('\n'), 0, 0))
                     : a.text);
            if (!a.ok) {
                auto* box = new QMessageBox(QMessageBox::Warning, tr("Test of %1").arg(name),
                                            a.text, QMessageBox::Ok, shell_->dialogParent());
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            }
            emit testFinished(name, a.ok, a.text);
        });
}

} // namespace lb::ui
