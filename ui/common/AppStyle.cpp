#include "ui/common/AppStyle.h"

#include <QApplication>
#include <QFont>
#include <QLabel>
#include <QPalette>
#include <QStyleFactory>
#include <algorithm>

namespace lb::ui {

void applyAppStyle(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette pal = app.palette();
    pal.setColor(QPalette::Window, QColor(0xf6, 0xf8, 0xfa));
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    pal.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
    pal.setColor(QPalette::HighlightedText, Qt::white);
    pal.setColor(QPalette::Button, QColor(0xf3, 0xf4, 0xf6));
    pal.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    pal.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    app.setPalette(pal);
    QFont font = app.font();
    font.setPointSizeF(std::max(9.5, font.pointSizeF()));
    app.setFont(font);
    app.setStyleSheet(QStringLiteral(R"css(
        QLineEdit[invalid="true"], QComboBox[invalid="true"], QSpinBox[invalid="true"],
        QTableWidget[invalid="true"] { border: 1px solid #cf222e; background: #fff5f5; }
        QLabel#banner { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px;
                        padding: 6px 10px; color: #3b2300; }
        QLabel#errorBanner { background: #ffebe9; border: 1px solid #ff8182; border-radius: 4px;
                             padding: 6px 10px; color: #82071e; }
        QLabel#hintBanner { padding: 6px 10px; color: #57606a; }
        QLabel#pill { border-radius: 9px; padding: 2px 10px; color: white; font-weight: 600; }
        QLabel#runTitle { font-size: 15pt; font-weight: 600; }
        QLabel#muted { color: #57606a; }
        QGroupBox { font-weight: 600; border: 1px solid #d0d7de; border-radius: 6px;
                    margin-top: 12px; padding-top: 6px; background: white; }
        QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
        QPushButton#primary { background: #1f883d; color: white; border: 1px solid #1a7f37;
                              border-radius: 5px; padding: 5px 16px; font-weight: 600; }
        QPushButton#primary:disabled { background: #94d3a2; border-color: #94d3a2; }
        QTabBar::tab { padding: 6px 14px; }
        QTreeView, QListView, QTableView { selection-background-color: #ddf4ff;
                                           selection-color: #1f2328; }
    )css"));
}

QLabel* makeErrorBanner() {
    auto* banner = new QLabel;
    banner->setObjectName(QStringLiteral("errorBanner"));
    banner->setWordWrap(true);
    banner->hide();
    return banner;
}

QLabel* makeMutedLabel(const QString& text) {
    auto* label = new QLabel(text);
    label->setObjectName(QStringLiteral("muted"));
    label->setWordWrap(true);
    return label;
}

} // namespace lb::ui
