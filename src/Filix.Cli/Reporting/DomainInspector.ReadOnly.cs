using System.Diagnostics;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Reporting;

// filix report: read only. Opening through the generated database type would migrate the file (and an older build
// would then refuse it as newer), so the report asks the runtime's status check what is pending (a read
// transaction, rolled back) and counts rows over a read-only connection, which cannot write or checkpoint.
internal static partial class DomainInspector
{
    public static async Task<DomainReport> ReportAsync(DatabaseSchema schema, bool shared, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return new DomainReport { Domain = schema.Domain, Path = path, Status = "missing", Shared = shared };
        }

        var watch = Stopwatch.StartNew();
        try
        {
            var status = await SqliteMigrations.StatusAsync(path, schema, cancellationToken: cancellationToken).ConfigureAwait(false);
            var (tables, journal) = Read(path, schema);
            return new DomainReport
            {
                Domain = schema.Domain,
                Path = path,
                Status = "present",
                Shared = shared,
                Tables = tables,
                Bytes = FileSize(path) + FileSize(path + "-wal"),
                JournalMode = journal,
                Seconds = watch.Elapsed.TotalSeconds,
                Migrations = MigrationSummary.FromStatus(status),
            };
        }
        catch (FilixException ex)
        {
            return Failed(schema.Domain, shared, path, ex.Message, watch);
        }
        catch (SqliteException ex)
        {
            return Failed(schema.Domain, shared, path, $"SQLite error {ex.SqliteErrorCode} on '{path}': {ex.Message}. The file was opened read-only and not changed.", watch);
        }
    }

    /// <summary>Row counts of the schema's tables the file has (one migration behind, a new table is not there yet)
    /// and the journal mode, over a read-only connection.</summary>
    private static (IReadOnlyList<Domains.TableRows> Tables, string? Journal) Read(string path, DatabaseSchema schema)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        var tables = new List<Domains.TableRows>();
        foreach (var table in schema.Tables.Where(present.Contains))
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM " + Quote(table);
            tables.Add(new Domains.TableRows(table, (long)count.ExecuteScalar()!));
        }

        using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode";
        return (tables, journal.ExecuteScalar() as string);
    }

    /// <summary>Filix's one quoting rule (the generator's <c>SqlDialect.Quote</c>): wrap in " and double any embedded ".</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
