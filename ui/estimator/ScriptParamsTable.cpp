#include "ui/estimator/ScriptParamsTable.h"

#include <QColor>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::ui {

namespace {
constexpr int kFlagRole = Qt::UserRole + 1;     // a boolean flag: no value
constexpr int kRequiredRole = Qt::UserRole + 2;
// On the Type cell: the argument as the script declared it.
constexpr int kTypeRole = Qt::UserRole + 3;
constexpr int kChoicesRole = Qt::UserRole + 4;
constexpr int kNargsRole = Qt::UserRole + 5;
constexpr int kPositionalRole = Qt::UserRole + 6; // on the Use cell
const QColor kFaultColor(0xff, 0xeb, 0xe9);
} // namespace

ScriptParamsTable::ScriptParamsTable(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, 5);
    table_->setHorizontalHeaderLabels({tr("Use"), tr("Argument"), tr("Value"), tr("Type"),
                                       tr("Help")});
    table_->horizontalHeader()->setSectionResizeMode(UseColumn, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(NameColumn, 150);
    table_->setColumnWidth(ValueColumn, 140);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(24);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->setMinimumHeight(170);
    layout->addWidget(table_, 1);
    auto* buttons = new QVBoxLayout;
    auto* add = new QPushButton(tr("Add"));
    auto* remove = new QPushButton(tr("Remove"));
    auto* up = new QPushButton(tr("Move up"));
    auto* down = new QPushButton(tr("Move down"));
    for (QPushButton* b : {add, remove, up, down})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        addRow(QStringLiteral("--"), {}, QStringLiteral("str"));
        table_->setCurrentCell(table_->rowCount() - 1, NameColumn);
        table_->editItem(table_->item(table_->rowCount() - 1, NameColumn));
    });
    connect(remove, &QPushButton::clicked, this, &ScriptParamsTable::removeSelected);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(table_, &QTableWidget::itemChanged, this, &ScriptParamsTable::changed);
}

int ScriptParamsTable::rowCount() const { return table_->rowCount(); }

void ScriptParamsTable::addRow(const QString& name, const QString& value, const QString& type,
                               const QString& help, bool use, bool isFlag, bool required) {
    const QSignalBlocker block(table_);
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto* useItem = new QTableWidgetItem;
    useItem->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    useItem->setCheckState(use ? Qt::Checked : Qt::Unchecked);
    useItem->setData(kFlagRole, isFlag);
    useItem->setData(kRequiredRole, required);
    table_->setItem(row, UseColumn, useItem);
    auto* nameItem = new QTableWidgetItem(name);
    if (required)
        nameItem->setToolTip(tr("required by the script"));
    table_->setItem(row, NameColumn, nameItem);
    auto* valueItem = new QTableWidgetItem(isFlag ? QString() : value);
    if (isFlag) {
        valueItem->setFlags(Qt::ItemIsSelectable);
        valueItem->setToolTip(tr("a flag: tick Use to pass it"));
    }
    table_->setItem(row, ValueColumn, valueItem);
    auto* typeItem = new QTableWidgetItem(type);
    typeItem->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    typeItem->setForeground(QColor(0x57, 0x60, 0x6a));
    table_->setItem(row, TypeColumn, typeItem);
    auto* helpItem = new QTableWidgetItem(help);
    helpItem->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    helpItem->setToolTip(help);
    helpItem->setForeground(QColor(0x57, 0x60, 0x6a));
    table_->setItem(row, HelpColumn, helpItem);
    emit changed();
}

void ScriptParamsTable::setArguments(const ScriptArguments& arguments) {
    table_->setRowCount(0);
    for (const ScriptArgument& a : arguments.arguments) {
        if (!a.subcommand.isEmpty())
            continue; // a subcommand's flags only make sense after it; add them by hand
        QString type = a.type;
        if (!a.choices.isEmpty())
            type += QStringLiteral(" {%1}").arg(a.choices.join(QLatin1Char(',')));
        if (!a.nargs.isEmpty())
            type += QStringLiteral(" ×%1").arg(a.nargs);
        const QString name = a.positional ? QString() : a.flag;
        QString help = a.help;
        if (a.positional)
            help = QStringLiteral("(positional %1) %2").arg(a.flag, help).trimmed();
        const bool use = a.isFlag() ? false : (a.hasDefault || a.required || a.positional);
        addRow(name, a.defaultText, type, help, use, a.isFlag(), a.required);
        setSpec(table_->rowCount() - 1, {a.type, a.choices, a.nargs, a.positional});
    }
    emit changed();
}

void ScriptParamsTable::setWords(const QStringList& words) {
    table_->setRowCount(0);
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& w = words[i];
        if (w.startsWith(QLatin1Char('-')) && w.size() > 1) {
            const bool hasValue = i + 1 < words.size() && !(words[i + 1].startsWith(QLatin1Char('-')) &&
                                                              words[i + 1].size() > 1 &&
                                                              !words[i + 1].at(1).isDigit());
            if (hasValue) {
                addRow(w, words[i + 1]);
                ++i;
            } else {
                addRow(w, {}, QStringLiteral("bool"), {}, true, true);
            }
        } else {
            addRow({}, w);
            setSpec(table_->rowCount() - 1, {{}, {}, {}, true}); // a bare word is a positional
        }
    }
    emit changed();
}

QStringList ScriptParamsTable::words() const {
    QStringList words;
    for (int r = 0; r < table_->rowCount(); ++r) {
        if (table_->item(r, UseColumn)->checkState() != Qt::Checked)
            continue;
        const QString name = table_->item(r, NameColumn)->text().trimmed();
        const bool isFlag = table_->item(r, UseColumn)->data(kFlagRole).toBool();
        if (!name.isEmpty())
            words.append(name);
        if (!isFlag) {
            const QString value = table_->item(r, ValueColumn)->text();
            if (!value.isEmpty() || name.isEmpty())
                words.append(valueWords(value, spec(r))); // "--sizes 1 2": three words
        }
    }
    return words;
}

void ScriptParamsTable::setSpec(int row, const ParamSpec& spec) {
    const QSignalBlocker block(table_);
    QTableWidgetItem* type = table_->item(row, TypeColumn);
    type->setData(kTypeRole, spec.type);
    type->setData(kChoicesRole, spec.choices);
    type->setData(kNargsRole, spec.nargs);
    table_->item(row, UseColumn)->setData(kPositionalRole, spec.positional);
}

ParamSpec ScriptParamsTable::spec(int row) const {
    const QTableWidgetItem* type = table_->item(row, TypeColumn);
    return {type->data(kTypeRole).toString(), type->data(kChoicesRole).toStringList(),
            type->data(kNargsRole).toString(),
            table_->item(row, UseColumn)->data(kPositionalRole).toBool()};
}

void ScriptParamsTable::markCell(int row, int column, const QString& reason) {
    QTableWidgetItem* item = table_->item(row, column);
    item->setBackground(reason.isEmpty() ? QBrush() : QBrush(kFaultColor));
    if (column != HelpColumn)
        item->setToolTip(reason);
    if (!reason.isEmpty())
        marked_.append({row, column});
}

QString ScriptParamsTable::check() {
    // Painting cells is no edit: the form must not hear "changed" and check again.
    const QSignalBlocker block(table_);
    for (const auto& [row, column] : std::as_const(marked_))
        if (row < table_->rowCount())
            markCell(row, column, QString());
    marked_.clear();
    QString first;
    for (int r = 0; r < table_->rowCount(); ++r) {
        const QTableWidgetItem* use = table_->item(r, UseColumn);
        if (use->checkState() != Qt::Checked) {
            // argparse refuses a run without a required argument as surely as a bad value.
            if (use->data(kRequiredRole).toBool() && !use->data(kFlagRole).toBool()) {
                const QString name = table_->item(r, NameColumn)->text();
                const QString reason =
                    tr("Script parameters: the script requires %1; tick it and give it a value.")
                        .arg(name.isEmpty() ? table_->item(r, HelpColumn)->text() : name);
                markCell(r, UseColumn, reason);
                if (first.isEmpty())
                    first = reason;
            }
            continue;
        }
        const ParamSpec declared = spec(r);
        const QString name = table_->item(r, NameColumn)->text().trimmed();
        QString reason = argumentNameProblem(name, declared.positional);
        if (!reason.isEmpty()) {
            markCell(r, NameColumn, reason);
        } else if (!use->data(kFlagRole).toBool()) {
            const QString value = table_->item(r, ValueColumn)->text();
            reason = argumentValueProblem(name, value, declared);
            if (reason.isEmpty() && use->data(kRequiredRole).toBool() && value.trimmed().isEmpty())
                reason = tr("Script parameters: the script requires %1; give it a value.")
                             .arg(name.isEmpty() ? table_->item(r, HelpColumn)->text() : name);
            if (!reason.isEmpty())
                markCell(r, ValueColumn, reason);
        }
        if (first.isEmpty())
            first = reason;
    }
    return first;
}

void ScriptParamsTable::removeSelected() {
    const auto rows = table_->selectionModel()->selectedRows();
    QList<int> indices;
    for (const QModelIndex& i : rows)
        indices.append(i.row());
    if (indices.isEmpty() && table_->currentRow() >= 0)
        indices.append(table_->currentRow());
    std::sort(indices.begin(), indices.end(), std::greater<int>());
    for (int r : indices)
        table_->removeRow(r);
    emit changed();
}

void ScriptParamsTable::moveSelected(int delta) {
    const int row = table_->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= table_->rowCount())
        return;
    const QSignalBlocker block(table_);
    for (int c = 0; c < table_->columnCount(); ++c) {
        QTableWidgetItem* a = table_->takeItem(row, c);
        QTableWidgetItem* b = table_->takeItem(to, c);
        table_->setItem(row, c, b);
        table_->setItem(to, c, a);
    }
    table_->setCurrentCell(to, table_->currentColumn());
    emit changed();
}

} // namespace lb::ui
