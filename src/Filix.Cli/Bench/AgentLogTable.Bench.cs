using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Bench.Schema;

/// <summary>The generated table's own statement and binder, for the modes that bypass the writer (naive,
/// ceiling): they must write exactly what the repository writes.</summary>
public sealed partial class AgentLogTable
{
    internal const string BenchInsertSql = InsertSql;

    internal static void BindRow(SqliteCommand command, AgentLog row) => SqliteValues.Bind(command, Values(row), 0);
}
