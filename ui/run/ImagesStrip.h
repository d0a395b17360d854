#pragma once
// The images a run's script logged (labbench.log_image), as thumbnails with their name and
// step, growing live as new images arrive; a click opens the image large. The list comes from a
// core RunImageFeed (files read on its thread); thumbnails are decoded on a worker thread.

#include <QHash>
#include <QImage>
#include <QWidget>

class QLabel;
class QListView;
class QModelIndex;

namespace lb {
class RunImageFeed;
class RunImagesModel;
} // namespace lb

namespace lb::ui {

class ImagesStrip : public QWidget {
    Q_OBJECT
public:
    static constexpr int kThumbnail = 160;

    explicit ImagesStrip(QWidget* parent = nullptr);
    ~ImagesStrip() override;

    // Follows the images of the run in `runDir` (runs/<id>).
    void setRunDir(const QString& runDir);
    RunImagesModel* model() const { return model_; }
    QListView* view() const { return view_; }
    // The decoded thumbnail of a row (null until decoded, or when the file is no image).
    QImage thumbnail(int row) const;
    // Opens the row's image large (what a click does); returns the dialog.
    QWidget* enlarge(int row);

private:
    void requestThumbnails(int first, int last);
    void onDecoded(const QString& path, quint64 revision, const QImage& image);
    RunImageFeed* feed_ = nullptr;
    RunImagesModel* model_ = nullptr;
    QListView* view_ = nullptr;
    QLabel* empty_ = nullptr;
    struct Thumb {
        quint64 revision = 0;
        QImage image;
        bool pending = false;
    };
    QHash<QString, Thumb> thumbs_;
    class Decorator;
    Decorator* decorator_ = nullptr;
};

} // namespace lb::ui
