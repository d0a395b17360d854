#include "core/live/RunImagesModel.h"

namespace lb {

RunImagesModel::RunImagesModel(QObject* parent)
    : QAbstractListModel(parent) {}

QString RunImagesModel::caption(const RunImage& image) {
    return image.step >= 0 ? tr("%1 · step %2").arg(image.name).arg(image.step) : image.name;
}

void RunImagesModel::setImages(const RunImageList& images) {
    // The feed only appends and rewrites, except when files were deleted: then start over.
    bool prefix = images.size() >= images_.size();
    for (qsizetype i = 0; prefix && i < images_.size(); ++i)
        prefix = images[i].path == images_[i].path;
    if (!prefix) {
        beginResetModel();
        images_ = images;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < images_.size(); ++i) {
        const RunImage& now = images[i];
        RunImage& had = images_[i];
        if (now.revision != had.revision || now.name != had.name || now.step != had.step) {
            had = now;
            const QModelIndex at = index(static_cast<int>(i));
            emit dataChanged(at, at);
        }
    }
    if (images.size() > images_.size()) {
        beginInsertRows({}, static_cast<int>(images_.size()), static_cast<int>(images.size() - 1));
        for (qsizetype i = images_.size(); i < images.size(); ++i)
            images_.append(images[i]);
        endInsertRows();
    }
}

int RunImagesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(images_.size());
}

QVariant RunImagesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunImage& image = images_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return caption(image);
    case Qt::ToolTipRole:
        return tr("%1 (%2)").arg(caption(image), image.path);
    case NameRole:
        return image.name;
    case StepRole:
        return image.step;
    case PathRole:
        return image.path;
    case BytesRole:
        return image.bytes;
    case SizeRole:
        return image.size;
    case RevisionRole:
        return image.revision;
    default:
        return {};
    }
}

QHash<int, QByteArray> RunImagesModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(StepRole, "step");
    names.insert(PathRole, "path");
    names.insert(BytesRole, "bytes");
    names.insert(SizeRole, "size");
    names.insert(RevisionRole, "revision");
    return names;
}

} // namespace lb
