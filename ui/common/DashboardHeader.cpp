#include "ui/common/DashboardHeader.h"

#include "ui/common/AppStyle.h"
#include "ui/common/ElidedLabel.h"
#include "ui/common/HeaderLayout.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::ui {

void DashboardHeader::addButton(QPushButton* button) const {
    layout->addTrailing(button);
}

QString unbreakable(const QString& fact) {
    QString kept = fact;
    kept.replace(QLatin1Char(' '), QChar::Nbsp);
    return kept;
}

QString joinFacts(const QStringList& facts) {
    QStringList kept;
    for (const QString& f : facts)
        kept.append(unbreakable(f));
    // Plain spaces around the dot: the only places a wrapped line may break.
    return kept.join(QStringLiteral("   ·   "));
}

DashboardHeader makeDashboardHeader(QVBoxLayout* dashboard, const QString& objectName,
                                    const QString& title) {
    DashboardHeader h;
    h.widget = new QWidget;
    h.widget->setObjectName(objectName);
    h.widget->setStyleSheet(QStringLiteral("#%1 { background: white; "
                                           "border-bottom: 1px solid #d0d7de; }")
                                .arg(objectName));
    h.layout = new HeaderLayout(h.widget);
    h.layout->setContentsMargins(16, 10, 16, 10);
    auto* lead = new QWidget;
    auto* left = new QVBoxLayout(lead);
    left->setContentsMargins(0, 0, 0, 0);
    auto* titleRow = new QHBoxLayout;
    h.title = new ElidedLabel(title);
    h.title->setObjectName(QStringLiteral("runTitle"));
    h.title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h.status = new QLabel;
    h.status->setObjectName(QStringLiteral("pill"));
    h.status->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    titleRow->addWidget(h.title, 1);
    titleRow->addSpacing(8);
    titleRow->addWidget(h.status);
    left->addLayout(titleRow);
    h.facts = new QLabel;
    h.facts->setObjectName(QStringLiteral("muted"));
    h.facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h.facts->setWordWrap(true);
    h.facts->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the window
    left->addWidget(h.facts);
    h.detail = new QLabel;
    h.detail->setObjectName(QStringLiteral("headerDetail"));
    h.detail->setTextFormat(Qt::PlainText); // a reason quotes the script's output verbatim
    h.detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    h.detail->setWordWrap(true);
    h.detail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    h.detail->hide();
    left->addWidget(h.detail);
    h.layout->addLead(lead);
    dashboard->addWidget(h.widget);

    h.error = makeErrorBanner();
    auto* errorWrap = new QVBoxLayout;
    errorWrap->setContentsMargins(12, 8, 12, 0);
    errorWrap->addWidget(h.error);
    dashboard->addLayout(errorWrap);
    return h;
}

} // namespace lb::ui
