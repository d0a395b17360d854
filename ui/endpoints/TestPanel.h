#pragma once
// The Endpoints page's test panel: a JSON editor prefilled with an example body, Send (the
// request goes out asynchronously: the window never waits on the endpoint), and the answer's
// status, latency and pretty-printed body. For an endpoint with a key, "Send the key" (on by
// default) can be turned off to see what a client without it gets. For image classifiers (a native
// endpoint whose rows are 784 pixels) a 28×28 canvas writes the drawn digit into the body, and the
// answer's probabilities show as bars.

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace lb::ui {

class DigitCanvas;
class EndpointHttp;
class ProbabilityBars;

class TestPanel : public QWidget {
    Q_OBJECT
    // Read by tests and the state hook.
    Q_PROPERTY(int lastStatus READ lastStatus)
    Q_PROPERTY(QString lastError READ lastError)
public:
    TestPanel(EndpointHttp* http, QWidget* parent = nullptr);

    // Points the panel at an endpoint. A new endpoint gets its example body (the editor keeps
    // what the user wrote while it stays the same endpoint).
    void setEndpoint(const QString& name, const QString& scoringUri, const QString& key,
                     bool native);
    // Shows the drawing canvas and bars (an MNIST-shaped classifier) or hides them.
    void setImageInput(bool on);
    // Sends the editor's body; the answer arrives as answered().
    void send();

    QPlainTextEdit* bodyEdit() const { return body_; }
    QPlainTextEdit* answerView() const { return answer_; }
    QPushButton* sendButton() const { return send_; }
    QPushButton* clearButton() const { return clear_; }
    // Shown for an endpoint that needs a key: whether Send sends it.
    QCheckBox* sendKeyBox() const { return sendKey_; }
    DigitCanvas* canvas() const { return canvas_; }
    ProbabilityBars* bars() const { return bars_; }
    QLabel* statusLabel() const { return status_; }
    bool imageInput() const { return imageInput_; }
    // The last answer's HTTP status (0: none yet, or no answer came) and its error sentence.
    int lastStatus() const { return lastStatus_; }
    QString lastError() const { return lastError_; }

signals:
    void answered(int status);

private:
    void showAnswer(int status, const QByteArray& body, double ms, const QString& error);
    EndpointHttp* http_ = nullptr;
    QString name_;
    QString uri_;
    QString key_;
    bool native_ = false;
    bool imageInput_ = false;
    quint64 request_ = 0; // answers to requests sent before the last one are dropped
    int lastStatus_ = 0;
    QString lastError_;
    QPlainTextEdit* body_ = nullptr;
    QPlainTextEdit* answer_ = nullptr;
    QPushButton* send_ = nullptr;
    QPushButton* example_ = nullptr;
    QPushButton* clear_ = nullptr;
    QCheckBox* sendKey_ = nullptr;
    QLabel* status_ = nullptr;
    QWidget* imageColumn_ = nullptr;
    DigitCanvas* canvas_ = nullptr;
    ProbabilityBars* bars_ = nullptr;
};

} // namespace lb::ui
