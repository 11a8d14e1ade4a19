using System.Diagnostics;
using Filix.Cli.Domains;
using Filix.Cli.Seeding;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Reporting;

/// <summary>
/// Opens one domain's database and reports on it; for <c>filix run</c> it first fills an empty database and reads
/// the data back. A database that already holds rows is never re-seeded or changed. <c>filix report</c> only reads
/// (<see cref="ReportAsync"/>): it neither migrates nor adopts, and says what opening the file would apply.
/// </summary>
internal static partial class DomainInspector
{
    /// <param name="seedScale">Fill empty databases at this fraction of the seed's sizes; null to only report
    /// (then a missing database is reported, not created).</param>
    public static async Task<DomainReport> InspectAsync(DomainDefinition domain, string dataFolder, double? seedScale, Action<string> progress, CancellationToken cancellationToken)
    {
        var path = domain.PathIn(dataFolder);
        var watch = Stopwatch.StartNew();
        if (seedScale is null)
        {
            return await ReportAsync(domain.Schema, domain.Shared, path, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            IReadOnlyList<TableRows> tables;
            IReadOnlyList<ReadCheck> readBack = [];
            string status;
            string? journal;
            string? note = null;
            MigrationSummary? migrations;
            var options = FilixOptions.Default with { CreateIfMissing = seedScale is not null };
            var db = await domain.OpenAsync(dataFolder, options, cancellationToken).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                migrations = MigrationSummary.From(db.Database.Migrations);
                if (migrations is not null)
                {
                    progress($"{domain.Name}: {migrations}");
                }

                tables = await db.CountAsync(cancellationToken).ConfigureAwait(false);
                if (seedScale is { } scale)
                {
                    if (tables.Sum(t => t.Rows) == 0)
                    {
                        progress($"{domain.Name}: seeding {path}");
                        await db.SeedAsync(new SeedContext(domain.Name, scale, progress, cancellationToken)).ConfigureAwait(false);
                        tables = await db.CountAsync(cancellationToken).ConfigureAwait(false);
                        status = "seeded";
                    }
                    else
                    {
                        progress($"{domain.Name}: {tables.Sum(t => t.Rows):N0} rows already in {path}; kept as they are");
                        status = "kept";
                        var empty = tables.Where(t => t.Rows == 0).Select(t => t.Table).ToList();
                        if (empty.Count > 0)
                        {
                            // An interrupted run commits table by table, so it can leave a database partly filled.
                            note = $"{string.Join(", ", empty)} {(empty.Count == 1 ? "is" : "are")} empty. Filix does not add generated rows to a database that holds data; " +
                                   $"to generate a full set, move {path} away and run again.";
                        }
                    }

                    readBack = await db.ReadBackAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    status = "present";
                }

                journal = await db.Database.ReadAsync(static (session, _) => session.Scalar("PRAGMA journal_mode") as string, 0, cancellationToken).ConfigureAwait(false);
            }

            // Measured after closing: the last connection checkpoints the WAL into the main file.
            return new DomainReport
            {
                Domain = domain.Name,
                Path = path,
                Status = status,
                Shared = domain.Shared,
                Tables = tables,
                Bytes = FileSize(path) + FileSize(path + "-wal"),
                JournalMode = journal,
                Seconds = watch.Elapsed.TotalSeconds,
                ReadBack = readBack,
                Migrations = migrations,
                Note = note,
            };
        }
        catch (FilixException ex)
        {
            return Failed(domain, path, ex.Message, watch);
        }
        catch (SqliteException ex)
        {
            return Failed(domain, path, $"SQLite error {ex.SqliteErrorCode} on '{path}': {ex.Message}. Nothing was committed by the failing step.", watch);
        }
    }

    private static DomainReport Failed(DomainDefinition domain, string path, string message, Stopwatch watch) =>
        Failed(domain.Name, domain.Shared, path, message, watch);

    private static DomainReport Failed(string domain, bool shared, string path, string message, Stopwatch watch) => new()
    {
        Domain = domain,
        Path = path,
        Status = "error",
        Shared = shared,
        Bytes = FileSize(path),
        Seconds = watch.Elapsed.TotalSeconds,
        Error = message,
    };

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
