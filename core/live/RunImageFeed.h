#pragma once
// The images a run's script logged (labbench.log_image copies them to ./logs/images/ and writes
// an "image" record with their name and step to metrics.jsonl), followed from a background
// thread: the folder is listed and the metric stream read past its last offset every interval;
// new or rewritten images are read there too, so the UI thread never touches the disk.

#include "core/live/PollThread.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <memory>

namespace lb {

// One logged image.
struct RunImage {
    QString path;     // relative to the run's snapshot: "logs/images/cm_4711.png"
    QString name;     // the name it was logged under (the file's base name when unknown)
    qint64 step = -1; // -1: no image record names it (a file written there directly)
    qint64 size = 0;
    qint64 modifiedMs = 0;
    QByteArray bytes;     // the file's content; empty when over kMaxImageBytes
    quint64 revision = 0; // bumped whenever the content was read again
};

using RunImageList = QList<RunImage>;

class RunImageFeed : public QObject {
    Q_OBJECT
public:
    // Larger files are listed without their content (the strip shows their name only).
    static constexpr qint64 kMaxImageBytes = 32 * 1024 * 1024;
    // A metrics line longer than this is no image record; it is dropped, not carried over.
    static constexpr qsizetype kMaxRecordBytes = 64 * 1024;

    explicit RunImageFeed(QObject* parent = nullptr);
    ~RunImageFeed() override;

    // Follows runs/<id> (`runDir`): its snapshot/logs/images/ and metrics.jsonl.
    void start(const QString& runDir, int intervalMs = 400);
    void stop() { thread_.stop(); }

    // One scan, on the calling thread (the feed's thread calls it; tests may too). Returns true
    // when the list changed.
    bool scan();
    // The list after the last scan (only for the thread that scans).
    const RunImageList& images() const { return images_; }

signals:
    // The whole list, in the order the images appeared, after every change (queued to the UI).
    void changed(const lb::RunImageList& images);

private:
    void readRecords();
    QString runDir_;
    PollThread thread_;
    // Owned by the scanning thread.
    RunImageList images_;
    struct Record {
        QString name;
        qint64 step = -1;
    };
    QHash<QString, Record> records_; // image records by path
    qint64 metricsOffset_ = 0;
    QByteArray partialLine_;
    quint64 nextRevision_ = 1;
};

} // namespace lb

Q_DECLARE_METATYPE(lb::RunImageList)
