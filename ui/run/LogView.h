#pragma once
// The live driver log: a list view over LogModel (lines read on demand, never the whole file),
// following the tail while it is at the bottom, with search that runs on the tail's thread.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;

namespace lb {
class LogModel;
class LogTail;
} // namespace lb

namespace lb::ui {

class LogView : public QWidget {
    Q_OBJECT
    // Read by the end-to-end state hook, which finds the view by its object name ("driverLog").
    Q_PROPERTY(int lineCount READ lineCount)
public:
    explicit LogView(const QString& logPath, QWidget* parent = nullptr);
    ~LogView() override;

    LogModel* model() const { return model_; }
    QListView* view() const { return view_; }
    // The last `count` lines the model holds (tests, the state hook).
    Q_INVOKABLE QStringList tailLines(int count) const;
    // Lines the model holds.
    int lineCount() const;
    void setFollow(bool on);
    bool following() const;
    // True when the last line is in view (tests: a failed run opens at its end).
    bool atEnd() const;
    void find(bool forward);

protected:
    // A view filled while hidden (a background tab) scrolls to its end once shown.
    void showEvent(QShowEvent* event) override;

private:
    void onGrew(qint64 lines);
    LogTail* tail_ = nullptr;
    LogModel* model_ = nullptr;
    QListView* view_ = nullptr;
    QLineEdit* search_ = nullptr;
    QCheckBox* follow_ = nullptr;
    QLabel* status_ = nullptr;
};

} // namespace lb::ui
