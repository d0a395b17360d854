#pragma once
// The script-parameters table of the estimator form: one row per argument (use, name, value,
// type, help), with add, remove and reorder; filled from the script's argparse flags.

#include "core/argparse/ScriptArguments.h"

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
    // The first ticked required row with no value, as "--name", or empty.
    QString missingRequired() const;

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
    QTableWidget* table_ = nullptr;
};

} // namespace lb::ui
