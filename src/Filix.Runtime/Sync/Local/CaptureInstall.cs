using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sync.Local;

/// <summary>
/// Puts change capture into a database: the bookkeeping tables (<see cref="CaptureSql.Tables"/>), the three capture
/// triggers of every shared table (<see cref="CaptureSql.Triggers"/>) and the <c>_filix_provenance</c> view. The
/// migrator calls it inside its migration transaction (SqliteMigrator), so a database is never open for writing with
/// a shared table that is not captured: capture is part of the schema, not something the sync remembers to do.
/// </summary>
/// <remarks>
/// <para>Triggers are compared with this build's by their text in <c>sqlite_schema</c> rather than by a flag, because
/// SQLite removes a table's triggers with it (a migration's table rebuild), rewrites them when a table or column is
/// renamed, and another tool may drop them; any of these shows as a missing or different text. Capture triggers
/// that are not this build's (a table no longer shared, or renamed) are dropped.</para>
/// <para>When anything had to be (re)installed, the same transaction runs the sweep (<see cref="CaptureSweep"/>):
/// every existing row without a live <c>_filix_rows</c> entry becomes a pending local change (the backfill of a
/// database made before issue 11 or adopted, and rows written while triggers were missing) and every live entry
/// whose row is gone becomes a local delete. Then <c>_filix_sync_meta</c> records the installed capture's hash
/// (<see cref="Hash"/>), which with the trigger texts is what <see cref="IsCurrent"/> checks on every open: opening
/// an up-to-date database reads a few rows of <c>sqlite_schema</c> and one meta row, and never scans a table.</para>
/// </remarks>
internal static class CaptureInstall
{
    /// <summary>The <c>_filix_sync_meta</c> key holding the hash of the installed capture.</summary>
    public const string MetaKey = "capture";

    /// <summary>The capture objects' name prefix, which <see cref="IsCapture"/> and the migrator's handling of the
    /// user's own views and triggers recognise.</summary>
    public const string TriggerPrefix = "_filix_capture_";

    private static readonly ConditionalWeakTable<DatabaseSchema, Plan> Plans = new();

    /// <summary>Whether a view or trigger is capture's own (installed and re-created here, never the user's).</summary>
    public static bool IsCapture(string name) =>
        name.StartsWith(TriggerPrefix, StringComparison.Ordinal) || name == Provenance.ViewName;

    /// <summary>The SQL that tells whether a view or trigger named by <paramref name="nameColumn"/> is capture's own.</summary>
    public static string IsCaptureSql(string nameColumn) =>
        $"({nameColumn} LIKE '\\_filix\\_capture\\_%' ESCAPE '\\' OR {nameColumn} = '{Provenance.ViewName}')";

    /// <summary>The hash of this build's capture for <paramref name="schema"/>: the tables, triggers and view text,
    /// and the version of the backfill rule.</summary>
    public static string Hash(DatabaseSchema schema) => PlanOf(schema).Hash;

    /// <summary>True when the database has exactly this build's capture installed and backfilled (cheap: reads
    /// <c>sqlite_schema</c> and one meta row). A domain without shared tables has nothing to install and is current
    /// when no capture trigger is left on it.</summary>
    public static bool IsCurrent(SqliteConnection connection, DatabaseSchema schema)
    {
        var plan = PlanOf(schema);
        var installed = Installed(connection);
        if (plan.Triggers.Count == 0)
        {
            return installed.Keys.All(n => !n.StartsWith(TriggerPrefix, StringComparison.Ordinal));
        }

        if (installed.Count != plan.Triggers.Count + 1
            || !installed.TryGetValue(Provenance.ViewName, out var view) || view != Provenance.ViewSql
            || plan.Triggers.Any(t => !installed.TryGetValue(t.Name, out var sql) || sql != t.Sql))
        {
            return false;
        }

        try
        {
            using var command = connection.CreateCommand();
            // A row left in _filix_applying (sync only ever has one there inside its own transaction, which no other
            // connection sees) silences every trigger: a database with one is not current, and the install removes it.
            command.CommandText = $"SELECT \"value\" FROM \"{CaptureSql.SyncMeta}\" WHERE \"key\" = '{MetaKey}' AND NOT EXISTS (SELECT 1 FROM \"{CaptureSql.Applying}\")";
            return command.ExecuteScalar() as string == plan.Hash;
        }
        catch (SqliteException)
        {
            return false; // the bookkeeping tables are missing (dropped by hand): the install creates them again
        }
    }

    /// <summary>Installs capture inside the caller's transaction (see remarks of the class): tables, view, triggers,
    /// then the sweep and the hash. Returns the rows the sweep recorded (backfilled changes and found deletes).</summary>
    public static SweepResult Install(SqliteConnection connection, DatabaseSchema schema)
    {
        var plan = PlanOf(schema);
        var installed = Installed(connection);
        foreach (var (name, sql) in installed.Where(o => o.Key.StartsWith(TriggerPrefix, StringComparison.Ordinal)))
        {
            if (!plan.Triggers.Any(t => t.Name == name && t.Sql == sql))
            {
                Execute(connection, $"DROP TRIGGER {SqlNames.Quote(name)}");
            }
        }

        if (plan.Triggers.Count == 0)
        {
            return SweepResult.None;
        }

        foreach (var statement in CaptureSql.Tables)
        {
            Execute(connection, statement);
        }

        if (installed.TryGetValue(Provenance.ViewName, out var view) && view != Provenance.ViewSql)
        {
            Execute(connection, $"DROP VIEW {SqlNames.Quote(Provenance.ViewName)}");
        }

        if (view != Provenance.ViewSql)
        {
            Execute(connection, Provenance.ViewSql);
        }

        foreach (var trigger in plan.Triggers.Where(t => !installed.TryGetValue(t.Name, out var sql) || sql != t.Sql))
        {
            Execute(connection, trigger.Sql);
        }

        // A leftover _filix_applying row goes first (its delete folds nothing: only an insert does), then the log.
        Execute(connection, $"DELETE FROM \"{CaptureSql.Applying}\"");
        Execute(connection, CaptureSql.Fold);
        var swept = CaptureSweep.Full(connection, schema.SyncTables);
        using var meta = connection.CreateCommand();
        meta.CommandText = $"INSERT INTO \"{CaptureSql.SyncMeta}\" (\"key\", \"value\") VALUES ('{MetaKey}', $hash) ON CONFLICT (\"key\") DO UPDATE SET \"value\" = excluded.\"value\"";
        meta.Parameters.AddWithValue("$hash", plan.Hash);
        meta.ExecuteNonQuery();
        return swept;
    }

    /// <summary>Creates capture's objects in a new, empty database (the migrator's self-check builds its reference
    /// database this way, so it proves the migrated file has every capture trigger).</summary>
    public static void CreateIn(SqliteConnection connection, DatabaseSchema schema)
    {
        var plan = PlanOf(schema);
        if (plan.Triggers.Count == 0)
        {
            return;
        }

        foreach (var statement in CaptureSql.Tables.Append(Provenance.ViewSql).Concat(plan.Triggers.Select(t => t.Sql)))
        {
            Execute(connection, statement);
        }
    }

    /// <summary>Capture's views and triggers present in the file, by name.</summary>
    private static Dictionary<string, string> Installed(SqliteConnection connection)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') AND {IsCaptureSql("name")}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            objects[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
        }

        return objects;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Plan PlanOf(DatabaseSchema schema) => Plans.GetValue(schema, static s => new Plan(s));

    /// <summary>This build's capture for one schema, computed once.</summary>
    private sealed class Plan
    {
        // Bumped when the install's rules change without any SQL text changing (e.g. what the sweep records), so
        // every database runs the new install once.
        private const string Rules = "capture 2";

        public Plan(DatabaseSchema schema)
        {
            Triggers = schema.SyncTables
                .SelectMany(t => CaptureSql.Triggers(t).Zip(["insert", "update", "delete"], (sql, op) => (Name: CaptureSql.TriggerName(t.Name, op), Sql: sql)))
                .ToList();
            if (Triggers.Count > 0)
            {
                Triggers = [.. CaptureSql.FoldTriggers, .. Triggers];
            }

            var text = string.Join("\n", CaptureSql.Tables.Append(Provenance.ViewSql).Concat(Triggers.Select(t => t.Sql)).Append(Rules));
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        }

        public IReadOnlyList<(string Name, string Sql)> Triggers { get; }

        public string Hash { get; }
    }
}
