#include "ui/endpoints/EndpointPanel.h"

#include "core/live/BackgroundCall.h"
#include "core/live/ScoreBodies.h"
#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointDeploy.h"
#include "core/workspace/Workspace.h"
#include "ui/common/AppStyle.h"
#include "ui/common/StatusIcons.h"
#include "ui/endpoints/EndpointCharts.h"
#include "ui/endpoints/EndpointHttp.h"
#include "ui/endpoints/TestPanel.h"
#include "ui/run/LogView.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// How long Restart waits for Healthy before it reports the state it found.
constexpr int kRestartWaitSeconds = 60;

} // namespace

EndpointPanel::EndpointPanel(QString workspaceRoot, QWidget* parent)
    : QWidget(parent)
    , root_(std::move(workspaceRoot)) {
    setObjectName(QStringLiteral("endpointPanel"));
    http_ = new EndpointHttp(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* titleRow = new QHBoxLayout;
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("runTitle"));
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pill_ = new QLabel;
    pill_->setObjectName(QStringLiteral("pill"));
    pill_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    titleRow->addWidget(title_);
    titleRow->addSpacing(8);
    titleRow->addWidget(pill_);
    titleRow->addStretch(1);
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(tr("Stop the endpoint's server (it can be started again)"));
    restart_ = new QPushButton(tr("Restart"));
    restart_->setToolTip(tr("Start the server again with what it was deployed with"));
    remove_ = new QPushButton(tr("Remove"));
    remove_->setToolTip(tr("Stop the endpoint and delete it with its log"));
    for (QPushButton* b : {stop_, restart_, remove_})
        titleRow->addWidget(b);
    layout->addLayout(titleRow);

    facts_ = makeMutedLabel();
    facts_->setObjectName(QStringLiteral("endpointFacts"));
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(facts_);
    auto* urlRow = new QHBoxLayout;
    url_ = new QLineEdit;
    url_->setObjectName(QStringLiteral("scoringUri"));
    url_->setReadOnly(true);
    copy_ = new QPushButton(tr("Copy"));
    copy_->setToolTip(tr("Copy the scoring URI"));
    urlRow->addWidget(new QLabel(tr("Scoring URI")));
    urlRow->addWidget(url_, 1);
    urlRow->addWidget(copy_);
    layout->addLayout(urlRow);
    keyRow_ = new QWidget;
    auto* keyLayout = new QHBoxLayout(keyRow_);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyEdit_ = new QLineEdit;
    keyEdit_->setObjectName(QStringLiteral("endpointKey"));
    keyEdit_->setReadOnly(true);
    keyEdit_->setEchoMode(QLineEdit::Password); // over a shoulder or in a screenshot, masked
    showKey_ = new QPushButton(tr("Show"));
    showKey_->setCheckable(true);
    showKey_->setToolTip(tr("Show the key in clear"));
    copyKey_ = new QPushButton(tr("Copy"));
    copyKey_->setObjectName(QStringLiteral("copyKey"));
    copyKey_->setToolTip(tr("Copy the key; clients send it as 'Authorization: Bearer KEY'"));
    keyLayout->addWidget(new QLabel(tr("Key")));
    keyLayout->addWidget(keyEdit_, 1);
    keyLayout->addWidget(showKey_);
    keyLayout->addWidget(copyKey_);
    keyRow_->hide();
    layout->addWidget(keyRow_);
    reason_ = makeErrorBanner();
    layout->addWidget(reason_);
    status_ = makeMutedLabel();
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();
    layout->addWidget(status_);

    auto* split = new QSplitter(Qt::Vertical);
    charts_ = new EndpointCharts(http_);
    split->addWidget(charts_);
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    test_ = new TestPanel(http_);
    tabs_->addTab(test_, tr("Test"));
    logHolder_ = new QWidget;
    auto* logLayout = new QVBoxLayout(logHolder_);
    logLayout->setContentsMargins(0, 0, 0, 0);
    tabs_->addTab(logHolder_, tr("Log"));
    split->addWidget(tabs_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(copy_, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(url_->text());
        status_->setText(tr("Copied %1").arg(url_->text()));
        status_->show();
    });
    connect(showKey_, &QPushButton::toggled, this, [this](bool on) {
        keyEdit_->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        showKey_->setText(on ? tr("Hide") : tr("Show"));
    });
    connect(copyKey_, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(key_);
        status_->setText(tr("Copied the key of %1").arg(endpoint_.name));
        status_->show();
    });
    connect(stop_, &QPushButton::clicked, this, &EndpointPanel::stop);
    connect(restart_, &QPushButton::clicked, this, &EndpointPanel::restart);
    connect(remove_, &QPushButton::clicked, this, [this] { remove(true); });
    updateButtons();
}

QString EndpointPanel::state() const {
    return endpoint_.name.isEmpty() ? QString() : toString(endpoint_.state);
}

QString EndpointPanel::actionStatus() const {
    return status_->text();
}

void EndpointPanel::setEndpoint(const EndpointRecord& endpoint, const QString& key) {
    const bool another = endpoint.name != endpoint_.name;
    endpoint_ = endpoint;
    key_ = key;
    const QString state = toString(endpoint.state);
    const bool native = endpoint.kind == QLatin1String("native");
    title_->setText(endpoint.name);
    pill_->setText(state);
    pill_->setStyleSheet(QStringLiteral("background: %1;").arg(statusColor(state).name()));
    QStringList facts = {native ? tr("native (C++)") : tr("score.py: %1").arg(endpoint.entry),
                         tr("serves %1").arg(endpoint.models.join(QStringLiteral(", ")))};
    if (!native)
        facts << tr("%n worker(s)", nullptr, endpoint.workers);
    else if (endpoint.batchDelayUs > 0)
        facts << tr("batching %1 µs").arg(endpoint.batchDelayUs);
    facts << (native ? tr("request limit %1 s").arg(endpoint.requestTimeoutS)
                     : tr("request limit %1 s, run() limit %2 s")
                           .arg(endpoint.requestTimeoutS)
                           .arg(endpoint.runTimeoutS));
    if (endpoint.auth) facts << tr("key required");
    if (endpoint.pid > 0) facts << tr("server pid %1").arg(endpoint.pid);
    facts_->setText(facts.join(QStringLiteral(" · ")));
    url_->setText(endpointUrl(endpoint) + QStringLiteral("/score"));
    keyRow_->setVisible(endpoint.auth);
    keyEdit_->setText(key);
    keyEdit_->setPlaceholderText(
        endpoint.auth && key.isEmpty()
            ? tr("its key file cannot be read; 'labbench endpoints keys %1' says why")
                  .arg(endpoint.name)
            : QString());
    copyKey_->setEnabled(!key.isEmpty());
    if (another) showKey_->setChecked(false);
    reason_->setText(endpoint.reason);
    reason_->setVisible(!endpoint.reason.isEmpty() && endpoint.state != EndpointState::Healthy);

    test_->setEndpoint(endpoint.name, url_->text(), key, native);
    charts_->setEndpoint(endpoint.name, endpointUrl(endpoint), key,
                         endpoint.state == EndpointState::Healthy ||
                             endpoint.state == EndpointState::Unhealthy);
    if (another) {
        // The log of another endpoint is another file: a fresh view follows it.
        delete log_;
        log_ = new LogView(endpoint.logPath);
        log_->setObjectName(QStringLiteral("endpointLog"));
        logHolder_->layout()->addWidget(log_);
        probed_.clear();
        test_->setImageInput(false);
        status_->hide();
    }
    if (native && endpoint.state == EndpointState::Healthy && probed_ != endpoint.name)
        probeImageInput();
    updateButtons();
}

void EndpointPanel::clear() {
    endpoint_ = EndpointRecord();
    endpoint_.name.clear();
    key_.clear();
    keyEdit_->clear();
    keyRow_->hide();
    charts_->setEndpoint({}, {}, {}, false);
    updateButtons();
}

void EndpointPanel::probeImageInput() {
    probed_ = endpoint_.name;
    const QString name = endpoint_.name;
    // The canvas fits a model whose rows are 28×28 images; the endpoint says what it takes.
    http_->get(endpointUrl(endpoint_) + QStringLiteral("/swagger.json"), key_, this,
               [this, name](const HttpAnswer& a) {
                   if (name != endpoint_.name) return;
                   if (a.status != 200) {
                       probed_.clear(); // asked again at the next reload
                       return;
                   }
                   test_->setImageInput(rowLengthFromOpenApi(a.body) == 28 * 28);
               });
}

void EndpointPanel::updateButtons() {
    const bool any = !endpoint_.name.isEmpty();
    stop_->setEnabled(any && !busy_ && !isDown(endpoint_.state));
    restart_->setEnabled(any && !busy_);
    remove_->setEnabled(any && !busy_);
    restart_->setText(any && isDown(endpoint_.state) ? tr("Start") : tr("Restart"));
}

void EndpointPanel::runAction(const QString& progress, std::function<QString(Workspace&)> work) {
    if (busy_ || endpoint_.name.isEmpty()) return;
    busy_ = true;
    updateButtons();
    status_->setText(progress);
    status_->show();
    runInBackground<QString>(
        this,
        [root = root_, work = std::move(work)]() -> QString {
            try {
                Workspace workspace = Workspace::open(root);
                return work(workspace);
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        },
        [this](QString message) {
            busy_ = false;
            status_->setText(message);
            updateButtons();
            emit changed();
        });
}

void EndpointPanel::stop() {
    const QString name = endpoint_.name;
    runAction(tr("Stopping %1…").arg(name), [name](Workspace& ws) {
        return stopEndpoint(ws, name)
                   ? tr("Stopped %1.").arg(name)
                   : tr("%1 had no server running; it is recorded Stopped.").arg(name);
    });
}

void EndpointPanel::restart() {
    const QString name = endpoint_.name;
    runAction(tr("Starting %1 again…").arg(name), [name](Workspace& ws) {
        if (endpointServerRunning(ws.root(), name)) stopEndpoint(ws, name);
        const EndpointRecord e = startEndpoint(ws, name, kRestartWaitSeconds);
        if (e.state == EndpointState::Healthy) return tr("%1 is Healthy again.").arg(name);
        return e.reason.isEmpty() ? tr("%1 is %2.").arg(name, toString(e.state))
                                  : tr("%1 is %2: %3").arg(name, toString(e.state), e.reason);
    });
}

void EndpointPanel::remove(bool ask) {
    const QString name = endpoint_.name;
    if (name.isEmpty()) return;
    if (ask && QMessageBox::question(this, tr("Remove endpoint"),
                                     tr("Stop %1 and delete it with its log? Clients that call "
                                        "its URI will get no answer.")
                                         .arg(name)) != QMessageBox::Yes)
        return;
    runAction(tr("Removing %1…").arg(name), [name](Workspace& ws) {
        removeEndpoint(ws, name);
        return tr("Removed %1.").arg(name);
    });
}

} // namespace lb::ui
