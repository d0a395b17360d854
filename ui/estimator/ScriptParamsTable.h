#pragma once
// The script-parameters table of the estimator form: one row per argument (use, name, value,
// type, help), with add, remove and reorder; filled from the script's argparse flags.

#include "core/argparse/ScriptArguments.h"
#include "ui/estimator/ScriptParamChecks.h"

#include <QWidget>

class QTableWidget;

namespace lb::ui {

class ScriptParamsTable : public QWidget {
    Q_OBJECT
public:
    enum Column { UseColumn, NameColumn, ValueColumn, TypeColumn, HelpColumn };

    explicit ScriptParamsTable(QWidget* parent = nullptr);

    // Rows from the script's arguments (main parser only); boolean flags start unticked.
    void setArguments(const ScriptArguments& arguments);
    // Rows from argv words ("--lr 0.1 --verbose data.csv"), all ticked.
    void setWords(const QStringList& words);
    // The ticked rows as argv words, in table order.
    QStringList words() const;
    // Checks every ticked row as argparse would (names, declared types and choices, required
    // values), marks each cell at fault with its reason, and returns the first reason, in the
    // form's words, or empty (#23 item 2).
    QString check();
    // The row's argument as the script declared it (empty type for rows typed by hand).
    ParamSpec spec(int row) const;
    // The cells check() marked, as (row, column).
    QList<QPair<int, int>> markedCells() const { return marked_; }

    void addRow(const QString& name = {}, const QString& value = {}, const QString& type = {},
                const QString& help = {}, bool use = true, bool isFlag = false,
                bool required = false);
    void removeSelected();
    void moveSelected(int delta);
    int rowCount() const;
    QTableWidget* table() const { return table_; }

signals:
    void changed();

private:
    void setSpec(int row, const ParamSpec& spec);
    void markCell(int row, int column, const QString& reason);

    QTableWidget* table_ = nullptr;
    QList<QPair<int, int>> marked_;
};

} // namespace lb::ui
