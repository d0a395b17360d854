#include "ui/endpoints/TestPanel.h"

#include "core/live/ScoreBodies.h"
#include "ui/endpoints/DigitCanvas.h"
#include "ui/endpoints/EndpointHttp.h"
#include "ui/endpoints/ProbabilityBars.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

QPlainTextEdit* codeEditor(bool readOnly) {
    auto* edit = new QPlainTextEdit;
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setReadOnly(readOnly);
    return edit;
}

QLabel* heading(const QString& text) {
    auto* label = new QLabel(text);
    label->setStyleSheet(QStringLiteral("font-weight: 600;"));
    return label;
}

} // namespace

TestPanel::TestPanel(EndpointHttp* http, QWidget* parent)
    : QWidget(parent)
    , http_(http) {
    setObjectName(QStringLiteral("endpointTestPanel"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);

    auto* request = new QVBoxLayout;
    request->addWidget(heading(tr("Request body (JSON)")));
    body_ = codeEditor(false);
    body_->setObjectName(QStringLiteral("requestBody"));
    request->addWidget(body_, 3);
    auto* buttons = new QHBoxLayout;
    send_ = new QPushButton(tr("Send"));
    send_->setObjectName(QStringLiteral("sendRequest"));
    send_->setToolTip(tr("POST the body to the endpoint's /score"));
    send_->setEnabled(false);
    example_ = new QPushButton(tr("Example"));
    example_->setToolTip(tr("Put the example body back"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("answerStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    sendKey_ = new QCheckBox(tr("Send the key"));
    sendKey_->setObjectName(QStringLiteral("sendKey"));
    sendKey_->setToolTip(tr("Send 'Authorization: Bearer KEY'; untick to see what a client "
                            "without the key gets"));
    sendKey_->setChecked(true);
    sendKey_->hide();
    buttons->addWidget(send_);
    buttons->addWidget(example_);
    buttons->addWidget(sendKey_);
    buttons->addWidget(status_, 1);
    request->addLayout(buttons);
    request->addWidget(heading(tr("Answer")));
    answer_ = codeEditor(true);
    answer_->setObjectName(QStringLiteral("answerBody"));
    request->addWidget(answer_, 2);
    layout->addLayout(request, 3);

    imageColumn_ = new QWidget;
    auto* image = new QVBoxLayout(imageColumn_);
    image->setContentsMargins(8, 0, 0, 0);
    image->addWidget(heading(tr("Draw a digit")));
    auto* hint = new QLabel(tr("Your drawing becomes the body; press Send."));
    hint->setObjectName(QStringLiteral("muted"));
    hint->setWordWrap(true);
    image->addWidget(hint);
    canvas_ = new DigitCanvas;
    image->addWidget(canvas_, 0, Qt::AlignHCenter);
    clear_ = new QPushButton(tr("Clear"));
    clear_->setObjectName(QStringLiteral("clearCanvas"));
    image->addWidget(clear_, 0, Qt::AlignLeft);
    image->addWidget(heading(tr("Probabilities")));
    bars_ = new ProbabilityBars;
    image->addWidget(bars_, 1);
    imageColumn_->hide();
    layout->addWidget(imageColumn_, 2);

    connect(send_, &QPushButton::clicked, this, &TestPanel::send);
    connect(example_, &QPushButton::clicked, this,
            [this] { body_->setPlainText(QString::fromUtf8(exampleScoreBody(native_))); });
    connect(canvas_, &DigitCanvas::strokeFinished, this,
            [this] { body_->setPlainText(QString::fromUtf8(pixelsScoreBody(canvas_->pixels()))); });
    connect(clear_, &QPushButton::clicked, this, [this] {
        canvas_->clear();
        bars_->setProbabilities({});
        body_->setPlainText(QString::fromUtf8(exampleScoreBody(native_)));
    });
}

void TestPanel::setEndpoint(const QString& name, const QString& scoringUri, const QString& key,
                            bool native) {
    uri_ = scoringUri;
    key_ = key;
    send_->setEnabled(!uri_.isEmpty());
    sendKey_->setVisible(!key.isEmpty());
    if (name == name_ && native == native_) return;
    sendKey_->setChecked(true);
    name_ = name;
    native_ = native;
    ++request_; // an answer still on its way belongs to the other endpoint
    canvas_->clear();
    bars_->setProbabilities({});
    answer_->clear();
    status_->clear();
    lastStatus_ = 0;
    lastError_.clear();
    body_->setPlainText(QString::fromUtf8(exampleScoreBody(native)));
}

void TestPanel::setImageInput(bool on) {
    imageInput_ = on;
    imageColumn_->setVisible(on);
}

void TestPanel::send() {
    if (uri_.isEmpty()) return;
    const quint64 request = ++request_;
    status_->setText(tr("Sending…"));
    const QString key = sendKey_->isChecked() ? key_ : QString();
    http_->post(uri_, key, body_->toPlainText().toUtf8(), this,
                [this, request](const HttpAnswer& a) {
                    if (request == request_) showAnswer(a.status, a.body, a.ms, a.error);
                });
}

void TestPanel::showAnswer(int status, const QByteArray& body, double ms, const QString& error) {
    lastStatus_ = status;
    lastError_ = status == 0 ? error : errorSentence(body);
    const QString took = tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
    if (status == 0)
        status_->setText(error);
    else if (lastError_.isEmpty())
        status_->setText(tr("%1 · %2").arg(status).arg(took));
    else
        status_->setText(tr("%1 · %2 · %3").arg(status).arg(took, lastError_));
    status_->setStyleSheet(status >= 200 && status < 300 ? QString()
                                                         : QStringLiteral("color: #cf222e;"));
    answer_->setPlainText(prettyJson(body));
    const auto probabilities = status == 200 ? firstProbabilities(body) : std::nullopt;
    bars_->setProbabilities(probabilities.value_or(QVector<double>{}));
    emit answered(status);
}

} // namespace lb::ui
