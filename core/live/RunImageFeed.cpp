#include "core/live/RunImageFeed.h"

#include "core/lifecycle/RunFolder.h"
#include "core/util/Json.h"
#include "core/util/SafeFile.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <algorithm>

namespace lb {

namespace {

const QString kImagesFolder = QStringLiteral("logs/images");

bool isImageName(const QString& name) {
    static const QStringList suffixes = {QStringLiteral("png"),  QStringLiteral("jpg"),
                                         QStringLiteral("jpeg"), QStringLiteral("gif"),
                                         QStringLiteral("bmp"),  QStringLiteral("webp"),
                                         QStringLiteral("svg")};
    return suffixes.contains(QFileInfo(name).suffix().toLower());
}

} // namespace

RunImageFeed::RunImageFeed(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<lb::RunImageList>();
}

RunImageFeed::~RunImageFeed() {
    thread_.stop();
}

void RunImageFeed::start(const QString& runDir, int intervalMs) {
    thread_.stop();
    runDir_ = runDir;
    thread_.start(
        [this] {
            if (scan()) emit changed(images_);
        },
        std::chrono::milliseconds(intervalMs));
}

void RunImageFeed::readRecords() {
    // The script writes this file: a FIFO or a link in its place is no stream (#25).
    const std::optional<SafeFile> f = SafeFile::openIfRegular(RunFolder(runDir_).metricsFile());
    if (!f) return;
    if (f->size() < metricsOffset_) { // rewritten: read it again from the start
        metricsOffset_ = 0;
        partialLine_.clear();
    }
    // Bounded reads: a long metric stream is consumed over several polls.
    QByteArray chunk;
    try {
        chunk = f->readAt(metricsOffset_, 8 * 1024 * 1024);
    } catch (const Error&) {
        return;
    }
    metricsOffset_ += chunk.size();
    QByteArray data = partialLine_ + chunk;
    const qsizetype lastNewline = data.lastIndexOf('\n');
    partialLine_ = data.mid(lastNewline + 1);
    // An image record is a short line: a longer one is not kept growing across polls.
    if (partialLine_.size() > kMaxRecordBytes) partialLine_.clear();
    data.truncate(lastNewline + 1);
    for (const QByteArray& line : data.split('\n')) {
        if (!line.contains("\"image\"")) // most lines are metric points: skip them unparsed
            continue;
        const Json j =
            Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!j.is_object() || j.value("type", std::string()) != "image" || !j.contains("value") ||
            !j["value"].is_string())
            continue;
        Record r;
        if (j.contains("name") && j["name"].is_string())
            r.name = fromStd(j["name"].get<std::string>());
        if (j.contains("step") && j["step"].is_number_integer()) r.step = j["step"].get<qint64>();
        // Only the path's name counts: an image is shown when that file is in logs/images/.
        const QString path = QDir::cleanPath(fromStd(j["value"].get<std::string>()));
        records_.insert(path, r);
    }
}

bool RunImageFeed::scan() {
    readRecords();
    const QString folder = RunFolder(runDir_).snapshotDir() + QLatin1Char('/') + kImagesFolder;
    // Regular files only: a link in logs/images could point anywhere on the machine.
    const QFileInfoList entries =
        QDir(folder).entryInfoList(QDir::Files | QDir::NoSymLinks | QDir::Hidden, QDir::Name);
    bool changed = false;
    QSet<QString> present;
    RunImageList added;
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < images_.size(); ++i)
        index.insert(images_[i].path, i);
    for (const QFileInfo& info : entries) {
        if (!isImageName(info.fileName())) continue;
        const QString path = kImagesFolder + QLatin1Char('/') + info.fileName();
        present.insert(path);
        const qint64 modified = info.lastModified().toMSecsSinceEpoch();
        Record record = records_.value(path, {info.completeBaseName(), -1});
        if (record.name.isEmpty()) record.name = info.completeBaseName();
        const auto it = index.constFind(path);
        RunImage* image = nullptr;
        RunImage fresh;
        if (it != index.cend()) {
            image = &images_[*it];
        } else {
            fresh.path = path;
            image = &fresh;
        }
        const bool contentChanged =
            it == index.cend() || image->size != info.size() || image->modifiedMs != modified;
        if (contentChanged) {
            image->size = info.size();
            image->modifiedMs = modified;
            image->bytes.clear();
            if (info.size() <= kMaxImageBytes) {
                // Listed as a regular file; a FIFO or link swapped in since is not waited on.
                if (const auto f = SafeFile::openIfRegular(info.filePath())) {
                    try {
                        image->bytes = f->readAll(kMaxImageBytes);
                    } catch (const Error&) {
                        image->bytes.clear(); // grew past the limit: shown as too large
                    }
                }
            }
            image->revision = nextRevision_++;
        }
        if (contentChanged || image->name != record.name || image->step != record.step) {
            image->name = record.name;
            image->step = record.step;
            changed = true;
        }
        if (it == index.cend()) added.append(fresh);
    }
    const qsizetype before = images_.size();
    images_.removeIf([&](const RunImage& i) { return !present.contains(i.path); });
    changed = changed || images_.size() != before;
    // Images that appeared together are shown in the order they were written.
    std::stable_sort(added.begin(), added.end(), [](const RunImage& a, const RunImage& b) {
        return a.modifiedMs < b.modifiedMs;
    });
    images_.append(added);
    return changed;
}

} // namespace lb
