#include "ui/sweep/ParameterSpaceTable.h"

#include "ui/common/FieldMarks.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::ui {

namespace {
enum Column { NameColumn, ExpressionColumn, ArgumentsColumn };
}

QString ParameterSpaceTable::argumentsHint(const QString& e) {
    static const QMap<QString, QString> hints = {
        {QStringLiteral("choice"), tr("choice: the values, e.g. 128, 256 or relu, tanh")},
        {QStringLiteral("randint"), tr("randint: upper — an integer in [0, upper)")},
        {QStringLiteral("uniform"), tr("uniform: low, high")},
        {QStringLiteral("quniform"), tr("quniform: low, high, q — rounded to multiples of q")},
        {QStringLiteral("loguniform"), tr("loguniform: low, high — natural logs; exp(uniform)")},
        {QStringLiteral("qloguniform"), tr("qloguniform: low, high, q")},
        {QStringLiteral("normal"), tr("normal: mu, sigma")},
        {QStringLiteral("qnormal"), tr("qnormal: mu, sigma, q")},
        {QStringLiteral("lognormal"), tr("lognormal: mu, sigma — exp(normal)")},
        {QStringLiteral("qlognormal"), tr("qlognormal: mu, sigma, q")},
    };
    return hints.value(e);
}

ParameterSpaceTable::ParameterSpaceTable(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, 3);
    table_->setObjectName(QStringLiteral("parameterSpace"));
    table_->setHorizontalHeaderLabels({tr("Parameter"), tr("Expression"), tr("Arguments")});
    table_->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(ExpressionColumn,
                                                     QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(NameColumn, 160);
    table_->verticalHeader()->setVisible(false);
    table_->setMinimumHeight(140);
    layout->addWidget(table_);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add parameter"));
    auto* remove = new QPushButton(tr("Remove"));
    hint_ = new QLabel;
    hint_->setObjectName(QStringLiteral("muted"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addSpacing(12);
    buttons->addWidget(hint_, 1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        addRow();
        table_->editItem(table_->item(table_->rowCount() - 1, NameColumn));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (table_->currentRow() >= 0) removeRow(table_->currentRow());
    });
    connect(table_, &QTableWidget::itemChanged, this, &ParameterSpaceTable::changed);
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) {
        auto* combo = qobject_cast<QComboBox*>(table_->cellWidget(row, ExpressionColumn));
        hint_->setText(combo ? argumentsHint(combo->currentText()) : QString());
    });
}

void ParameterSpaceTable::addRow(const SweepFormData::Row& row) {
    const QSignalBlocker block(table_);
    const int r = table_->rowCount();
    table_->insertRow(r);
    table_->setItem(r, NameColumn, new QTableWidgetItem(row.name));
    auto* combo = new QComboBox;
    combo->addItems(parameterExpressionNames());
    const int at = combo->findText(row.expression);
    if (at >= 0) {
        combo->setCurrentIndex(at);
    } else if (!row.expression.isEmpty()) {
        combo->addItem(row.expression); // an unknown name stays visible; the check refuses it
        combo->setCurrentIndex(combo->count() - 1);
    }
    table_->setCellWidget(r, ExpressionColumn, combo);
    table_->setItem(r, ArgumentsColumn, new QTableWidgetItem(row.arguments));
    connect(combo, &QComboBox::currentTextChanged, this, [this](const QString& e) {
        hint_->setText(argumentsHint(e));
        emit changed();
    });
    emit changed();
}

void ParameterSpaceTable::removeRow(int row) {
    table_->removeRow(row);
    emit changed();
}

QList<SweepFormData::Row> ParameterSpaceTable::rows() const {
    QList<SweepFormData::Row> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
        SweepFormData::Row row;
        row.name =
            table_->item(r, NameColumn) ? table_->item(r, NameColumn)->text().trimmed() : QString();
        if (auto* combo = qobject_cast<QComboBox*>(table_->cellWidget(r, ExpressionColumn)))
            row.expression = combo->currentText();
        row.arguments =
            table_->item(r, ArgumentsColumn) ? table_->item(r, ArgumentsColumn)->text() : QString();
        rows.append(row);
    }
    return rows;
}

void ParameterSpaceTable::setRows(const QList<SweepFormData::Row>& rows) {
    {
        const QSignalBlocker block(table_);
        table_->setRowCount(0);
    }
    for (const SweepFormData::Row& row : rows)
        addRow(row);
    emit changed();
}

void ParameterSpaceTable::setRowErrors(const QMap<int, QString>& errors,
                                       const QMap<int, QString>& fields) {
    const QSignalBlocker block(table_);
    for (int r = 0; r < table_->rowCount(); ++r) {
        const QString reason = errors.value(r);
        const QString field = fields.value(r, QStringLiteral("arguments"));
        // Only the cell the reason is about: a bad range is its Arguments' fault, not the
        // name's (#23 item 6).
        for (int c : {NameColumn, ArgumentsColumn}) {
            QTableWidgetItem* item = table_->item(r, c);
            if (!item) continue;
            const bool atFault = !reason.isEmpty() &&
                                 field == (c == NameColumn ? QLatin1String("name")
                                                           : QLatin1String("arguments"));
            item->setBackground(atFault ? QBrush(QColor(0xff, 0xeb, 0xe9)) : QBrush());
            item->setToolTip(atFault ? reason : QString());
        }
        if (QWidget* combo = table_->cellWidget(r, ExpressionColumn)) {
            const bool atFault = !reason.isEmpty() && field == QLatin1String("expression");
            markField(combo, atFault ? reason : QString());
        }
    }
}

} // namespace lb::ui
