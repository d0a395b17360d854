#pragma once
// A run's kept files (outputs/, logs/) as a tree with sizes, with Open (the desktop's handler)
// and Download (a file or a whole folder to a place the user picks; the core copies it on its
// own thread, with progress and Cancel, refusing names that would lead outside).

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeView;

namespace lb {
class DownloadJob;
class RunFilesModel;
} // namespace lb

namespace lb::ui {

class OutputsPanel : public QWidget {
    Q_OBJECT
public:
    explicit OutputsPanel(RunFilesModel* files, QWidget* parent = nullptr);
    ~OutputsPanel() override;

    // The folder the tree's paths are relative to (the run's snapshot).
    void setRoot(const QString& snapshotDir);
    QTreeView* view() const { return view_; }
    // The selected entry's path ("outputs/model.npz"), or empty.
    QString selectedPath() const;
    // Downloads `relativePath` to `target` (what the Download button does after its dialog).
    // Returns false when a download is already running.
    bool download(const QString& relativePath, const QString& target);
    bool downloading() const { return job_ != nullptr; }
    QString statusText() const;
    // Whether the run has ended: the empty panel's explanation says "yet" only while it runs.
    void setRunEnded(bool ended);
    // The explanation shown instead of an empty tree (#23 item 14), or empty when files show.
    QString emptyText() const;

signals:
    void downloadFinished(const QString& target);
    void downloadFailed(const QString& message);

private:
    void updateButtons();
    void updateEmpty();
    void chooseAndDownload();
    void openSelected();
    RunFilesModel* files_ = nullptr;
    QString root_;
    QTreeView* view_ = nullptr;
    QPushButton* open_ = nullptr;
    QPushButton* download_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* empty_ = nullptr;
    bool runEnded_ = false;
    DownloadJob* job_ = nullptr;
};

} // namespace lb::ui
