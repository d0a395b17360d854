#include "ui/run/ImagesStrip.h"

#include "core/live/RunImageFeed.h"
#include "core/live/RunImagesModel.h"
#include "ui/common/AppStyle.h"

#include <QBuffer>
#include <QDialog>
#include <QIdentityProxyModel>
#include <QImageReader>
#include <QLabel>
#include <QListView>
#include <QPixmap>
#include <QPointer>
#include <QScrollArea>
#include <QThreadPool>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Decodes an image from memory, scaled to fit `box` (0: full size).
QImage decode(const QByteArray& bytes, int box) {
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    if (box > 0) {
        const QSize size = reader.size();
        if (size.isValid() && (size.width() > box || size.height() > box))
            reader.setScaledSize(size.scaled(box, box, Qt::KeepAspectRatio));
    }
    QImage image = reader.read();
    if (box > 0 && !image.isNull() && (image.width() > box || image.height() > box))
        image = image.scaled(box, box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

} // namespace

// Adds the decoded thumbnails to the core model's rows (a view concern).
class ImagesStrip::Decorator : public QIdentityProxyModel {
public:
    explicit Decorator(ImagesStrip* strip)
        : QIdentityProxyModel(strip)
        , strip_(strip) {}
    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::DecorationRole) {
            const QImage image = strip_->thumbnail(index.row());
            if (!image.isNull()) return QPixmap::fromImage(image);
            return {};
        }
        return QIdentityProxyModel::data(index, role);
    }
    void refresh(int row) {
        const QModelIndex i = index(row, 0);
        emit dataChanged(i, i, {Qt::DecorationRole});
    }

private:
    ImagesStrip* strip_;
};

ImagesStrip::ImagesStrip(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    empty_ = makeMutedLabel(tr("No images yet. Images logged with labbench.log_image() (or copied "
                           "to ./logs/images/) appear here as they arrive."));
    empty_->setAlignment(Qt::AlignCenter);
    layout->addWidget(empty_);
    model_ = new RunImagesModel(this);
    decorator_ = new Decorator(this);
    decorator_->setSourceModel(model_);
    view_ = new QListView;
    view_->setViewMode(QListView::IconMode);
    view_->setIconSize(QSize(kThumbnail, kThumbnail));
    view_->setGridSize(QSize(kThumbnail + 24, kThumbnail + 44));
    view_->setResizeMode(QListView::Adjust);
    view_->setMovement(QListView::Static);
    view_->setWrapping(true);
    view_->setUniformItemSizes(true);
    view_->setWordWrap(true);
    view_->setModel(decorator_);
    layout->addWidget(view_, 1);
    view_->hide();

    connect(view_, &QListView::clicked, this,
            [this](const QModelIndex& index) { enlarge(index.row()); });
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { requestThumbnails(first, last); });
    connect(model_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& a, const QModelIndex& b) {
                requestThumbnails(a.row(), b.row());
            });
    connect(model_, &QAbstractItemModel::modelReset, this,
            [this] { requestThumbnails(0, model_->rowCount() - 1); });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model_, signal, this, [this] {
            empty_->setVisible(model_->rowCount() == 0);
            view_->setVisible(model_->rowCount() > 0);
        });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        empty_->setVisible(model_->rowCount() == 0);
        view_->setVisible(model_->rowCount() > 0);
    });
}

ImagesStrip::~ImagesStrip() {
    delete feed_; // stops its thread before the model goes
    // Decodes still queued hold only a QPointer to this strip.
}

void ImagesStrip::setRunDir(const QString& runDir) {
    delete feed_;
    feed_ = new RunImageFeed(this);
    connect(feed_, &RunImageFeed::changed, model_, &RunImagesModel::setImages);
    feed_->start(runDir);
}

QImage ImagesStrip::thumbnail(int row) const {
    if (row < 0 || row >= model_->rowCount()) return {};
    const RunImage& image = model_->images()[row];
    const auto it = thumbs_.constFind(image.path);
    return it != thumbs_.cend() && it->revision == image.revision ? it->image : QImage();
}

void ImagesStrip::requestThumbnails(int first, int last) {
    for (int row = std::max(0, first); row <= last && row < model_->rowCount(); ++row) {
        const RunImage& image = model_->images()[row];
        Thumb& t = thumbs_[image.path];
        if ((t.revision == image.revision && !t.image.isNull()) ||
            (t.pending && t.revision == image.revision))
            continue;
        t.revision = image.revision;
        t.pending = true;
        QPointer<ImagesStrip> self(this);
        const QByteArray bytes = image.bytes;
        const QString path = image.path;
        const quint64 revision = image.revision;
        QThreadPool::globalInstance()->start([self, bytes, path, revision] {
            const QImage decoded = decode(bytes, kThumbnail);
            QMetaObject::invokeMethod(
                qApp,
                [self, path, revision, decoded] {
                    if (self) self->onDecoded(path, revision, decoded);
                },
                Qt::QueuedConnection);
        });
    }
}

void ImagesStrip::onDecoded(const QString& path, quint64 revision, const QImage& image) {
    auto it = thumbs_.find(path);
    if (it == thumbs_.end() || it->revision != revision) return; // a newer version is on its way
    it->pending = false;
    it->image = image;
    for (int row = 0; row < model_->rowCount(); ++row)
        if (model_->images()[row].path == path) decorator_->refresh(row);
}

QWidget* ImagesStrip::enlarge(int row) {
    if (row < 0 || row >= model_->rowCount()) return nullptr;
    const RunImage image = model_->images()[row];
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(RunImagesModel::caption(image));
    auto* layout = new QVBoxLayout(dialog);
    auto* scroll = new QScrollArea;
    auto* picture = new QLabel;
    picture->setObjectName(QStringLiteral("enlargedImage"));
    picture->setAlignment(Qt::AlignCenter);
    // The bytes are in memory already; one image decoded on a click is the user's own wait.
    const QImage full = decode(image.bytes, 0);
    if (full.isNull())
        picture->setText(image.bytes.isEmpty()
                             ? tr("%1 is too large to show here.").arg(image.path)
                             : tr("%1 is not an image Qt can read.").arg(image.path));
    else
        picture->setPixmap(QPixmap::fromImage(full));
    scroll->setWidget(picture);
    scroll->setWidgetResizable(true);
    layout->addWidget(scroll, 1);
    auto* caption = new QLabel(tr("%1 — %2").arg(RunImagesModel::caption(image), image.path));
    caption->setObjectName(QStringLiteral("muted"));
    layout->addWidget(caption);
    const QSize want = full.isNull() ? QSize(400, 200) : full.size() + QSize(40, 80);
    dialog->resize(want.boundedTo(QSize(1200, 900)));
    dialog->show();
    return dialog;
}

} // namespace lb::ui
