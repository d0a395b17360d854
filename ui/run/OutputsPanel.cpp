#include "ui/run/OutputsPanel.h"

#include "core/live/RunDownload.h"
#include "core/live/RunFilesModel.h"
#include "core/util/Error.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace lb::ui {

OutputsPanel::OutputsPanel(RunFilesModel* files, QWidget* parent)
    : QWidget(parent)
    , files_(files) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 6, 8, 6);
    open_ = new QPushButton(tr("Open"));
    open_->setObjectName(QStringLiteral("openOutput"));
    open_->setToolTip(tr("Open the selected file with the desktop's application"));
    download_ = new QPushButton(tr("Download…"));
    download_->setObjectName(QStringLiteral("downloadOutput"));
    download_->setToolTip(tr("Copy the selected file or folder to a place you choose"));
    bar->addWidget(open_);
    bar->addWidget(download_);
    progress_ = new QProgressBar;
    progress_->setTextVisible(true);
    progress_->setMaximumWidth(220);
    progress_->hide();
    cancel_ = new QPushButton(tr("Cancel download"));
    cancel_->setObjectName(QStringLiteral("cancelDownload"));
    cancel_->hide();
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("muted"));
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(progress_);
    bar->addWidget(cancel_);
    bar->addWidget(status_, 1);
    layout->addLayout(bar);

    view_ = new QTreeView;
    view_->setModel(files_);
    view_->header()->setStretchLastSection(false);
    view_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    view_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    view_->setAlternatingRowColors(true);
    view_->setFrameShape(QFrame::NoFrame);
    layout->addWidget(view_, 1);
    empty_ = new QLabel;
    empty_->setObjectName(QStringLiteral("outputsEmpty"));
    empty_->setWordWrap(true);
    empty_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    empty_->setContentsMargins(16, 16, 16, 16);
    empty_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(empty_, 1);

    connect(view_, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        if (!index.data(RunFilesModel::IsFolderRole).toBool()) openSelected();
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OutputsPanel::updateButtons);
    connect(files_, &QAbstractItemModel::modelReset, this, &OutputsPanel::updateButtons);
    connect(files_, &QAbstractItemModel::modelReset, this, &OutputsPanel::updateEmpty);
    connect(files_, &QAbstractItemModel::rowsInserted, this, &OutputsPanel::updateEmpty);
    connect(files_, &QAbstractItemModel::rowsRemoved, this, &OutputsPanel::updateEmpty);
    connect(open_, &QPushButton::clicked, this, &OutputsPanel::openSelected);
    connect(download_, &QPushButton::clicked, this, &OutputsPanel::chooseAndDownload);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (job_) job_->cancel();
    });
    updateButtons();
    updateEmpty();
}

OutputsPanel::~OutputsPanel() {
    delete job_;
}

void OutputsPanel::setRoot(const QString& snapshotDir) {
    root_ = snapshotDir;
    updateButtons();
}

QString OutputsPanel::selectedPath() const {
    const QModelIndex i = view_->currentIndex();
    return i.isValid() ? i.data(RunFilesModel::PathRole).toString() : QString();
}

QString OutputsPanel::statusText() const {
    return status_->text();
}

void OutputsPanel::setRunEnded(bool ended) {
    if (ended == runEnded_)
        return;
    runEnded_ = ended;
    updateEmpty();
}

QString OutputsPanel::emptyText() const {
    return empty_->isHidden() ? QString() : empty_->text();
}

void OutputsPanel::updateEmpty() {
    // An empty tree says nothing; say why it is empty and how a script fills it (#23 item 14).
    const bool none = files_->rowCount() == 0;
    view_->setVisible(!none);
    empty_->setVisible(none);
    if (!none)
        return;
    const QString how =
        tr("A script keeps files with its run by writing them under ./outputs (or ./logs) "
           "relative to its working directory, for example "
           "torch.save(model, \"outputs/model.pt\") or np.savez(\"outputs/model.npz\", …). "
           "Only those two folders are kept: files written anywhere else are not.");
    empty_->setText((runEnded_ ? tr("This run wrote no files to ./outputs or ./logs.")
                               : tr("No files in ./outputs or ./logs yet; they appear here as "
                                    "the script writes them.")) +
                    QStringLiteral("\n\n") + how);
}

void OutputsPanel::updateButtons() {
    const QModelIndex i = view_->currentIndex();
    const bool any = i.isValid() && !root_.isEmpty();
    open_->setEnabled(any && !i.data(RunFilesModel::IsFolderRole).toBool());
    download_->setEnabled(any && !job_);
}

void OutputsPanel::openSelected() {
    const QString path = selectedPath();
    if (path.isEmpty() || root_.isEmpty()) return;
    // The same check a download makes: the run's name must stay inside its folder.
    try {
        const DownloadPlan plan =
            planDownload(root_, path, QDir::tempPath() + QStringLiteral("/x"));
        QDesktopServices::openUrl(QUrl::fromLocalFile(plan.items.front().source));
    } catch (const Error& e) {
        status_->setText(e.message());
    }
}

void OutputsPanel::chooseAndDownload() {
    const QModelIndex i = view_->currentIndex();
    const QString path = selectedPath();
    if (path.isEmpty()) return;
    QString target;
    if (i.data(RunFilesModel::IsFolderRole).toBool()) {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Download %1 into").arg(path), QDir::homePath());
        if (dir.isEmpty()) return;
        try {
            target = downloadTargetIn(dir, path);
        } catch (const Error& e) {
            status_->setText(e.message());
            emit downloadFailed(e.message());
            return;
        }
    } else {
        target = QFileDialog::getSaveFileName(
            this, tr("Download %1").arg(path),
            QDir(QDir::homePath()).filePath(i.data(Qt::DisplayRole).toString()));
        if (target.isEmpty()) return;
    }
    download(path, target);
}

bool OutputsPanel::download(const QString& relativePath, const QString& target) {
    if (job_ || root_.isEmpty()) return false;
    job_ = new DownloadJob(root_, relativePath, target, this);
    progress_->setRange(0, 0);
    progress_->show();
    cancel_->show();
    status_->setText(tr("Downloading %1…").arg(relativePath));
    connect(job_, &DownloadJob::progress, this, [this](qint64 done, qint64 total) {
        // Kilobytes keep the range inside an int for files up to 2 TB.
        progress_->setRange(0, static_cast<int>(std::max<qint64>(1, total / 1024)));
        progress_->setValue(static_cast<int>(done / 1024));
        progress_->setFormat(
            tr("%1 of %2").arg(RunFilesModel::formatSize(done), RunFilesModel::formatSize(total)));
    });
    const auto finish = [this] {
        job_->deleteLater();
        job_ = nullptr;
        progress_->hide();
        cancel_->hide();
        updateButtons();
    };
    connect(job_, &DownloadJob::finished, this, [this, finish](const QString& where) {
        finish();
        status_->setText(tr("Downloaded to %1").arg(QDir::toNativeSeparators(where)));
        emit downloadFinished(where);
    });
    connect(job_, &DownloadJob::failed, this, [this, finish](const QString& message) {
        finish();
        status_->setText(message);
        emit downloadFailed(message);
    });
    updateButtons();
    job_->start();
    return true;
}

} // namespace lb::ui
