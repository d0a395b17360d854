#pragma once
// Downloading a run's kept file or folder to a place the user chose. Names come from the run
// (its script wrote them), so none may lead anywhere else: an absolute name, a ".." part, or a
// link whose target lies outside the run's folder is refused before a byte is copied, and every
// file is written below the chosen target only. The copy runs on its own thread with progress.

#include <QList>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <thread>

namespace lb {

struct DownloadPlan {
    struct Item {
        QString source; // absolute
        QString target; // absolute, below plan.target
        qint64 size = 0;
        bool folder = false;
    };
    QString target;    // the file or folder the download creates
    QList<Item> items; // folders before what they hold
    qint64 totalBytes = 0;
};

// The entry `relativePath` ("outputs/model.npz", "outputs/plots") of the folder `root` (a run's
// snapshot), to be created as `target`. A file may replace an existing regular file (the save
// dialog asked); a folder target must not exist yet. Throws lb::Error naming the offending entry.
DownloadPlan planDownload(const QString& root, const QString& relativePath, const QString& target);

// Where downloading `relativePath` into the folder `destination` puts it: destination/<its last
// name>, after checking that name. Throws lb::Error for a name that would leave `destination`.
QString downloadTargetIn(const QString& destination, const QString& relativePath);

// Copies what the plan lists. `progress(doneBytes, totalBytes)` is called after each chunk;
// returning false cancels, and whatever was created is removed again. Throws lb::Error.
void runDownload(const DownloadPlan& plan, const std::function<bool(qint64, qint64)>& progress);

// One download on its own thread.
class DownloadJob : public QObject {
    Q_OBJECT
public:
    DownloadJob(QString root, QString relativePath, QString target, QObject* parent = nullptr);
    ~DownloadJob() override; // cancels and waits

    void start();
    void cancel() { cancel_ = true; }
    const QString& target() const { return target_; }

signals:
    void progress(qint64 doneBytes, qint64 totalBytes);
    void finished(const QString& target);
    void failed(const QString& message); // also after a cancel ("Download canceled.")

private:
    QString root_, relativePath_, target_;
    std::atomic<bool> cancel_{false};
    std::thread thread_;
};

} // namespace lb
