#pragma once
// The images strip's list: one row per image a run logged, in the order they appeared, fed
// whole lists by a RunImageFeed. New images are inserted at the end (no reset, so the strip
// keeps its scroll position and selection); an image written again changes its row.

#include "core/live/RunImageFeed.h"

#include <QAbstractListModel>

namespace lb {

class RunImagesModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1, // the logged name
        StepRole,                    // qint64; -1 when unknown
        PathRole,                    // relative to the snapshot: "logs/images/x.png"
        BytesRole,                   // QByteArray: the file's content (empty when too large)
        SizeRole,                    // qint64 bytes on disk
        RevisionRole,                // quint64: changes whenever the content does
    };

    explicit RunImagesModel(QObject* parent = nullptr);

    void setImages(const RunImageList& images);
    const RunImageList& images() const { return images_; }
    // "confusion · step 3" (or the name alone when no step was logged).
    static QString caption(const RunImage& image);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    RunImageList images_;
};

} // namespace lb
