#pragma once
// The bottom strip of a form: the reason it cannot be submitted (or why a file was refused),
// any extra actions, Load JSON…, Save as JSON… and the primary Submit button, which reads
// "Submitting…" while a request is out and knows which answer is its own.

#include "core/util/Json.h"

#include <QWidget>
#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace lb::ui {

class FormFooter : public QWidget {
    Q_OBJECT
public:
    explicit FormFooter(const QString& submitText, QWidget* parent = nullptr);

    QLabel* errorLabel() const { return error_; }
    QPushButton* submitButton() const { return submit_; }
    // Places `button` before Load JSON….
    void addAction(QPushButton* button);

    // Shows `text` in the error banner, or hides the banner when `text` is empty.
    void setError(const QString& text);
    QString error() const;
    // Shows `text` in the banner's place in muted grey: what is still needed before Submit,
    // for a problem the user has not met yet (a new form is not red, #23 item 9).
    void setHint(const QString& text);
    QString hint() const;

    // What Load JSON… and Save as JSON… offer: the file dialogs' captions and filter, the
    // folder Load starts in and the file Save proposes (asked each time, as the form changes).
    struct JsonFiles {
        QString loadCaption;
        QString saveCaption;
        QString filter;
        std::function<QString()> loadFolder;
        std::function<QString()> savePath;
    };
    // The buttons ask for a file with these and then emit loadChosen or saveChosen.
    void setJsonFiles(JsonFiles files);

    // Reads `path` through `read` (which applies it to the form); done, "Loaded NAME" goes out
    // as message(); refused (lb::Error), the reason shows in the banner and the form keeps what
    // it had. Returns whether it was done.
    bool loadJson(const QString& path, const std::function<void()>& read);
    // Writes the JSON `make` returns to `path`, reporting as loadJson does.
    bool saveJson(const QString& path, const std::function<Json()>& make);

    // Sends a request (`send` returns its id): Submit is disabled and reads "Submitting…".
    void startSubmit(const std::function<quint64()>& send);
    // An answer arrived for `request`: true when it is the one this footer waits for, which
    // then ends the wait and gives Submit its text back; false for any other (ignore it).
    bool finishSubmit(quint64 request);
    // Stops waiting (the form now submits somewhere else): any later answer is ignored.
    void forgetSubmit();
    bool submitting() const { return submitting_; }

signals:
    void loadChosen(const QString& path);
    void saveChosen(const QString& path);
    // For the status bar ("Loaded estimator.json").
    void message(const QString& text);

private:
    // The one banner, as an error (red) or a hint (grey).
    void showBanner(const QString& kind, const QString& text);
    void chooseLoad();
    void chooseSave();

    QHBoxLayout* row_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* submit_ = nullptr;
    QString submitText_;
    JsonFiles files_;
    bool submitting_ = false;
    quint64 request_ = 0;
};

} // namespace lb::ui
